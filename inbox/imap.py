"""A read-only IMAP session: the only code that talks to a mail server.

Read-only by construction, on the wire: every line Bridges sends passes `_Wire.send`, which
refuses any command that could change the mailbox (STORE, COPY, MOVE, EXPUNGE, APPEND,
SELECT, DELETE…) and any FETCH that would mark a message read (BODY[…] without .PEEK,
RFC822, RFC822.TEXT). Folders are opened with EXAMINE, and the server must confirm them
read-only. The connection goes to the address inbox/addresses.py checked; TLS certificates
are verified (host name included) except to a server on this machine. Nothing of the
protocol is logged: not the password, not the messages.
"""

import datetime
import imaplib
import re
import socket
import ssl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.views.decorators.debug import sensitive_variables
from imapclient import IMAPClient, exceptions, tls

from inbox.addresses import Target
from inbox.models import Security


class ImapError(Exception):
    """The server could not be read; `message` says what failed, in words for the user."""

    # Transient faults (server down, network) are retried with backoff; others need the user.
    transient = True

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Unreachable(ImapError):
    """No connection, a timeout, or the server hung up."""


class TlsFailed(ImapError):
    """TLS could not be set up, or the certificate could not be verified."""


class AuthFailed(ImapError):
    """The server refused the user name or password."""

    transient = False


class ProtocolError(ImapError):
    """The server answered something Bridges cannot use."""


class ReadOnlyViolation(Exception):
    """A command that could change the mailbox was about to be sent: a bug, never sent."""


_WRITES = re.compile(
    rb"^\S+ (?:UID )?(STORE|COPY|MOVE|EXPUNGE|APPEND|SELECT|CREATE|DELETE|RENAME|SUBSCRIBE|"
    rb"UNSUBSCRIBE|SETACL|DELETEACL|SETQUOTA|SETMETADATA|SETANNOTATION|UNSELECT|CLOSE)\b",
    re.IGNORECASE,
)
_FETCH = re.compile(rb"^\S+ (?:UID )?FETCH\b", re.IGNORECASE)
# What FETCH may not ask for: a body without .PEEK, or RFC822 / RFC822.TEXT, set \Seen.
_MARKS_SEEN = re.compile(rb"\bBODY\[|\bRFC822(?:\.TEXT)?(?=[\s)]|$)", re.IGNORECASE)


def refuse_writes(line: bytes) -> None:
    if _WRITES.match(line):
        raise ReadOnlyViolation(f"refused to send {line.split()[1:3]!r}: Bridges only reads")
    if _FETCH.match(line) and _MARKS_SEEN.search(line):
        raise ReadOnlyViolation("refused a FETCH that would mark messages as read")


class _Wire:
    """What both connection classes share: the checked address, the write guard, and a
    count of the bytes read from the server."""

    _address: str
    _timeout: float | None
    bytes_read = 0

    def _open_socket(self, timeout) -> socket.socket:
        return socket.create_connection(
            (self._address, self.port), timeout if timeout is not None else self._timeout
        )

    def send(self, data: bytes) -> None:
        refuse_writes(data)
        super().send(data)

    def read(self, size: int) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readline(self) -> bytes:
        line = super().readline()
        self.bytes_read += len(line)
        return line


class _PlainWire(_Wire, imaplib.IMAP4):
    def __init__(self, host: str, address: str, port: int, timeout: float):
        self._address, self._timeout = address, timeout
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout=None) -> socket.socket:
        return self._open_socket(timeout)


class _TlsWire(_Wire, tls.IMAP4_TLS):
    def __init__(self, host: str, address: str, port: int, context, timeout: float):
        self._address = address
        super().__init__(host, port, context, timeout)

    def _create_socket(self, timeout=None) -> socket.socket:
        # The certificate must name the host the user typed, whatever address it resolved to.
        return self.ssl_context.wrap_socket(self._open_socket(timeout), server_hostname=self.host)


class _Client(IMAPClient):
    def __init__(self, target: Target, context: ssl.SSLContext, timeout: float):
        self._target, self._context = target, context
        super().__init__(
            target.host,
            port=target.port,
            ssl=target.security == Security.TLS,
            ssl_context=context,
            timeout=timeout,
        )
        # Nothing of the protocol is logged: neither the password nor anyone's mail.
        self._imap.debug = 0
        self.normalise_times = False

    def _create_IMAP4(self):
        timeout = self._timeout.connect
        if self.ssl:
            return _TlsWire(self.host, self._target.address, self.port, self._context, timeout)
        return _PlainWire(self.host, self._target.address, self.port, timeout)


