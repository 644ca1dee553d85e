"""Polling a mailbox: claim it, read what is new, record what matched. Never at once.

- *Claim.* A poll takes its mailbox with one conditional UPDATE (a lease with a token of its
  own): of two polls of one mailbox, from two beats or two workers, one wins and the other
  steps aside. A poll that dies leaves its lease, and the next poll after it runs out takes
  over. The claim is committed before the server is spoken to.
- *Read.* No transaction is open while the mail server is spoken to. Only messages newer
  than the last UID read are asked for (all of them again if the server's UIDVALIDITY
  changed, skipping those already proposed), delivered since `read_since`, at most
  INBOX_MAX_MESSAGES_PER_POLL a poll, oldest first. Headers and the body's structure come
  first; only the messages that match an application have their text (and calendar part)
  read, with a partial FETCH.
- *Record.* One short transaction checks the lease is still this poll's, writes the
  proposals and where the poll stopped, and releases the mailbox. A poll that lost its
  lease writes nothing: the one that took over reads the same messages.
- *Faults.* A refused password (or one this server can no longer decrypt, or an address it
  no longer accepts) counts towards the pause: the third in a row pauses the mailbox and
  writes the one notice emailed to the user after the commit. A server that is down or
  slow is tried again with backoff (1 minute, doubling, up to 6 hours).
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from applications.models import Application
from config.queueing import queue_after_commit
from inbox import crypto, imap, matching, messages, rules
from inbox.addresses import HostRefused, target
from inbox.models import EXCERPT_LENGTH, Mailbox, PauseNotice, Proposal

PAUSE_AFTER = 3
MAX_BACKOFF = datetime.timedelta(hours=6)


def interval() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.INBOX_POLL_SECONDS)


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.INBOX_POLL_LEASE_SECONDS)


def backoff(failures: int) -> datetime.timedelta:
    """After a server fault: 1 minute, 2, 4… up to 6 hours."""
    return min(datetime.timedelta(minutes=2 ** max(failures - 1, 0)), MAX_BACKOFF)


@dataclass
class Outcome:
    state: str  # "read", "busy", "failed", "paused", "lost"
    read: int = 0  # messages whose headers were fetched
    kept: int = 0  # proposals written
    more: bool = False  # messages left for the next poll
    bytes_read: int = 0
    error: str = ""


@dataclass
class Found:
    uidvalidity: int
    last_uid: int
    matched: list = field(default_factory=list)  # (Email, Match)
    more: bool = False
    read: int = 0
    bytes_read: int = 0


def queue_due(now: datetime.datetime | None = None, limit: int = 1000) -> list[int]:
    """The mailboxes due for a poll, each moved to its next time with a compare-and-swap on
    `next_poll_at`, so that two beats at once queue it once. A queued poll that is lost (a
    broker restart) is made up for one interval later."""
    now = now or timezone.now()
    due = Mailbox.objects.due(now).order_by("next_poll_at").values_list("pk", "next_poll_at")
    return [
        pk
        for pk, at in due[:limit]
        if Mailbox.objects.filter(pk=pk, next_poll_at=at).update(next_poll_at=now + interval())
    ]


def claim(mailbox_id: int, now: datetime.datetime) -> uuid.UUID | None:
    """Takes the mailbox for one poll, unless another poll holds it or it is paused."""
    token = uuid.uuid4()
    won = (
        Mailbox.objects.filter(pk=mailbox_id, state=Mailbox.State.ACTIVE)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .update(lease_token=token, lease_until=now + lease())
    )
    return token if won else None


def poll(mailbox_id: int) -> Outcome:
    """One poll of one mailbox (what the Celery task runs); safe to run twice at once."""
    token = claim(mailbox_id, timezone.now())
    if token is None:
        return Outcome("busy")
    mailbox = Mailbox.objects.select_related("owner").get(pk=mailbox_id)
    try:
        found = read(mailbox)
    except (imap.AuthFailed, crypto.Unreadable, crypto.NotConfigured, HostRefused) as error:
        return _failed(mailbox, token, _message(error), needs_user=True)
    except imap.ImapError as error:
        return _failed(mailbox, token, error.message, needs_user=False)
    proposals = [
        proposal
        for message, match in found.matched
        if (proposal := make_proposal(mailbox, message, match)) is not None
    ]
    return _record(mailbox, token, found, proposals)


def _message(error: Exception) -> str:
    return getattr(error, "message", None) or str(error)


@sensitive_variables("password")
def read(mailbox: Mailbox) -> Found:
    """Everything one poll reads from the server, and nothing it does not need."""
    where = target(mailbox.host, mailbox.port, mailbox.security)
    password = crypto.decrypt(mailbox.password_encrypted)
    index = matching.Index.for_user(mailbox.owner, own_addresses={mailbox.username})
    with imap.Session(where, timeout=settings.INBOX_IMAP_TIMEOUT_SECONDS) as session:
        session.open(mailbox.username, password)
        del password
        folder = session.examine()
        renumbered = folder.uidvalidity != mailbox.uidvalidity
        after = 0 if renumbered else mailbox.last_uid
        since = mailbox.read_since
        # SEARCH SINCE counts whole days in the server's zone: a day earlier, then exactly.
        uids = session.new_uids(after, (since - datetime.timedelta(days=1)).date())
        batch = uids[: settings.INBOX_MAX_MESSAGES_PER_POLL]
        summaries = session.fetch(batch, messages.SUMMARY_ITEMS)
        emails = [messages.parse_summary(uid, summaries[uid]) for uid in batch if uid in summaries]
        # INTERNALDATE has whole seconds: the second of the connection counts as after it.
        emails = [e for e in emails if e.delivered_at >= since.replace(microsecond=0)]
        matched = _matches(mailbox, index, emails)
        for message, _ in matched:
            if wanted := messages.part_items(message):
                data = session.fetch([message.uid], list(wanted))
                messages.read_parts(message, data.get(message.uid, {}), wanted)
        last_uid = batch[-1] if batch else max(after, (folder.uidnext or 1) - 1)
        return Found(
            uidvalidity=folder.uidvalidity,
            last_uid=last_uid,
            matched=matched,
            more=len(uids) > len(batch),
            read=len(batch),
            bytes_read=session.bytes_read,
        )


def _matches(mailbox: Mailbox, index: matching.Index, emails: list) -> list:
    """The emails that belong to an application and are not proposed already."""
    if not emails:
        return []
    mine = Proposal.objects.filter(mailbox=mailbox)
    known = set(
        mine.filter(message_key__in=[e.key for e in emails]).values_list("message_key", flat=True)
    )
    references = {ref for e in emails for ref in e.references}
    replied_to = dict(
        mine.filter(message_id__in=references).values_list("message_id", "application_id")
    )
    found = []
    for message in emails:
        if message.key in known:
            continue
        if match := index.match(message, replied_to):
            found.append((message, match))
    return found


def make_proposal(mailbox: Mailbox, message, match) -> Proposal | None:
    """The proposal for one matched email, or None when no rule says what it is."""
    verdict = rules.classify(message, mailbox.owner.zoneinfo)
    if verdict is None:
        return None
    return Proposal(
        owner_id=mailbox.owner_id,
        mailbox=mailbox,
        application_id=match.application_id,
        message_key=message.key,
        message_id=message.message_id[:998],
        sender=str(message.sender)[:400] if message.sender else "",
        subject=message.subject[:500],
        sent_at=min(message.sent_at, timezone.now()),
        excerpt=rules.excerpt(message.text, EXCERPT_LENGTH),
        kind=verdict.kind,
        rule=verdict.rule[:80],
        evidence=_evidence(verdict)[:300],
        matched_by=match.reason[:300],
        to_interview=verdict.to_interview,
        starts_at=verdict.starts_at,
        deadline=verdict.deadline,
        end_reason=verdict.end_reason,
    )


def _evidence(verdict: rules.Verdict) -> str:
    if verdict.phrase == verdict.sentence:
        return f"“{verdict.phrase}”"
    return f"“{verdict.phrase}” in “{verdict.sentence}”"


def _record(mailbox: Mailbox, token: uuid.UUID, found: Found, proposals: list) -> Outcome:
    now = timezone.now()
    with transaction.atomic():
        if not Mailbox.objects.select_for_update().filter(pk=mailbox.pk, lease_token=token):
            return Outcome("lost", read=found.read)  # taken over: the other poll records
        live = set(
            Application.objects.for_user(mailbox.owner)
            .filter(pk__in={p.application_id for p in proposals})
            .values_list("pk", flat=True)
        )
        kept = [p for p in proposals if p.application_id in live]
        created = Proposal.objects.bulk_create(kept, ignore_conflicts=True)
        Mailbox.objects.filter(pk=mailbox.pk).update(
            uidvalidity=found.uidvalidity,
            last_uid=found.last_uid,
            last_polled_at=now,
            last_read=found.read,
            failures=0,
            auth_failures=0,
            last_error="",
            last_error_at=None,
            next_poll_at=now if found.more else now + interval(),
            lease_token=None,
            lease_until=None,
        )
    return Outcome(
        "read", read=found.read, kept=len(created), more=found.more, bytes_read=found.bytes_read
    )


def _failed(mailbox: Mailbox, token: uuid.UUID, error: str, *, needs_user: bool) -> Outcome:
    now = timezone.now()
    with transaction.atomic():
        row = Mailbox.objects.select_for_update().filter(pk=mailbox.pk, lease_token=token).first()
        if row is None:
            return Outcome("lost", error=error)
        changes = {"last_error": error, "last_error_at": now, "lease_token": None}
        changes["lease_until"] = None
        state = "failed"
        if needs_user:
            changes["auth_failures"] = row.auth_failures + 1
            changes["next_poll_at"] = now + interval()
            if changes["auth_failures"] >= PAUSE_AFTER:
                changes |= {"state": Mailbox.State.PAUSED, "paused_at": now}
                state = "paused"
                notice = PauseNotice.objects.create(
                    owner_id=row.owner_id, mailbox=row, reason=error
                )
                from inbox import tasks

                # Recorded first; without a broker just now, beat's sweep sends it (unsent()).
                queue_after_commit(tasks.send_pause_notice, notice.pk)
        else:
            changes["failures"] = row.failures + 1
            changes["next_poll_at"] = now + backoff(changes["failures"])
        Mailbox.objects.filter(pk=row.pk).update(**changes)
    return Outcome(state, error=error)
