"""What the candidate owes, opened and completed by the pipeline's events.

`apply(event)` runs for every timeline event, inside the transaction that records it, so an
event and its follow-ups are written together or not at all.

| event | follow-up | due (user-adjustable defaults) |
|---|---|---|
| invitation received | answer it | end of that business day, in the user's zone |
| declined or withdrew with no message sent | tell the employer | at once |
| interview held | thank-you note | 24 hours after the interview |
| declined or withdrew | optional thank-you | 2 days later, low priority |
| applied, or interviewed, then silence | polite check-in | 7 business days |
| offer with a deadline | decide and answer | 2 days before the deadline |
| interview scheduled | prepare, or decline now | the day before |
| no activity at all | update or close | 30 days |
| saved from a posting with a closing date | apply before it closes | 2 days before, 17:00 |

An application saved with its posting's closing date opens “apply before” through
`open_apply_before`, called by the service that creates it; applying settles it.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from applications.business_days import add_business_days, add_days, end_of_business_day
from applications.models import Application, FollowUp, Interview, TimelineEvent
from applications.stages import END_STAGES, Stage
from config import formats
from config.views_common import STAND_IN_ID, STAND_IN_TIME, PreparedQuery, Read

K = FollowUp.Kind
Event = TimelineEvent.Kind

# A message kind, as messaging names it (a value of messaging.catalogue.Kind). The pipeline
# sits below messaging, so it holds the values; tests/test_rule_tables.py checks every one.
MessageKind = str


@dataclass(frozen=True)
class Owing:
    """How one kind of follow-up is answered and listed."""

    settled_by: frozenset[MessageKind] = frozenset()  # messages that settle it once logged
    write: MessageKind | None = None  # the one-click “Write it” from the follow-ups page
    listed_before_due: bool = True  # shown under “coming up” before it falls due


# One row per kind of follow-up: a kind without a row is a test failure.
OWING: dict[str, Owing] = {
    K.ANSWER_INVITATION: Owing(
        frozenset({"decline_interview", "defer_interview"}), write="decline_interview"
    ),
    K.TELL_EMPLOYER: Owing(
        frozenset({"decline_interview", "withdraw", "decline_offer"}), write="withdraw"
    ),
    K.THANK_YOU: Owing(frozenset({"thank_you_interview"}), write="thank_you_interview"),
    K.THANK_YOU_AFTER_DECLINE: Owing(
        frozenset({"thank_you_after_decline"}), write="thank_you_after_decline"
    ),
    K.CHECK_IN: Owing(frozenset({"follow_up"}), write="follow_up"),
    K.ANSWER_OFFER: Owing(frozenset({"accept_offer", "decline_offer"}), write="accept_offer"),
    K.PREPARE: Owing(
        frozenset({"decline_interview", "defer_interview", "withdraw"}), write="defer_interview"
    ),
    # Any activity pushes it back; it matters only once the silence has lasted.
    K.UPDATE_OR_CLOSE: Owing(listed_before_due=False),
    # Applying settles it (a stage move, not a message).
    K.APPLY_BEFORE: Owing(),
}
# What an ended application still owes: telling them, and thanking them.
AFTER_THE_END = (K.TELL_EMPLOYER, K.THANK_YOU_AFTER_DECLINE)
# How long before a posting closes the candidate is reminded to apply.
APPLY_DAYS_BEFORE = 2


def apply(event: TimelineEvent) -> None:
    application = event.application
    handler = _HANDLERS.get(event.kind)
    if handler:
        handler(application, event)
    if application.is_active and not application.archived_at:
        _push_back_inactivity(application, event.at)


# --- Opening and closing --------------------------------------------------------------------


def _open(
    application: Application,
    kind: str,
    due_at: datetime.datetime,
    *,
    interview: Interview | None = None,
    low_priority: bool = False,
) -> None:
    """Opens the follow-up, or moves the due time of the one already open for the same thing.

    One that has already sent reminders is closed instead and a fresh one opened, so the new
    round gets its own three reminders.
    """
    pending = FollowUp.objects.pending().filter(
        application=application, kind=kind, interview=interview
    )
    if pending.filter(reminders_sent=0).update(
        due_at=due_at, remind_at=due_at, state=FollowUp.State.OPEN, snoozed_until=None
    ):
        return
    pending.update(state=FollowUp.State.DONE, closed_at=timezone.now(), remind_at=None)
    FollowUp.objects.create(
        owner_id=application.owner_id,
        application=application,
        interview=interview,
        kind=kind,
        due_at=due_at,
        remind_at=due_at,
        low_priority=low_priority,
    )


def _settle(application: Application, kinds, *, interview: Interview | None = None) -> int:
    """Marks the pending follow-ups of these kinds done (for one interview, if given)."""
    pending = FollowUp.objects.pending().filter(application=application, kind__in=kinds)
    if interview is not None:
        pending = pending.filter(interview=interview)
    return pending.update(state=FollowUp.State.DONE, closed_at=timezone.now(), remind_at=None)


def _zone(application: Application):
    return application.owner.zoneinfo


def _check_in_due(application: Application, after: datetime.datetime) -> datetime.datetime:
    return add_business_days(after, application.owner.check_in_business_days, _zone(application))


def _days_before(
    application: Application, day: datetime.date, days: int, now: datetime.datetime
) -> datetime.datetime:
    """17:00 in the user's zone `days` before `day`, or `now` if that has passed."""
    due = datetime.datetime.combine(
        day - datetime.timedelta(days=days), datetime.time(17, 0), tzinfo=_zone(application)
    )
    return max(due, now)


