"""Emails as mail servers deliver them, for the tests to put in a mailbox."""

import datetime
import email.utils
from email.message import EmailMessage
from itertools import count

_ids = count(1)


def email_bytes(
    sender: str,
    subject: str,
    text: str = "",
    *,
    sent_at: datetime.datetime,
    to: str = "Alice Martin <alice@example.com>",
    html: str | None = None,
    ics: str | None = None,
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
    attachment: bytes | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(sent_at)
    message["Message-ID"] = message_id or f"<test-{next(_ids)}@mail.example>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text or "(no text)")
    if html is not None:
        message.add_alternative(html, subtype="html")
    if ics is not None:
        message.add_attachment(
            ics.encode(),
            maintype="text",
            subtype="calendar",
            filename="invite.ics",
            params={"method": "REQUEST"},
        )
    if attachment is not None:
        message.add_attachment(
            attachment, maintype="application", subtype="pdf", filename="details.pdf"
        )
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def stored_proposal(owner, application, **fields):
    """A proposal as a poll would have stored it, with the mailbox it came from."""
    from django.utils import timezone

    from inbox import crypto
    from inbox.models import Mailbox, Proposal

    mailbox = Mailbox.objects.filter(owner=owner).first() or Mailbox.objects.create(
        owner=owner,
        host="imap.example.com",
        username=owner.email,
        password_encrypted=crypto.encrypt("app-secret-123"),
    )
    values = {
        "message_key": "k" * 64,
        "message_id": "<1@acme.example>",
        "sender": "Priya Nair <priya@acme.example>",
        "subject": "Interview",
        "sent_at": timezone.now(),
        "excerpt": "We would like to invite you",
        "kind": "invitation",
        "rule": "an invitation",
        "evidence": "“invite you”",
        "matched_by": "it comes from your contact Priya Nair",
    }
    return Proposal.objects.create(
        owner=owner, mailbox=mailbox, application=application, **(values | fields)
    )