def tls_context(*, verify: bool) -> ssl.SSLContext:
    """TLS 1.2 or later; the certificate and host name verified unless `verify` is off (a
    server on this machine, which has no certificate a public authority would sign)."""
    context = ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


@dataclass(frozen=True)
class Folder:
    uidvalidity: int
    uidnext: int | None
    exists: int


class Session:
    """One connection: open (TLS, login), examine INBOX, search and fetch, close."""

    def __init__(self, target: Target, *, timeout: float, verify: bool | None = None):
        self.target = target
        self.timeout = timeout
        self.verify = not target.loopback if verify is None else verify
        self._client: _Client | None = None

    @property
    def bytes_read(self) -> int:
        return self._client._imap.bytes_read if self._client else 0

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turns whatever the network, TLS or the server raised into an ImapError that says,
        in plain words, what failed."""
        where = f"{self.target.host} (port {self.target.port})"
        try:
            yield
        except ReadOnlyViolation:
            raise
        except exceptions.LoginError as error:
            text = _server_text(error)
            if "[UNAVAILABLE]" in text.upper():
                raise Unreachable(f"{where} cannot log anyone in just now ({text}).") from None
            raise AuthFailed(
                f"{self.target.host} refused the user name or password ({text}). Use an app "
                "password: most providers require one for IMAP."
            ) from None
        except ssl.SSLCertVerificationError as error:
            raise TlsFailed(
                f"The certificate of {where} could not be verified "
                f"({error.verify_message or error.reason}). Bridges only sends your password "
                "to a server that proves who it is."
            ) from None
        except ssl.SSLError as error:
            raise TlsFailed(
                f"TLS could not be set up with {where} ({error.reason or error}). Check the "
                "security setting: port 993 usually means TLS from the start, 143 STARTTLS."
            ) from None
        except TimeoutError:
            raise Unreachable(
                f"{where} did not answer within {self.timeout:.0f} seconds."
            ) from None
        except ConnectionRefusedError:
            raise Unreachable(f"{where} refused the connection. Check the port.") from None
        except imaplib.IMAP4.abort as error:
            raise Unreachable(f"{where} closed the connection ({_server_text(error)}).") from None
        except OSError as error:
            raise Unreachable(f"Could not reach {where} ({error.strerror or error}).") from None
        except (exceptions.IMAPClientError, imaplib.IMAP4.error) as error:
            raise ProtocolError(
                f"{where} answered with an error ({_server_text(error)})."
            ) from None

    @sensitive_variables()
    def open(self, username: str, password: str) -> None:
        with self._errors():
            self._client = _Client(
                self.target, tls_context(verify=self.verify), max(float(self.timeout), 1.0)
            )
            if self.target.security == Security.STARTTLS:
                if not self._client.has_capability("STARTTLS"):
                    raise TlsFailed(
                        f"{self.target.host} does not offer STARTTLS on port {self.target.port}, "
                        "so your password would travel unencrypted. Bridges will not send it."
                    )
                self._client.starttls(tls_context(verify=self.verify))
            self._client.login(username, password)

    def examine(self, folder: str = "INBOX") -> Folder:
        with self._errors():
            answer = self._client.select_folder(folder, readonly=True)
        if b"READ-ONLY" not in answer:
            raise ProtocolError(f"{self.target.host} would not open {folder} read-only.")
        return Folder(
            uidvalidity=int(answer[b"UIDVALIDITY"]),
            uidnext=int(answer[b"UIDNEXT"]) if b"UIDNEXT" in answer else None,
            exists=int(answer.get(b"EXISTS", 0)),
        )

    def new_uids(self, after_uid: int, since: datetime.date) -> list[int]:
        """UIDs above `after_uid` delivered on or after `since`, lowest first."""
        with self._errors():
            found = self._client.search(["UID", f"{after_uid + 1}:*", "SINCE", since])
        # “n:*” always includes the highest UID, even when it is below n.
        return sorted(uid for uid in found if uid > after_uid)

    def fetch(self, uids: Iterable[int], items: list[str]) -> dict[int, dict]:
        uids = list(uids)
        if not uids:
            return {}
        with self._errors():
            return self._client.fetch(uids, items)

    def close(self) -> None:
        if self._client is None:
            return
        try:
            with self._errors():
                self._client.logout()
        except ImapError:
            pass  # leaving anyway: a server that hangs up first is no fault of the poll

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _server_text(error: Exception) -> str:
    text = str(error)
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return text.strip()[:200]
