"""A user's message as it goes out (with what its timeline entry says of it). Its headers are
folded to one line by config/mail_headers.py, as every email's are."""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from applications.models import TimelineEvent
from config.mail_headers import one_line
from messaging.catalogue import Kind
from messaging.models import Message, Outbox

# --- A message the user sends from Bridges -----------------------------------------------------


def sender_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def message_email(outbox: Outbox) -> EmailMessage:
    """The email for a user's message: from “Name via Bridges”, replies (and a copy) to the
    user. The Message-ID is the outbox row's, so a copy sent again after a crash is the same
    email to the receiving servers and mail apps, which show it once."""
    message, owner = outbox.message, outbox.owner
    address = sender_address()
    domain = address.rpartition("@")[2] or "bridges.invalid"
    return EmailMessage(
        subject=one_line(message.subject),
        body=message.body,
        from_email=formataddr((one_line(f"{owner.get_full_name()} via Bridges"), address)),
        to=[message.to_email],
        cc=[owner.email],
        reply_to=[owner.email],
        headers={
            "X-Bridges-Outbox": str(outbox.pk),
            "Message-ID": f"<bridges-outbox-{outbox.pk}@{domain}>",
        },
    )


_HOW = {
    Outbox.State.PENDING: "Sending from Bridges to {to}",
    Outbox.State.SENDING: "Sending from Bridges to {to}",
    Outbox.State.SENT: "Emailed to {to}",
    Outbox.State.FAILED: "Not sent to {to}: the mail server did not take it",
}


def timeline_sentence(message: Message, state: str) -> str:
    """What the timeline says of an emailed message: “Sent” only once the server took it."""
    how = _HOW[state].format(to=message.to_email)
    return f"{Kind(message.kind).label}. {how}{': ' + message.subject if message.subject else ''}."


def record_on_timeline(message_id: int, state: str) -> None:
    """Brings the message's timeline entry up to date with its delivery."""
    message = Message.objects.filter(pk=message_id).first()
    if message is not None:
        TimelineEvent.objects.filter(
            message=message, kind=TimelineEvent.Kind.MESSAGE_LOGGED
        ).update(text=timeline_sentence(message, state))
