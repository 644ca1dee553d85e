"""Reminders of what the candidate owes: the sweep that claims them and the delivery that sends
every outbox row (reminders, digests, and the messages users send from Bridges).

Exactly once, by construction:
- Due follow-ups are claimed under row locks (`SELECT … FOR UPDATE SKIP LOCKED`): a sweep
  running at the same time skips the rows another holds, so overlapping sweeps never claim
  the same reminder twice, and neither waits for the other.
- The claim and the outbox row it creates are one transaction, and the outbox row's unique
  key (follow-up, n-th reminder) refuses a second copy: a reminder is never lost between them
  and never queued twice.
- Delivery claims the outbox row for a lease (pending → sending). A task delivered twice finds
  it taken and steps aside; a worker killed mid-send leaves the lease to expire, after which
  the row is sent by whoever comes next (the retried task or the next sweep).
The one possible duplicate: a crash after the mail server accepted the message and before the
row is marked sent, a window of one UPDATE (docs/architecture.md); the next message of a batch
goes out only once that UPDATE is committed, so it is at most one message per process. A
user's message carries its outbox row's Message-ID, so even that copy is the same email to the
mail apps that receive it.

A user's message is recorded as an outbox row in the transaction that logs it on the timeline
(messaging/services.py); its delivery task is queued after that commit, and when the broker
is away the row is left for the sweep's `requeue_stale`, like any other row whose task was lost.
"""

import contextlib
import datetime
import logging
import smtplib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import IntegrityError, connections, transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from accounts.models import ReminderMode
from applications.models import FollowUp
from config.mail_headers import render_subject, templated_email
from messaging import outgoing
from messaging.models import Outbox, SweepStatus

logger = logging.getLogger(__name__)

BATCH = 500
REPEAT_EVERY = datetime.timedelta(hours=24)
MAX_REMINDERS = 3
LINK_MAX_AGE = 7 * 24 * 60 * 60
_LINK_SALT = "bridges.messaging.reminder-link"


# --- When a user may be emailed -------------------------------------------------------------


def _in_quiet_hours(user, local: datetime.datetime) -> bool:
    return user.in_quiet_hours(local.time())


def _quiet_hours_end(user, local: datetime.datetime) -> datetime.datetime:
    end = datetime.datetime.combine(local.date(), user.quiet_hours_end, tzinfo=local.tzinfo)
    return end if end > local else end + datetime.timedelta(days=1)


def _digest_time(user, local: datetime.datetime) -> datetime.datetime:
    """Today's digest hour if still to come, else tomorrow's."""
    today = local.replace(hour=user.digest_hour, minute=0, second=0, microsecond=0)
    return today if today > local else today + datetime.timedelta(days=1)


def postponed_until(user, now: datetime.datetime) -> datetime.datetime | None:
    """When a reminder due now may go out instead, or None if it may go now."""
    local = now.astimezone(user.zoneinfo)
    if _in_quiet_hours(user, local):
        return _quiet_hours_end(user, local)
    return None


# --- The sweep ----------------------------------------------------------------------------------


@dataclass
class SweepResult:
    claimed: list[int]  # outbox ids created by this sweep
    postponed: int = 0
    requeued: list[int] | None = None


def sweep(
    now: datetime.datetime | None = None,
    batch: int = BATCH,
    max_batches: int = 40,
    on_claimed=None,
) -> SweepResult:
    """Claims every reminder due by `now` (up to `max_batches` batches a run) and creates
    their outbox rows. `on_claimed(ids)` runs after each batch is committed, so delivery can
    start while the sweep goes on; the ids are also returned."""
    now = now or timezone.now()
    result = SweepResult(claimed=[])
    for _ in range(max_batches):
        try:
            claimed, postponed, seen = _claim_batch(now, batch)
            if on_claimed and claimed:
                on_claimed(claimed)
        except (_Conflict, IntegrityError):
            # Another sweep queued one of these reminders first (possible only where the
            # database cannot lock rows, i.e. SQLite): this batch is undone, nothing doubled.
            logger.warning("Reminder sweep met a reminder already queued; batch skipped.")
            break
        result.claimed += claimed
        result.postponed += postponed
        if seen < batch:
            break
    result.requeued = requeue_stale(now)
    SweepStatus.objects.update_or_create(
        pk=1, defaults={"finished_at": timezone.now(), "claimed": len(result.claimed)}
    )
    return result


