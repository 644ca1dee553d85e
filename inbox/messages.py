"""What a poll makes of the bytes it fetched: the headers that matching needs, the parts of
the body worth reading (the text and any calendar invitation), never attachments."""

import base64
import binascii
import datetime
import email.utils
import hashlib
import html
import quopri
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser

from django.utils.html import strip_tags
from django.utils.text import normalize_newlines

HEADER_FIELDS = (
    "FROM SENDER REPLY-TO SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES LIST-ID "
    "LIST-UNSUBSCRIBE PRECEDENCE AUTO-SUBMITTED"
)
HEADERS_ITEM = f"BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]"
HEADERS_KEY = f"BODY[HEADER.FIELDS ({HEADER_FIELDS})]".encode()
# The first item list of a poll: small, whatever the size of the message.
SUMMARY_ITEMS = ["INTERNALDATE", "RFC822.SIZE", "BODYSTRUCTURE", HEADERS_ITEM]
# How much of a text or calendar part is read (partial FETCH): the beginning is what counts.
TEXT_BYTES = 32_768
CALENDAR_BYTES = 65_536


@dataclass(frozen=True)
class Address:
    name: str
    address: str  # lower case

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


@dataclass
class Part:
    number: str  # the IMAP section, e.g. "1.2"
    mime_type: str
    charset: str
    encoding: str
    filename: str

    @property
    def is_calendar(self) -> bool:
        return self.mime_type in ("text/calendar", "application/ics") or self.filename.endswith(
            ".ics"
        )


@dataclass
class Email:
    uid: int
    delivered_at: datetime.datetime
    sender: Address | None
    reply_to: list[Address]
    subject: str
    sent_at: datetime.datetime
    message_id: str
    references: list[str]
    bulk: bool  # a mailing list or newsletter by its headers
    automatic: bool  # Auto-Submitted: auto-generated / auto-replied
    parts: list[Part] = field(default_factory=list)
    text: str = ""
    calendar: bytes = b""

    @property
    def key(self) -> str:
        """Stable across UIDVALIDITY changes: the Message-ID, or what identifies the message
        when it has none."""
        basis = self.message_id or f"{self.sent_at.isoformat()}|{self.sender}|{self.subject}"
        return hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()

    @property
    def addresses(self) -> list[Address]:
        return [a for a in [self.sender, *self.reply_to] if a]

    def text_part(self) -> Part | None:
        texts = [p for p in self.parts if p.mime_type == "text/plain" and not p.filename]
        htmls = [p for p in self.parts if p.mime_type == "text/html" and not p.filename]
        return (texts or htmls or [None])[0]

    def calendar_part(self) -> Part | None:
        return next((p for p in self.parts if p.is_calendar), None)


def _header(value) -> str:
    if value is None:
        return ""
    try:
        text = str(make_header(decode_header(str(value))))
    except (UnicodeError, LookupError, binascii.Error, ValueError):
        text = str(value)
    return " ".join(text.split())


def _addresses(value) -> list[Address]:
    found = []
    for name, address in email.utils.getaddresses([_header(value)]):
        address = address.strip().lower()
        if "@" in address:
            found.append(Address(" ".join(name.split())[:150], address[:254]))
    return found


def _ids(value) -> list[str]:
    return re.findall(r"<[^<>\s]{1,900}>", _header(value))


