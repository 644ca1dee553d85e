"""Connecting, testing and disconnecting a mailbox; accepting or dismissing a proposal."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from applications import services as pipeline
from applications.models import Offer, TimelineEvent
from applications.stages import Stage
from config.queueing import queue_after_commit
from inbox import crypto, imap
from inbox.addresses import target
from inbox.models import Mailbox, Proposal

logger = logging.getLogger(__name__)
BACKFILL = datetime.timedelta(days=30)


@dataclass(frozen=True)
class Settings:
    """A mailbox's connection settings, as the form gives them (the password apart)."""

    host: str
    port: int
    security: str
    username: str


@sensitive_variables("password")
def check_connection(connection: Settings, password: str) -> imap.Folder:
    """Logs in and opens INBOX read-only, or raises HostRefused / ImapError saying what
    failed. Talks to the server: never call it inside a transaction."""
    where = target(connection.host, connection.port, connection.security)
    with imap.Session(where, timeout=settings.INBOX_IMAP_TIMEOUT_SECONDS) as session:
        session.open(connection.username, password)
        return session.examine()


@sensitive_variables("password")
def mailbox_connect(
    *, user, connection: Settings, password: str, read_last_30_days: bool = False
) -> Mailbox:
    """Tests the connection, then saves it with the password encrypted. Reading starts now
    (or 30 days back, if asked): older mail is never read."""
    if not crypto.available():
        raise crypto.NotConfigured("Connecting a mailbox is not set up on this server.")
    folder = check_connection(connection, password)
    now = timezone.now()
    with transaction.atomic():
        mailbox = Mailbox.objects.select_for_update().filter(owner=user).first()
        same = mailbox is not None and (mailbox.host, mailbox.username) == (
            connection.host,
            connection.username,
        )
        mailbox = mailbox or Mailbox(owner=user)
        mailbox.host, mailbox.port = connection.host, connection.port
        mailbox.security, mailbox.username = connection.security, connection.username
        mailbox.password_encrypted = crypto.encrypt(password)
        mailbox.state, mailbox.paused_at = Mailbox.State.ACTIVE, None
        mailbox.auth_failures = mailbox.failures = 0
        mailbox.last_error, mailbox.last_error_at = "", None
        mailbox.lease_token = mailbox.lease_until = None
        if not same or read_last_30_days:
            # A new mailbox (or one to read again from 30 days back): start from here.
            mailbox.connected_at = now
            mailbox.read_since = now - BACKFILL if read_last_30_days else now
            mailbox.uidvalidity = folder.uidvalidity
            mailbox.last_uid = 0 if read_last_30_days else max((folder.uidnext or 1) - 1, 0)
        mailbox.next_poll_at = now
        mailbox.save()
    return mailbox


def mailbox_test(*, mailbox: Mailbox) -> imap.Folder:
    """The saved connection tried now; a paused mailbox that works again is resumed."""
    folder = check_connection(
        Settings(mailbox.host, mailbox.port, mailbox.security, mailbox.username),
        crypto.decrypt(mailbox.password_encrypted),
    )
    Mailbox.objects.filter(pk=mailbox.pk).update(
        state=Mailbox.State.ACTIVE, paused_at=None, auth_failures=0, failures=0, last_error=""
    )
    return folder


def mailbox_poll_soon(*, mailbox: Mailbox) -> None:
    """“Check now”: due at once, and queued after the commit. Without a broker just now,
    the beat queues it within a minute all the same."""
    from inbox import tasks

    Mailbox.objects.filter(pk=mailbox.pk).update(next_poll_at=timezone.now())
    queue_after_commit(tasks.poll_mailbox, mailbox.pk)


@transaction.atomic
def mailbox_disconnect(*, user) -> int:
    """Forgets the mailbox: its credentials, every proposal, any notice. Returns the number
    of proposals deleted. A poll under way finds its mailbox gone and records nothing."""
    proposals = Proposal.objects.for_user(user).count()
    Proposal.objects.for_user(user).delete()
    Mailbox.objects.filter(owner=user).delete()
    return proposals


# --- Proposals ------------------------------------------------------------------------------


class AlreadyDecided(Exception):
    """Accepted or dismissed already (a second click, another tab)."""


def _claim(proposal: Proposal, state: str) -> None:
    won = Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.PENDING).update(
        state=state, decided_at=timezone.now()
    )
    if not won:
        raise AlreadyDecided("This proposal was already answered.")


def _note(proposal: Proposal) -> str:
    day = timezone.localtime(proposal.sent_at).strftime("%d %b %Y")
    return f"From the email of {day} from {proposal.sender}: {proposal.evidence}"


@transaction.atomic
def proposal_accept(*, proposal: Proposal) -> TimelineEvent:
    """Records what the email says through the pipeline's own services, dated at the email,
    so its follow-ups (the same-day answer to an invitation, an offer's deadline) and the
    dashboard's answers come from the same events as any other. Raises AlreadyDecided, or
    MoveNotAllowed (nothing changed) when the application cannot take it."""
    _claim(proposal, Proposal.State.ACCEPTED)
    application, at, note = proposal.application, proposal.sent_at, _note(proposal)
    Kind = Proposal.Kind
    if proposal.kind == Kind.INVITATION:
        if proposal.starts_at:
            when = timezone.localtime(proposal.starts_at, application.owner.zoneinfo)
            note = f"{note} Proposed time: {when:%a %d %b %Y %H:%M} ({when.tzname()})."
        event = pipeline.application_record_invitation(
            application=application, to_interview=proposal.to_interview, note=note, at=at
        )
    elif proposal.kind == Kind.REJECTION:
        event = pipeline.application_move(
            application=application,
            target=Stage.REJECTED,
            reason=proposal.end_reason,
            note=note,
            at=at,
        )
    elif proposal.kind == Kind.OFFER:
        offer = Offer.objects.filter(application=application).first() or Offer(
            application=application
        )
        offer.deadline = proposal.deadline or offer.deadline
        pipeline.offer_record(offer=offer, note=note, at=at)
        event = (
            application.events.filter(kind=TimelineEvent.Kind.OFFER_RECORDED)
            .order_by("-id")
            .first()
        )
    else:
        if proposal.kind == Kind.ACKNOWLEDGEMENT and application.stage == Stage.SAVED:
            pipeline.application_move(
                application=application, target=Stage.APPLIED, forward_only=True, at=at
            )
        what = "They asked for" if proposal.kind == Kind.REQUEST else "Acknowledged"
        event = pipeline.application_add_note(
            application=application, text=f"{what}: {note}", at=at
        )
    Proposal.objects.filter(pk=proposal.pk).update(event=event)
    return event


@transaction.atomic
def proposal_dismiss(*, proposal: Proposal) -> None:
    """Nothing is recorded; the proposal is kept (dismissed) so it is never proposed again."""
    _claim(proposal, Proposal.State.DISMISSED)


def export(*, user) -> dict:
    """The mailbox's settings (never the password) and every proposal, for the JSON export."""
    mailbox = Mailbox.objects.for_user(user).first()
    fields = ("host", "port", "security", "username", "connected_at", "read_since", "state")
    return {
        "mailbox": {name: getattr(mailbox, name) for name in fields} if mailbox else None,
        "proposals": [
            {
                name: getattr(p, name)
                for name in (
                    *("application_id", "message_id", "sender", "subject", "sent_at"),
                    *("excerpt", "kind", "rule", "evidence", "matched_by", "to_interview"),
                    *("starts_at", "deadline", "end_reason", "state", "created_at", "decided_at"),
                )
            }
            for p in Proposal.objects.for_user(user).order_by("sent_at", "id")
        ],
    }
