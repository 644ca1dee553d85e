"""Closing out: after accepting an offer, stepping out of every other process at once.

Each process still under way gets its own message (withdrawing, or declining an offer: the
stage's `close_out` kind in messaging/catalogue.py), sent from Bridges or logged as copied;
saved applications, which nobody is waiting on, are simply closed. It all happens in one
transaction, and the emails are delivered as one batch after the commit.
"""

from dataclasses import dataclass

from django.db import transaction

from applications import services as pipeline
from applications.models import Application, EndReason
from applications.stages import Stage
from messaging import services, tasks
from messaging.catalogue import close_out_kind
from messaging.compose import Choices
from messaging.models import Channel

GONE = "Some of these applications are no longer under way; reload the page."
TOO_FAST = (
    "You have sent a lot of messages in a short time. Wait a little, "
    "or copy them into your own mail app."
)


class CloseOutRefused(Exception):
    """The close-out cannot be done as asked; `problems` says why, one sentence each."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    """One process to step out of, with the message as the candidate left it."""

    application_pk: int
    subject: str
    body: str
    to_email: str = ""


@dataclass(frozen=True)
class ClosedOut:
    messages: int
    sending: bool  # emailed from Bridges (else logged as copied)
    wishlist_closed: int


def others_under_way(accepted: Application) -> dict[int, Application]:
    """The owner's other processes under way, by id (wishlist items need no message)."""
    others = (
        Application.objects.for_user(accepted.owner)
        .active()
        .exclude(pk=accepted.pk)
        .exclude(stage=Stage.SAVED)
        .prefetch_related("contacts")
        .order_by("company")
    )
    return {other.pk: other for other in others}


def drafted(application: Application) -> dict:
    """The message Bridges drafts for stepping out of `application`, as the page's row."""
    choices = Choices(kind=close_out_kind(application.stage), reason=EndReason.OTHER_OFFER)
    draft = services.draft_for(services.load_for_messages(application), choices)
    contact = services.main_contact(application)
    return {
        "application": application.pk,
        "include": True,
        "to_email": contact.email if contact else "",
        "subject": draft.subject,
        "body": draft.body,
    }


def problems(
    *, accepted: Application, rows: list[Row], others: dict[int, Application], sending: bool
) -> list[str]:
    """Why these rows cannot be closed out as asked: none when they can."""
    found = [GONE] if any(row.application_pk not in others for row in rows) else []
    if sending:
        found += [
            f"No email address for {others[row.application_pk]}: add one or untick it."
            for row in rows
            if not row.to_email and row.application_pk in others
        ]
        if not found and rows and not services.sending_allowed(accepted.owner):
            found.append(TOO_FAST)
    return found


@transaction.atomic
def close_out(*, accepted: Application, rows: list[Row], sending: bool) -> ClosedOut:
    """Steps out of each row's process with its message (emailed from Bridges when `sending`,
    else logged as copied), then closes the owner's wishlist. CloseOutRefused, with nothing
    written, when `accepted` is not accepted or `problems` finds any."""
    if accepted.stage != Stage.ACCEPTED:
        raise CloseOutRefused(["Close-out follows an accepted offer."])
    others = others_under_way(accepted)
    if refused := problems(accepted=accepted, rows=rows, others=others, sending=sending):
        raise CloseOutRefused(refused)
    outbox_ids = []
    for row in rows:
        application = others[row.application_pk]
        fields = {
            "application": application,
            "kind": close_out_kind(application.stage),
            "subject": row.subject,
            "body": row.body,
            "to_email": row.to_email,
            "reason": EndReason.OTHER_OFFER,
        }
        if sending:
            logged = services.message_send(queue=False, **fields)
            outbox_ids += [logged.outbox.pk] if logged.outbox else []
        else:
            services.message_log(channel=Channel.COPIED, **fields)
    closed = close_wishlist(accepted)
    if outbox_ids:
        tasks.deliver_after_commit(outbox_ids)
    return ClosedOut(len(rows), sending, closed)


def close_wishlist(accepted: Application) -> int:
    """Closes the owner's saved (never sent) applications: nobody is waiting on those."""
    saved = Application.objects.for_user(accepted.owner).filter(stage=Stage.SAVED)
    for item in saved:
        pipeline.application_move(
            application=item, target=Stage.CLOSED, reason=EndReason.OTHER_OFFER
        )
    return len(saved)