def _push_back_inactivity(application: Application, at: datetime.datetime) -> None:
    days = application.owner.inactivity_days
    _open(application, K.UPDATE_OR_CLOSE, add_days(at, days, _zone(application)), low_priority=True)


# --- One handler per kind of event ------------------------------------------------------------


def _on_invitation(application: Application, event: TimelineEvent) -> None:
    _settle(application, [K.CHECK_IN])
    _open(application, K.ANSWER_INVITATION, end_of_business_day(event.at, _zone(application)))


def _on_interview_scheduled(application: Application, event: TimelineEvent) -> None:
    interview = event.interview
    # Scheduling answers the invitation (the candidate said yes).
    _settle(application, [K.ANSWER_INVITATION])
    if interview and interview.state in (Interview.State.SCHEDULED, Interview.State.PROPOSED):
        # The same local time the day before (wall-clock arithmetic, right across DST).
        local = interview.starts_at.astimezone(_zone(application))
        due = max(local - datetime.timedelta(days=1), event.at)
        already = FollowUp.objects.filter(
            application=application, kind=K.PREPARE, interview=interview
        )
        # An edit that leaves the time alone (a new room, a link) changes nothing owed.
        if not already.filter(due_at=due).exists():
            _open(application, K.PREPARE, due, interview=interview)


def _on_interview_held(application: Application, event: TimelineEvent) -> None:
    interview = event.interview
    _settle(application, [K.ANSWER_INVITATION])
    if interview is None:
        return
    _settle(application, [K.PREPARE], interview=interview)
    ended = interview.starts_at + datetime.timedelta(minutes=interview.duration_minutes)
    hours = datetime.timedelta(hours=application.owner.thank_you_hours)
    _open(application, K.THANK_YOU, ended + hours, interview=interview)
    _open(application, K.CHECK_IN, _check_in_due(application, ended))


def _on_interview_cancelled(application: Application, event: TimelineEvent) -> None:
    if event.interview:
        _settle(application, [K.PREPARE], interview=event.interview)


def _on_offer(application: Application, event: TimelineEvent) -> None:
    _settle(application, [K.CHECK_IN, K.ANSWER_INVITATION])
    deadline = application.offer.deadline
    if deadline:
        days = application.owner.offer_days_before
        _open(application, K.ANSWER_OFFER, _days_before(application, deadline, days, event.at))


def _on_message(application: Application, event: TimelineEvent) -> None:
    message_kind = event.message.kind if event.message else ""
    settled = [kind for kind, owing in OWING.items() if message_kind in owing.settled_by]
    _settle(application, settled)
    if K.CHECK_IN in settled and application.is_active:
        # Checked in: if silence goes on, check in once more later.
        _open(application, K.CHECK_IN, _check_in_due(application, event.at))


def _on_created(application: Application, event: TimelineEvent) -> None:
    if event.to_stage == Stage.APPLIED:
        _open(application, K.CHECK_IN, _check_in_due(application, event.at))


def _on_move(application: Application, event: TimelineEvent) -> None:
    target = event.to_stage
    if target != Stage.SAVED:
        # Applied (or further): the posting's closing date no longer matters.
        _settle(application, [K.APPLY_BEFORE])
    if target in END_STAGES:
        pending = FollowUp.objects.pending().filter(application=application)
        pending.exclude(kind__in=AFTER_THE_END).update(
            state=FollowUp.State.DONE, closed_at=timezone.now(), remind_at=None
        )
        if target in (Stage.DECLINED, Stage.WITHDRAWN):
            _after_stepping_out(application, event)
        return
    if target == Stage.APPLIED and event.from_stage in ("", Stage.SAVED):
        _open(application, K.CHECK_IN, _check_in_due(application, event.at))


def open_apply_before(application: Application, closes_on: datetime.date) -> None:
    """A saved application whose posting closes on `closes_on`: apply in time. Nothing is
    owed for an application already sent, or a posting that has closed."""
    if application.stage != Stage.SAVED or closes_on < timezone.localdate(
        timezone=_zone(application)
    ):
        return
    due = _days_before(application, closes_on, APPLY_DAYS_BEFORE, timezone.now())
    _open(application, K.APPLY_BEFORE, due)