class _Conflict(Exception):
    """A row of the batch was no longer due when claimed: another sweep took it."""


@transaction.atomic
def _claim_batch(now: datetime.datetime, batch: int) -> tuple[list[int], int, int]:
    """Claims one batch of due reminders: (outbox ids created, postponed, rows seen).

    The rows are locked (`FOR UPDATE SKIP LOCKED`): a sweep running at the same time skips
    them and takes the next ones. The claim itself is a conditional UPDATE (compare and swap):
    it moves the reminder times of rows that are *still due*, and if any was not (taken by
    another sweep where rows cannot be locked), the whole batch is undone. The outbox rows are
    written in the same transaction, and their unique key refuses a second copy.
    """
    due = list(
        FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(remind_at__lte=now)
        .select_related("owner")
        .order_by("remind_at", "id")[:batch]
    )
    outbox: list[Outbox] = []
    claims: list[FollowUp] = []  # rows whose reminder goes out now
    postponed = 0
    digests: dict[int, list[FollowUp]] = {}
    for followup in due:
        owner = followup.owner
        if not followup.is_pending or owner.reminder_mode == ReminderMode.NONE:
            followup.remind_at = None  # nothing to send: the site shows what is pending
        elif owner.reminder_mode == ReminderMode.DIGEST:
            digests.setdefault(owner.pk, []).append(followup)
        elif later := postponed_until(owner, now):
            followup.remind_at, postponed = later, postponed + 1
        else:
            claims.append(followup)
            outbox.append(
                Outbox(owner_id=owner.pk, followup=followup, sequence=followup.reminders_sent + 1)
            )
    for followups in digests.values():
        if digest := _digest(followups, now):
            claims += followups
            outbox.append(digest)
    _claim(claims, now)
    waiting = [f for f in due if f not in claims]
    FollowUp.objects.bulk_update(waiting, ["remind_at"])
    created = Outbox.objects.bulk_create(outbox)
    return [row.pk for row in created], postponed, len(due)


def _claim(claims: list[FollowUp], now: datetime.datetime) -> None:
    """The compare-and-swap: next reminder in 24 hours (three at most), only if still due."""
    if not claims:
        return
    won = FollowUp.objects.filter(pk__in=[f.pk for f in claims], remind_at__lte=now).update(
        remind_at=Case(
            When(reminders_sent__lt=MAX_REMINDERS - 1, then=Value(now + REPEAT_EVERY)),
            default=Value(None),
        ),
        reminders_sent=F("reminders_sent") + 1,
    )
    if won != len(claims):
        raise _Conflict


def _digest(followups: list[FollowUp], now: datetime.datetime) -> Outbox | None:
    """Digest mode: at the user's hour, one email with everything due; until then, wait."""
    owner = followups[0].owner
    local = now.astimezone(owner.zoneinfo)
    sent_today = Outbox.objects.filter(owner=owner, digest_day=local.date()).exists()
    if local.hour != owner.digest_hour or _in_quiet_hours(owner, local) or sent_today:
        for followup in followups:
            followup.remind_at = _digest_time(owner, local)
        return None
    ids = [followup.pk for followup in followups]
    return Outbox(owner=owner, digest_day=local.date(), sequence=0, followup_ids=ids)


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


def requeue_stale(now: datetime.datetime) -> list[int]:
    """Outbox rows whose task was lost (a Redis restart, a worker that never came back): pending
    and queued longer ago than REMINDER_STALE_SECONDS, or sending past their lease. Each is
    marked queued again, so overlapping sweeps do not both queue it."""
    stale_after = datetime.timedelta(seconds=settings.REMINDER_STALE_SECONDS)
    candidates = list(
        Outbox.objects.filter(
            Q(state=Outbox.State.PENDING) | Q(state=Outbox.State.SENDING, lease_until__lte=now),
            queued_at__lte=now - stale_after,
        ).values_list("pk", "queued_at")[:BATCH]
    )
    return [
        pk
        for pk, queued_at in candidates
        if Outbox.objects.filter(pk=pk, queued_at=queued_at).update(queued_at=now)
    ]


