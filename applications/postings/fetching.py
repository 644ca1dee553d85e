"""Fetching the page behind a link a user typed, without letting the link reach anything but
the public web.

The server fetches on the user's behalf, so a link is a way to make it send requests: to
itself, to the private network it sits in, to a cloud machine's metadata service. Every rule
below closes one such way, and a refusal says which in plain words:

- web links only (http, https), no user name or password in them, on the web's ports;
- the host is resolved once, every address it resolves to must be public (not private,
  loopback, link-local, multicast or reserved), and the connection goes to that address, so
  a name cannot resolve to a public address for the check and a private one for the request;
- the same for every redirect, at most 5 of them;
- 5 seconds for everything (resolving, connecting, every redirect, reading), enforced by
  closing the connection, so a server trickling a byte a second is cut off too;
- at most 2 MB read; HTML pages only;
- nothing of the user's is sent: no cookies, no credentials, a user agent that says who reads.

Loopback may be allowed (`POSTINGS_ALLOW_LOOPBACK`) for the test suite's own server; a
system check refuses that setting whenever debug is off.
"""

import contextlib
import dataclasses
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import connections
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError

TOTAL_SECONDS = 5.0
MOST_BYTES = 2 * 1024 * 1024
MOST_REDIRECTS = 5
WEB_PORTS = {"http": 80, "https": 443}
HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
# What a connection cut short, or a server speaking something other than HTTP, raises.
_BROKEN = (OSError, HTTPError, http.client.HTTPException)
# Ranges whose addresses carry an IPv4 address inside (NAT64, 6to4): judged by that address.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_PRIVATE = [
    ipaddress.ip_network(network)
    for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
]

Resolver = Callable[[str, int, float], list[str]]


class Refused(Exception):
    """The link was not read: `reason` says why, in words for the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class Page:
    url: str  # where the page was finally read, after redirects
    body: bytes
    content_type: str
    cut_off: bool  # longer than MOST_BYTES: only the start was read


def user_agent() -> str:
    return f"Bridges job posting reader (+{settings.SITE_URL}/)"


def fetch(url: str, *, resolve: Resolver | None = None) -> Page:
    """The page at `url`, or Refused with the reason. Never inside a database transaction:
    a slow site must not hold a transaction (and its locks) open."""
    _refuse_inside_a_transaction()
    allow_loopback = getattr(settings, "POSTINGS_ALLOW_LOOPBACK", False)
    deadline = _Deadline(TOTAL_SECONDS)
    try:
        for _hop in range(MOST_REDIRECTS + 1):
            response, connection = _request(url, resolve or resolve_host, deadline, allow_loopback)
            try:
                location = response.headers.get("Location")
                if response.status in _REDIRECTS and location:
                    url = urljoin(url, location.strip())
                    continue
                return _page(url, response, deadline)
            finally:
                connection.close()
        raise Refused(
            f"The link redirects more than {MOST_REDIRECTS} times, so Bridges stopped following it."
        )
    finally:
        deadline.stop()


# --- One request ------------------------------------------------------------------------------


def _request(url: str, resolve: Resolver, deadline: "_Deadline", allow_loopback: bool):
    scheme, host, port, target = _check_link(url)
    address = _public_address(host, port, resolve, deadline, allow_loopback)
    if port != WEB_PORTS[scheme] and not (allow_loopback and _is_loopback(address)):
        raise Refused(
            f"Bridges only reads links on the web's usual ports (80 and 443), not port {port}."
        )
    options = {"timeout": deadline.remaining()}
    if scheme == "https":
        connection = _WatchedHTTPS(
            address, port, server_hostname=host, assert_hostname=host, **options
        )
    else:
        connection = _WatchedHTTP(address, port, **options)
    connection.deadline = deadline
    host_header = f"[{host}]" if ":" in host else host
    if port != WEB_PORTS[scheme]:
        host_header += f":{port}"
    headers = {
        "Host": host_header,
        "User-Agent": user_agent(),
        "Accept": "text/html,application/xhtml+xml;q=0.9",
        "Accept-Encoding": "identity",
        "Accept-Language": "en",
    }
    try:
        connection.request("GET", target, headers=headers, preload_content=False)
        return connection.getresponse(), connection
    except _BROKEN as error:
        connection.close()
        raise _failure(error, host, deadline) from None


def _check_link(url: str) -> tuple[str, str, int, str]:
    """The scheme, host, port and request target of a link Bridges may read, or Refused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise Refused("This is not a link Bridges can read; check it and try again.") from None
    scheme = parts.scheme.lower()
    if scheme not in WEB_PORTS:
        said = f"“{scheme}:” links" if scheme else "addresses without http:// or https://"
        raise Refused(
            f"Bridges only reads web links (starting with http:// or https://), not {said}."
        )
    if parts.username is not None or parts.password is not None:
        raise Refused("Links with a user name or password in them are not read.")
    if not parts.hostname:
        raise Refused("This link has no site name in it; check it and try again.")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        # An IP literal (IPv6 in brackets) is not a name to encode.
        host = parts.hostname
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port or WEB_PORTS[scheme], target