def _after_stepping_out(application: Application, event: TimelineEvent) -> None:
    """Declined or withdrew: tell them now (unless a message already did), thank them later."""
    since = (
        application.events.filter(kind=Event.REOPENED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
        or application.created_at
    )
    told = application.messages.filter(
        kind__in=OWING[K.TELL_EMPLOYER].settled_by, created_at__gte=since
    ).exists()
    if not told:
        _open(application, K.TELL_EMPLOYER, event.at)
    later = add_days(event.at, 2, _zone(application))
    _open(application, K.THANK_YOU_AFTER_DECLINE, later, low_priority=True)


def _on_reopen(application: Application, event: TimelineEvent) -> None:
    # Back in the process: nothing is owed for the ending that was undone.
    _settle(application, AFTER_THE_END)


def _on_archive(application: Application, event: TimelineEvent) -> None:
    # Archived: set aside on purpose, so no more reminders about it.
    FollowUp.objects.pending().filter(application=application).update(
        state=FollowUp.State.DISMISSED, closed_at=timezone.now(), remind_at=None
    )


_HANDLERS = {
    Event.CREATED: _on_created,
    Event.INVITATION_RECEIVED: _on_invitation,
    Event.INTERVIEW_SCHEDULED: _on_interview_scheduled,
    Event.INTERVIEW_HELD: _on_interview_held,
    Event.INTERVIEW_CANCELLED: _on_interview_cancelled,
    Event.OFFER_RECORDED: _on_offer,
    Event.MESSAGE_LOGGED: _on_message,
    Event.STAGE_MOVED: _on_move,
    Event.REOPENED: _on_reopen,
    Event.ARCHIVED: _on_archive,
}


def answer_due(application: Application, kind: str) -> datetime.datetime | None:
    """When the pending follow-up of this kind on the application is owed, or None."""
    owed = application.followups.filter(kind=kind).pending().order_by("-due_at").first()
    return owed.effective_due if owed else None


# --- What is owed, in which order --------------------------------------------------------------


class Owed(NamedTuple):
    """One follow-up as the pages list it, read as plain values (no model instance each). A
    tuple: the follow-ups page's template unpacks each item into its fields, in this order,
    rather than looking up fifteen attributes an item."""

    pk: int
    application_id: int
    kind: str
    label: str  # the kind, as the pages name it
    snoozed: bool
    low_priority: bool
    effective_due: datetime.datetime  # in the current time zone
    due_text: str  # “Tue 1 Dec, 10:00” (config/formats.py)
    due_iso: str  # as a <time> element's datetime
    now: datetime.datetime  # when it was read, which `due_words` counts from
    message_kind: MessageKind | None  # the message that settles it, written in one click
    application: str  # “Backend Engineer at Acme”
    posting_url: str
    # Where its links and buttons go: its application's page, the message that settles it
    # ("" without one), and what marks it done, snoozes it or dismisses it.
    application_url: str
    write_url: str
    done_url: str
    snooze_url: str
    dismiss_url: str

    @property
    def due_words(self) -> str:
        """“in 3 days”, “2 hours overdue” (worked out for the panels that show it)."""
        return due_in_words(self.effective_due, self.now)


def owed(user, *, application: Application | None = None, now: datetime.datetime | None = None):
    """What the user owes (on one application, if given), as the pages list it: `(overdue,
    upcoming)`, lists of `Owed`. Overdue first, oldest due first; then what is coming, soonest
    first. “Update or close” matters only once the silence has lasted: it is not listed before
    it is due. One query, its SQL worked out once a process."""
    if not user.is_authenticated:
        return [], []
    return owed_read(user, application_id=application.pk if application else None, now=now).result()


def owed_read(user, *, application_id: int | None = None, now: datetime.datetime | None = None):
    """`owed` as a Read (config/views_common.py), for a page that reads it with others."""
    now = now or timezone.now()
    if application_id is None:
        call = _owed_rows.call(user.pk, now)
    else:
        call = _owed_rows_on.call(user.pk, now, application_id)
    return Read((call,), lambda rows: _owed_from(rows, now))


def _owed_from(rows, now: datetime.datetime) -> tuple[list["Owed"], list["Owed"]]:
    zone = timezone.get_current_timezone()
    detail, compose, done, snooze, dismiss = (formats.url_of(name) for name in _URL_NAMES)
    overdue, upcoming = [], []
    for pk, application_id, kind, state, low_priority, due, job_title, company, url in rows:
        late = due <= now
        local = due.astimezone(zone)
        write = OWING[kind].write
        (overdue if late else upcoming).append(
            Owed(
                pk,
                application_id,
                kind,
                _LABELS[kind],
                state == FollowUp.State.SNOOZED,
                low_priority,
                local,
                formats.short_when(local),
                local.isoformat(),
                now,
                write,
                f"{job_title} at {company}",
                url,
                detail(application_id),
                f"{compose(application_id)}?kind={write}" if write else "",
                done(pk),
                snooze(pk),
                dismiss(pk),
            )
        )
    # Read in order of due time; a snooze moves what is coming to when it ends.
    upcoming.sort(key=lambda item: item.effective_due)
    return overdue, upcoming


_LABELS = dict(FollowUp.Kind.choices)
_URL_NAMES = (
    "applications:detail",
    "messaging:compose",
    "applications:followup_done",
    "applications:followup_snooze",
    "applications:followup_dismiss",
)
# What is not listed before it is due (OWING says).
_LISTED_ONCE_DUE = sorted(kind for kind, owing in OWING.items() if not owing.listed_before_due)


def _listed(user_id: int, now: datetime.datetime):
    """What the user owes that the pages list at `now` (pending, and due, or listed before
    it is due), each with what they show of its application (read through the same owner),
    oldest due first."""
    return (
        FollowUp.objects.for_user(get_user_model()(pk=user_id))
        .pending()
        .filter(application__owner_id=user_id)
        .with_effective_due()
        .filter(~Q(kind__in=_LISTED_ONCE_DUE) | Q(effective_due_at__lte=now))
        .order_by("due_at", "id")
    )


_SHOWN = (
    "pk",
    "application_id",
    "kind",
    "state",
    "low_priority",
    "effective_due_at",
    "application__job_title",
    "application__company",
    "application__posting_url",
)
_owed_rows = PreparedQuery(
    lambda user_id, now: _listed(user_id, now).values_list(*_SHOWN), STAND_IN_ID, STAND_IN_TIME
)
_owed_rows_on = PreparedQuery(
    lambda user_id, now, application_id: (
        _listed(user_id, now).filter(application_id=application_id).values_list(*_SHOWN)
    ),
    STAND_IN_ID,
    STAND_IN_TIME,
    STAND_IN_ID - 1,
)


_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60))