def leave_to_sweep(outbox_ids: list[int]) -> None:
    """Rows whose delivery task could not be queued (the broker is away): marked as queued
    long enough ago that the next sweep requeues them, rather than after REMINDER_STALE_SECONDS
    more."""
    stale_after = datetime.timedelta(seconds=settings.REMINDER_STALE_SECONDS + 1)
    Outbox.objects.filter(pk__in=outbox_ids, state=Outbox.State.PENDING).update(
        queued_at=timezone.now() - stale_after
    )


# --- Delivery -----------------------------------------------------------------------------------


class Busy(Exception):
    """Another delivery holds this row's lease; try again after it runs out."""

    def __init__(self, seconds: float):
        super().__init__(f"leased for {seconds:.0f} more seconds")
        self.seconds = seconds


class TransientFailure(Exception):
    """The mail server failed this time; the row stays pending for a retry."""


def retry_delay(attempts: int) -> datetime.timedelta:
    """Backoff after a failed send: 30 s, 1 min, 2 min… up to 30 minutes."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 1800))


MAX_ATTEMPTS = 8
# A user's own message: tried three times (at once, after 30 s, after a minute more), then
# shown as failed with the error, for the user to retry or send another way.
MESSAGE_MAX_ATTEMPTS = 3
BATCH_SIZE = 50  # rows one delivery task sends over one SMTP connection


@dataclass
class Delivery:
    """What one batch delivery did: each row's state now, and what is left to do."""

    states: dict[int, str] = field(default_factory=dict)
    busy: dict[int, float] = field(default_factory=dict)  # held by another delivery: seconds left
    retry: dict[int, str] = field(default_factory=dict)  # the mail server failed: the error


def deliver(outbox_id: int, max_attempts: int = MAX_ATTEMPTS) -> str:
    """Sends one outbox row, at most once. Returns its final or current state; raises Busy
    if another delivery holds it, TransientFailure if the mail server failed this time."""
    result = deliver_many([outbox_id], max_attempts)
    if outbox_id in result.busy:
        raise Busy(result.busy[outbox_id])
    if outbox_id in result.retry:
        raise TransientFailure(result.retry[outbox_id])
    return result.states[outbox_id]