def _public_address(
    host: str, port: int, resolve: Resolver, deadline: "_Deadline", allow_loopback: bool
) -> str:
    """The one address to connect to: `host` resolved once, every address it gave checked."""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolve(host, port, deadline.remaining())
        except TimeoutError:
            raise Refused(deadline.too_slow) from None
        except OSError:
            raise Refused(f"No site answers to the name “{host}”; check the link.") from None
    if not addresses:
        raise Refused(f"No site answers to the name “{host}”; check the link.")
    for address in addresses:
        what = refused_address(address, allow_loopback=allow_loopback)
        if what:
            raise Refused(
                f"This link leads to {what} ({address}): Bridges only reads pages on the "
                "public web."
            )
    return addresses[0]


def refused_address(address: str, *, allow_loopback: bool = False) -> str:
    """What kind of address this is, in words, if Bridges must not connect to it; else ""."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        embedded = ip.ipv4_mapped
        if ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip in _SIX_TO_FOUR:
            embedded = ip.sixtofour
        if embedded is not None:
            return refused_address(str(embedded), allow_loopback=allow_loopback)
    if ip.is_loopback:
        return "" if allow_loopback else "this server itself (a loopback address)"
    if ip.is_link_local:
        return "a link-local address, such as a cloud server's own metadata service"
    if ip.is_multicast:
        return "a multicast address"
    if any(ip in network for network in _PRIVATE):
        return "a private network address"
    if not ip.is_global or ip.is_reserved or ip.is_unspecified:
        return "a reserved address"
    return ""


def _is_loopback(address: str) -> bool:
    return ipaddress.ip_address(address).is_loopback


def resolve_host(host: str, port: int, timeout: float) -> list[str]:
    """Every address `host` resolves to, first choice first; TimeoutError past `timeout`.

    The system resolver cannot be given a time limit, so it runs in a thread of its own
    that is left to finish alone if it is too slow."""
    answer: list = []

    def lookup():
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as error:
            answer.append(error)

    thread = threading.Thread(target=lookup, daemon=True, name="posting-resolve")
    thread.start()
    thread.join(timeout)
    if not answer:
        raise TimeoutError
    if isinstance(answer[0], OSError):
        raise answer[0]
    return list(dict.fromkeys(info[4][0] for info in answer[0]))


# --- The answer -------------------------------------------------------------------------------


def _page(url: str, response, deadline: "_Deadline") -> Page:
    status = response.status
    if status in (401, 403, 407):
        raise Refused(
            "This page needs you to log in, so Bridges cannot read it: open it in your browser "
            "and paste the page instead."
        )
    if status in (404, 410):
        raise Refused(
            f"The site says there is no such page (error {status}): the posting may have been "
            "taken down."
        )
    if status == 429:
        raise Refused("The site asked Bridges to slow down; try again in a few minutes.")
    if status >= 400:
        raise Refused(f"The site answered with an error ({status}); try again later.")
    if status != 200:
        raise Refused(f"The site gave no page at this link (it answered {status}).")
    content_type = response.headers.get("Content-Type", "")
    if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        said = content_type.split(";")[0].strip() or "nothing"
        raise Refused(f"This link does not lead to a web page (the site says it is {said}).")
    body = bytearray()
    try:
        while len(body) <= MOST_BYTES:
            chunk = response.read(_CHUNK)
            if not chunk:
                break
            body += chunk
    except _BROKEN as error:
        raise _failure(error, urlsplit(url).hostname or "", deadline) from None
    if deadline.expired:
        raise Refused(deadline.too_slow)
    return Page(
        url=url,
        body=bytes(body[:MOST_BYTES]),
        content_type=content_type,
        cut_off=len(body) > MOST_BYTES,
    )


def _failure(error: Exception, host: str, deadline: "_Deadline") -> Refused:
    if deadline.expired or isinstance(error, TimeoutError | socket.timeout):
        return Refused(deadline.too_slow)
    if isinstance(error, ssl.SSLError) or "CERTIFICATE" in str(error).upper():
        return Refused(
            f"The security certificate of {host} could not be checked, so Bridges did not read "
            "the page."
        )
    return Refused(f"Bridges could not get the page from {host}; check the link or try later.")


# --- Time and connections ---------------------------------------------------------------------


class _Deadline:
    """The time left for the whole fetch; when it runs out, every connection is shut, so a
    read blocked on a trickling server ends at once."""

    too_slow = (
        f"The site took more than {TOTAL_SECONDS:g} seconds to answer, so Bridges stopped "
        "waiting. Try again, or paste the page instead."
    )

    def __init__(self, seconds: float):
        self._ends = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        left = self._ends - time.monotonic()
        if left <= 0 or self.expired:
            raise Refused(self.too_slow)
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if not self.expired:
                return
        self._shut(sock)

    def stop(self) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


class _Watched:
    deadline: _Deadline

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self.deadline.watch(sock)
        return sock


class _WatchedHTTP(_Watched, HTTPConnection):
    pass


class _WatchedHTTPS(_Watched, HTTPSConnection):
    pass


def _refuse_inside_a_transaction() -> None:
    for connection in connections.all(initialized_only=True):
        # The test suite wraps each test in transactions of its own (marked so); any other
        # open transaction is a caller's mistake.
        if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
            raise RuntimeError("A link must never be fetched inside a database transaction.")