def due_in_words(at: datetime.datetime, now: datetime.datetime) -> str:
    """“in 3 days”, “in 5 hours”, or “2 days overdue”: how far off a due time is, rounded to
    the nearest day, hour or minute (a day and 23 hours is “2 days”)."""
    seconds = abs((at - now).total_seconds())
    for unit, size in _UNITS:
        if seconds >= size * 0.95 or unit == "minute":
            count = max(1, round(seconds / size))
            break
    words = f"{count} {unit}" if count == 1 else f"{count} {unit}s"
    return f"{words} overdue" if at <= now else f"in {words}"


# --- What the user does with a follow-up --------------------------------------------------------


# How long a snooze can postpone something, as the pages offer it.
SNOOZES = {
    "1d": (datetime.timedelta(days=1), "a day"),
    "3d": (datetime.timedelta(days=3), "3 days"),
    "7d": (datetime.timedelta(days=7), "a week"),
}
SNOOZE_CHOICES = [(period, label) for period, (_, label) in SNOOZES.items()]


def snoozed_until(followup: FollowUp, period: str, now: datetime.datetime) -> datetime.datetime:
    """A snooze postpones what is owed, so it never ends before the time it postpones: it
    counts from now once that is due (or a snooze under way has ended), else from then."""
    return max(now, followup.effective_due) + SNOOZES[period][0]


def followup_snooze(*, followup: FollowUp, period: str) -> FollowUp:
    until = snoozed_until(followup, period, timezone.now())
    FollowUp.objects.filter(pk=followup.pk).update(
        state=FollowUp.State.SNOOZED, snoozed_until=until, remind_at=until
    )
    followup.refresh_from_db()
    return followup


def followup_dismiss(*, followup: FollowUp) -> None:
    FollowUp.objects.filter(pk=followup.pk).update(
        state=FollowUp.State.DISMISSED, closed_at=timezone.now(), remind_at=None
    )


def rearm_on_resume(sender, *, user, **kwargs) -> None:
    """accounts.signals.reminders_resumed's receiver (connected in apps.py)."""
    rearm_reminders(user=user)


def rearm_reminders(*, user) -> int:
    """After a user turns email reminders back on: what is pending and not yet reminded
    three times gets its reminder again (at its due time, or now if that has passed)."""
    return (
        FollowUp.objects.for_user(user)
        .pending()
        .filter(remind_at__isnull=True, reminders_sent__lt=3)
        .update(remind_at=Greatest(F("due_at"), Value(timezone.now())))
    )


def followup_done(*, followup: FollowUp) -> None:
    FollowUp.objects.filter(pk=followup.pk).update(
        state=FollowUp.State.DONE, closed_at=timezone.now(), remind_at=None
    )