def _lease(outbox_ids: list[int], now, my_lease, result: Delivery) -> list[Outbox]:
    """Leases the rows of a batch that no other delivery holds and returns them; the others
    (held, already sent or failed, gone) are recorded in `result`."""
    claimable = Q(state=Outbox.State.PENDING) | Q(state=Outbox.State.SENDING, lease_until__lte=now)
    # One transaction, two statements for the whole batch: the rows no other delivery holds are
    # locked, in id order (so two deliveries of overlapping batches wait for each other instead
    # of deadlocking, and the one that waited finds the row leased: PostgreSQL checks the
    # condition again on the row as the other left it, and skips it), then leased together.
    # Where rows cannot be locked (SQLite), the transaction is serializable: the same rows.
    with transaction.atomic():
        free = list(
            Outbox.objects.select_for_update()
            .filter(claimable, pk__in=outbox_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        taken = Outbox.objects.filter(claimable, pk__in=free).update(
            state=Outbox.State.SENDING, lease_until=my_lease, attempts=F("attempts") + 1
        )
        if taken != len(free):
            raise RuntimeError("Outbox rows locked for a lease changed under the lock.")
    leased = set(free)
    rows = {
        row.pk: row
        for row in Outbox.objects.select_related("owner", "message").filter(pk__in=outbox_ids)
    }
    won = []
    for outbox_id in outbox_ids:
        row = rows.get(outbox_id)
        if row is None:
            result.states[outbox_id] = "gone"
        elif outbox_id in leased:
            won.append(row)
        elif row.state == Outbox.State.SENDING and row.lease_until:
            result.busy[outbox_id] = max(1.0, (row.lease_until - now).total_seconds())
            result.states[outbox_id] = row.state
        else:
            result.states[outbox_id] = row.state  # sent or failed already: nothing to do
    return won


def deliver_many(outbox_ids: list[int], max_attempts: int = MAX_ATTEMPTS) -> Delivery:
    """Sends a batch of outbox rows over one SMTP connection, each at most once.

    The rows no other delivery holds are leased in one transaction, all are read with their
    follow-ups in two queries, and each is marked sent (one UPDATE, its own commit) as soon as
    the mail server accepts it and before the next goes out, so a crash leaves at most the
    message in flight unrecorded. A row another delivery holds is left to it; a mail server
    that fails a message puts that row back to pending with its backoff; one that cannot be
    reached at all does the same for the rest of the batch."""
    now = timezone.now()
    my_lease = now + lease()
    result = Delivery()
    won = _lease(outbox_ids, now, my_lease, result)
    if not won:
        return result
    followups = _followups_of(won)
    connection = get_connection()

    def failed_this_time(outbox: Outbox, reason: str) -> None:
        limit = min(max_attempts, MESSAGE_MAX_ATTEMPTS) if outbox.message_id else max_attempts
        if outbox.attempts >= limit:
            result.states[outbox.pk] = _finish(outbox, my_lease, Outbox.State.FAILED, reason)
        else:
            result.retry[outbox.pk] = _back_to_pending(outbox, my_lease, reason)
            result.states[outbox.pk] = Outbox.State.PENDING

    try:
        connection.open()  # kept open for the batch: send_messages then leaves it open
    except (smtplib.SMTPException, OSError) as error:
        for outbox in won:
            failed_this_time(outbox, f"{type(error).__name__}: {error}")
        return result
    links = _links()
    smtp = getattr(type(connection), "_send", None) is SMTPBackend._send
    # The emails are built in order (and, for SMTP, turned into the bytes sent) in a thread of
    # their own, ahead of this one, which meanwhile waits on the mail server and on each commit.
    # Building writes nothing: what goes out, and when each row is recorded, is as if built here.
    builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-build")
    try:
        built = [
            builder.submit(_prepared, outbox, followups.get(outbox.pk, []), links, smtp)
            if followups.get(outbox.pk) or outbox.message_id
            else None
            for outbox in won
        ]
        for index, outbox in enumerate(won):
            outcome = _deliver_one(outbox, built[index], connection, my_lease)
            if isinstance(outcome, _Unreachable):
                # Nothing more will get through this time: the rest wait for their retry.
                for rest in won[index:]:
                    failed_this_time(rest, outcome.reason)
                break
            if isinstance(outcome, _Refused):
                failed_this_time(outbox, outcome.reason)
            else:
                result.states[outbox.pk] = outcome
    finally:
        builder.shutdown(wait=True, cancel_futures=True)
        connection.close()
    return result


@dataclass
class _Prepared:
    """An outbox row's email, and for Django's SMTP backend what its `_send` would hand to
    `sendmail` (the sender and recipients as sanitised there, the message's bytes)."""

    email: EmailMessage
    sendmail_args: tuple[str, list[str], bytes] | None


def _prepared(outbox: Outbox, followups: list[FollowUp], links: dict, smtp: bool) -> _Prepared:
    """Runs in the builder thread; any database connection it opened is closed before it ends
    (it should open none: the rows and their follow-ups were read with what they show)."""
    try:
        email = (
            outgoing.message_email(outbox)
            if outbox.message_id
            else _email(outbox, followups, links)
        )
        if not smtp or not email.recipients():
            return _Prepared(email, None)
        encoding = email.encoding or settings.DEFAULT_CHARSET
        return _Prepared(
            email,
            (
                sanitize_address(email.from_email, encoding),
                [sanitize_address(address, encoding) for address in email.recipients()],
                email.message().as_bytes(linesep="\r\n"),
            ),
        )
    finally:
        connections.close_all()


@dataclass
class _Refused:
    """The mail server failed this message; others may still go through."""

    reason: str


@dataclass
class _Unreachable:
    """The mail server cannot be reached: no message of the batch will go through now."""

    reason: str


def _deliver_one(outbox: Outbox, built: "Future[_Prepared] | None", connection, my_lease):
    if built is None:
        nothing = (
            "Nothing left to remind: the follow-up was done, dismissed, or its application deleted."
        )
        return _finish(outbox, my_lease, Outbox.State.FAILED, nothing)
    try:
        prepared = built.result()  # what building raised is raised here
        if prepared.sendmail_args:
            # Django's SMTP backend, as its `_send` does, with the bytes built ahead.
            connection.connection.sendmail(*prepared.sendmail_args)
        else:
            prepared.email.connection = connection
            prepared.email.send()
    except (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, ConnectionError) as error:
        connection.close()  # a broken connection is not reused
        return _Unreachable(f"{type(error).__name__}: {error}")
    except (smtplib.SMTPException, OSError) as error:
        return _Refused(f"{type(error).__name__}: {error}")
    except Exception as error:
        # A bug, not the mail server: retrying would fail the same way. Record it and stop.
        logger.exception("Outbox row %s could not be built or sent", outbox.pk)
        return _finish(outbox, my_lease, Outbox.State.FAILED, f"{type(error).__name__}: {error}")
    # Recorded before the next message goes out: a crash leaves at most this one unrecorded.
    return _finish(outbox, my_lease, Outbox.State.SENT, "")


def _back_to_pending(outbox: Outbox, my_lease, reason: str) -> str:
    """Back to pending after a failed send; the sweep leaves the row to the task's own retry
    until its backoff ends."""
    Outbox.objects.filter(pk=outbox.pk, lease_until=my_lease).update(
        state=Outbox.State.PENDING,
        lease_until=None,
        last_error=reason,
        queued_at=timezone.now() + retry_delay(outbox.attempts),
    )
    return reason


def _finish(outbox: Outbox, my_lease, state: str, error: str) -> str:
    """Records the outcome, if this delivery still holds the row (a delivery that outlived its
    lease, while another took over, must not overwrite the other's result). A user's message has
    its timeline entry brought up to date in the same transaction: “Emailed” only once the
    server took it."""
    # A reminder's outcome is one UPDATE, its own transaction; a message's and its timeline
    # entry's are one transaction together.
    with transaction.atomic() if outbox.message_id else contextlib.nullcontext():
        finished = Outbox.objects.filter(pk=outbox.pk, lease_until=my_lease).update(
            state=state,
            last_error=error,
            lease_until=None,
            sent_at=timezone.now() if state == Outbox.State.SENT else None,
        )
        if finished and outbox.message_id:
            outgoing.record_on_timeline(outbox.message_id, state)
    return state


def _followups_of(outboxes: list[Outbox]) -> dict[int, list[FollowUp]]:
    """Each outbox row's pending follow-ups (its one, or a digest's), in one query."""
    wanted: dict[int, list[int]] = {}
    for outbox in outboxes:
        if outbox.digest_day:
            wanted[outbox.pk] = list(outbox.followup_ids)
        elif outbox.followup_id:
            wanted[outbox.pk] = [outbox.followup_id]
    every = {pk for ids in wanted.values() for pk in ids}
    found = {
        followup.pk: followup
        for followup in FollowUp.objects.filter(pk__in=every)
        .pending()
        .select_related("application")
        .order_by("due_at")
    }
    owners = {outbox.pk: outbox.owner_id for outbox in outboxes}
    return {
        outbox_pk: sorted(
            (found[pk] for pk in ids if pk in found and found[pk].owner_id == owners[outbox_pk]),
            key=lambda followup: followup.due_at,
        )
        for outbox_pk, ids in wanted.items()
    }


def action_link(followup: FollowUp, action: str) -> str:
    token = signing.dumps({"f": followup.pk, "a": action}, salt=_LINK_SALT)
    return settings.SITE_URL + reverse("messaging:reminder_action", args=[token])


def read_action_link(token: str) -> tuple[int, str]:
    """The follow-up and the action a link was made for; raises signing.BadSignature
    (or SignatureExpired, a subclass) if it was tampered with or is too old."""
    data = signing.loads(token, salt=_LINK_SALT, max_age=LINK_MAX_AGE)
    return int(data["f"]), str(data["a"])


def _links() -> dict[str, str]:
    """The links every reminder email carries, worked out once a batch."""
    return {
        "followups_url": settings.SITE_URL + reverse("applications:followups"),
        "profile_url": settings.SITE_URL + reverse("profile"),
    }


def _email(outbox: Outbox, followups: list[FollowUp], links: dict) -> EmailMultiAlternatives:
    owner = outbox.owner
    items = [
        {
            "followup": f,
            "due": f.effective_due,
            "url": settings.SITE_URL + reverse("applications:detail", args=[f.application_id]),
            "done_url": action_link(f, "done"),
            "snooze_url": action_link(f, "snooze"),
        }
        for f in followups
    ]
    context = {"user": owner, "items": items, "digest": bool(outbox.digest_day), **links}
    return templated_email(
        "reminder",
        context,
        subject=render_subject("emails/reminder-subject.txt", context),
        to=[owner.email],
        headers={"X-Bridges-Outbox": str(outbox.pk)},
        zone=owner.zoneinfo,
    )
