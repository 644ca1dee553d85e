"""Where Bridges may connect: the mail server's address, checked before any byte is sent.

The host is resolved once and the connection goes to the address that was checked (never
resolved again), so a name cannot point at a public address for the check and at this
machine or a private network for the connection.
"""

import ipaddress
import re
import socket
from dataclasses import dataclass

from django.conf import settings

from inbox.models import Security

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class HostRefused(Exception):
    """Bridges will not connect there; the message says why, for the user."""


@dataclass(frozen=True)
class Target:
    host: str  # as the user typed it: the name the certificate must carry
    address: str  # the checked address the connection goes to
    port: int
    security: str
    loopback: bool


def normalise_host(host: str) -> str:
    """The host as Bridges stores it, or HostRefused if it is not a host name or address."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    labels = host.split(".")
    if not host or len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise HostRefused(f"“{host[:60]}” is not a server name such as imap.example.com.")
    return host


def _literal(host: str):
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_loopback_name(host: str) -> bool:
    """Whether the host, as typed, names this machine (no lookup needed)."""
    literal = _literal(host)
    return literal.is_loopback if literal else host in ("localhost", "localhost.localdomain")


def resolve(host: str, port: int) -> list[str]:
    literal = _literal(host)
    if literal:
        return [str(literal)]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise HostRefused(f"No server called {host} could be found. Check the name.") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


PLAIN_REFUSED = (
    "Without TLS your password would cross the network unencrypted: choose TLS or STARTTLS "
    "(plain connections are only allowed to a server on this machine)."
)


def check_security(host: str, security: str) -> None:
    """Refuses a connection without TLS anywhere but to this machine (no lookup needed for
    a name that is plainly not this machine)."""
    if security == Security.NONE and not is_loopback_name(host):
        raise HostRefused(PLAIN_REFUSED)


def target(host: str, port: int, security: str) -> Target:
    """The address to connect to, or HostRefused with the reason."""
    host = normalise_host(host)
    check_security(host, security)
    addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host, port)]
    loopback = [a.is_loopback for a in addresses]
    if any(loopback) and not all(loopback):
        raise HostRefused(f"{host} points both at this machine and elsewhere; Bridges refuses it.")
    if all(loopback):
        if not settings.INBOX_ALLOW_LOOPBACK:
            raise HostRefused(f"{host} is this server's own address; Bridges will not read it.")
        return Target(host, str(addresses[0]), port, security, loopback=True)
    if security == Security.NONE:
        raise HostRefused(PLAIN_REFUSED)
    for address in addresses:
        private = address.is_private and not address.is_link_local
        if address.is_global or (settings.INBOX_ALLOW_PRIVATE_NETWORKS and private):
            return Target(host, str(address), port, security, loopback=False)
    raise HostRefused(
        f"{host} is on a private or reserved network; Bridges only connects to mail servers "
        "on the internet."
    )