def parse_summary(uid: int, data: dict) -> Email:
    """An Email from the first FETCH (headers, INTERNALDATE, BODYSTRUCTURE)."""
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(data.get(HEADERS_KEY, b""))
    delivered = data.get(b"INTERNALDATE")
    if not isinstance(delivered, datetime.datetime) or delivered.tzinfo is None:
        delivered = datetime.datetime.now(datetime.UTC)
    senders = _addresses(headers["From"]) or _addresses(headers["Sender"])
    try:
        sent_at = email.utils.parsedate_to_datetime(_header(headers["Date"]))
    except (TypeError, ValueError, IndexError):
        sent_at = None
    if sent_at is None or sent_at.tzinfo is None or abs(sent_at - delivered).days > 2:
        sent_at = delivered  # no date, or one the server's delivery time contradicts
    precedence = _header(headers["Precedence"]).lower()
    message_ids = _ids(headers["Message-ID"])
    return Email(
        uid=uid,
        delivered_at=delivered,
        sender=senders[0] if senders else None,
        reply_to=_addresses(headers["Reply-To"]),
        subject=_header(headers["Subject"])[:500],
        sent_at=sent_at,
        message_id=message_ids[0] if message_ids else "",
        references=_ids(headers["In-Reply-To"]) + _ids(headers["References"]),
        bulk=bool(headers["List-Id"]) or precedence in ("bulk", "list", "junk"),
        automatic=_header(headers["Auto-Submitted"]).lower() not in ("", "no"),
        parts=list(_parts(data.get(b"BODYSTRUCTURE"))),
    )


def _params(values) -> dict[str, str]:
    if not isinstance(values, tuple | list):
        return {}
    items = [_text(v) for v in values]
    return {items[i].lower(): items[i + 1] for i in range(0, len(items) - 1, 2)}


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _parts(structure, prefix: str = ""):
    """The leaf parts of a BODYSTRUCTURE with their section numbers (messages inside
    messages are not opened)."""
    if not structure:
        return
    if getattr(structure, "is_multipart", False):
        for n, part in enumerate(structure[0], 1):
            yield from _parts(part, f"{prefix}{n}.")
        return
    mime_type = f"{_text(structure[0])}/{_text(structure[1])}".lower()
    params = _params(structure[2])
    # Text parts carry a line count before the extension data; the disposition follows MD5.
    disposition_at = 9 if mime_type.startswith("text/") else 8
    disposition = structure[disposition_at] if len(structure) > disposition_at else None
    filename = params.get("name", "")
    if isinstance(disposition, tuple | list) and len(disposition) > 1:
        filename = _params(disposition[1]).get("filename", filename)
    yield Part(
        number=prefix.rstrip(".") or "1",
        mime_type=mime_type,
        charset=params.get("charset", "utf-8"),
        encoding=_text(structure[5]).lower(),
        filename=_header(filename).lower(),
    )


def part_items(message: Email) -> dict[str, Part]:
    """The partial FETCH items for the parts worth reading, and the part each answers."""
    wanted = {}
    if part := message.text_part():
        wanted[f"BODY.PEEK[{part.number}]<0.{TEXT_BYTES}>"] = part
    if part := message.calendar_part():
        wanted[f"BODY.PEEK[{part.number}]<0.{CALENDAR_BYTES}>"] = part
    return wanted


def _decode(raw: bytes, part: Part) -> bytes:
    if part.encoding == "base64":
        compact = re.sub(rb"[^A-Za-z0-9+/]", b"", raw)
        compact = compact[: len(compact) - len(compact) % 4]  # a partial fetch may cut it
        try:
            return base64.b64decode(compact)
        except binascii.Error:
            return b""
    if part.encoding == "quoted-printable":
        return quopri.decodestring(raw)
    return raw


def read_parts(message: Email, data: dict, wanted: dict[str, Part]) -> None:
    """Fills in the message's text and calendar from the second FETCH."""
    for item, part in wanted.items():
        section = item.replace("BODY.PEEK[", "BODY[").rsplit(".", 1)[0] + ">"
        raw = data.get(section.encode(), b"") or b""
        body = _decode(raw, part)
        if part.is_calendar:
            message.calendar = body
            continue
        try:
            text = body.decode(part.charset or "utf-8", "replace")
        except LookupError:
            text = body.decode("utf-8", "replace")
        if part.mime_type == "text/html":
            text = re.sub(r"(?is)<(style|script|head)\b.*?</\1>", " ", text)
            text = strip_tags(re.sub(r"(?i)<(br|/p|/div|/li|/tr|/h\d)[^>]*>", "\n", text))
            text = html.unescape(text)
        message.text = normalize_newlines(text)
