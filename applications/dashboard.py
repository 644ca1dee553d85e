"""The dashboard's figures, read in a fixed number of queries whatever the history's size.

The funnel counts, for each active stage, the applications that ever reached it or a stage
after it: an application at an interview today was screened (or skipped screening) on its way,
and one that went applied → interviewing → applied → interviewing is counted once per stage.
“Reached” comes from the stage history (every event's target stage), so moving back never
erases how far an application got. An accepted application reached the offer stage.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from applications.models import Application, EndReason, FollowUp, TimelineEvent
from applications.stages import ACTIVE_STAGES, END_STAGES, STAGE_ORDER, Stage

Kind = TimelineEvent.Kind
WEEKS = 12
OWED_SHOWN = 10
# Events whose target stage is part of the stage history.
_STAGE_KINDS = (Kind.CREATED, Kind.IMPORTED, Kind.STAGE_MOVED, Kind.REOPENED)
# Events that are the employer answering, and when (imported ones carry no real date).
_ANSWER_KINDS = (
    Kind.INVITATION_RECEIVED,
    Kind.INTERVIEW_SCHEDULED,
    Kind.INTERVIEW_HELD,
    Kind.OFFER_RECORDED,
)
_ANSWER_STAGES = {Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED, Stage.REJECTED}
# An end that means the employer answered: rejected, or the candidate declined an invitation.
_ANSWERING_ENDS = {Stage.REJECTED, Stage.DECLINED, Stage.ACCEPTED}


# The SVG charts' geometry (templates/applications/_bar_chart.html): one row per bar, its
# label to its left. A phone gets a narrower drawing, each label above its bar, so that the
# text keeps a readable size when the drawing is scaled down to the screen.
ROW_HEIGHT = 26
BAR_START = 130
BAR_LENGTH = 280
NARROW_WIDTH = 320
NARROW_ROW_HEIGHT = 42
NARROW_BAR_LENGTH = 270


@dataclass
class Bar:
    label: str
    count: int
    percent: int  # of the largest bar
    index: int = 0
    key: str = ""  # the stage it counts, for its colour (the stage's colour everywhere)

    @property
    def length(self) -> int:
        """The bar's length in the chart, never invisible when it has a count."""
        return max(round(BAR_LENGTH * self.percent / 100), 2) if self.count else 0

    @property
    def y(self) -> int:
        return self.index * ROW_HEIGHT + 3

    @property
    def text_y(self) -> int:
        return self.index * ROW_HEIGHT + 18

    @property
    def count_x(self) -> int:
        return BAR_START + self.length + 6

    @property
    def narrow_length(self) -> int:
        return max(round(NARROW_BAR_LENGTH * self.percent / 100), 2) if self.count else 0

    @property
    def narrow_text_y(self) -> int:
        return self.index * NARROW_ROW_HEIGHT + 14

    @property
    def narrow_y(self) -> int:
        return self.index * NARROW_ROW_HEIGHT + 20

    @property
    def narrow_count_x(self) -> int:
        return self.narrow_length + 6

    @property
    def narrow_count_y(self) -> int:
        return self.narrow_y + 13


class Chart(list):
    """Bars, with the chart's height for the SVG's viewBox."""

    @property
    def height(self) -> int:
        return len(self) * ROW_HEIGHT

    @property
    def narrow_height(self) -> int:
        return len(self) * NARROW_ROW_HEIGHT

    bar_start = BAR_START
    narrow_width = NARROW_WIDTH


@dataclass
class Dashboard:
    total: int
    archived: int
    stage_counts: Chart
    funnel: Chart
    outcomes: Chart
    sent: int
    answered: int
    median_days_to_answer: float | None
    per_week: Chart
    due_today: list[FollowUp]
    overdue: list[FollowUp]
    due_today_count: int
    overdue_count: int

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.answered / self.sent) if self.sent else None


def _bars(pairs: list[tuple[str, int]], keys: list[str] | None = None) -> Chart:
    top = max((count for _, count in pairs), default=0)
    keys = keys or [""] * len(pairs)
    return Chart(
        Bar(label, count, round(100 * count / top) if top else 0, index, key)
        for index, ((label, count), key) in enumerate(zip(pairs, keys, strict=True))
    )


def dashboard(*, user, now: datetime.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    zone = user.zoneinfo
    applications = list(
        Application.objects.for_user(user).values_list(
            "id", "stage", "applied_on", "created_at", "end_reason", "archived_at"
        )
    )
    tally = _tally(applications, _history(user), zone)
    today = timezone.localdate(now, zone)
    this_week = today - datetime.timedelta(days=today.weekday())
    week_starts = [this_week - datetime.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    # An application reached a stage if it got there or anywhere after it.
    funnel = [
        (
            stage.label,
            sum(n for s, n in tally.furthest.items() if s and STAGE_ORDER[s] >= STAGE_ORDER[stage]),
        )
        for stage in ACTIVE_STAGES
    ]
    overdue, due_today, counts = _owed(user, now, today)
    waits = tally.waits
    return Dashboard(
        total=len(applications),
        archived=tally.archived,
        stage_counts=_bars([(s.label, tally.stage_counts[s]) for s in Stage], list(Stage)),
        funnel=_bars(funnel, list(ACTIVE_STAGES)),
        outcomes=_bars([(s.label, tally.outcomes[s]) for s in END_STAGES], list(END_STAGES)),
        sent=len(tally.sent),
        answered=len(tally.answered & tally.sent),
        median_days_to_answer=round(statistics.median(waits), 1) if waits else None,
        per_week=_bars([(f"{week:%d %b}", tally.weeks[week]) for week in week_starts]),
        due_today=due_today,
        overdue=overdue,
        due_today_count=counts["today"],
        overdue_count=counts["overdue"],
    )


@dataclass
class _History:
    """What the timeline says of each application: the stages it reached, when it was first
    sent and first answered, and whether the employer ever answered."""

    reached: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    sent_at: dict[int, datetime.datetime] = field(default_factory=dict)
    answered_at: dict[int, datetime.datetime] = field(default_factory=dict)
    answered: set[int] = field(default_factory=set)


def _history(user) -> _History:
    history = _History()
    events = (
        TimelineEvent.objects.filter(application__owner=user)
        .filter(Q(kind__in=_STAGE_KINDS) | Q(kind__in=_ANSWER_KINDS))
        .values_list("application_id", "kind", "to_stage", "at")
    )
    for application_id, kind, to_stage, at in events:
        if to_stage:
            history.reached[application_id].add(to_stage)
        if to_stage == Stage.APPLIED and kind != Kind.IMPORTED:
            history.sent_at[application_id] = min(at, history.sent_at.get(application_id, at))
        if kind in _ANSWER_KINDS or to_stage in _ANSWER_STAGES:
            history.answered.add(application_id)
            if kind != Kind.IMPORTED:
                first = history.answered_at.get(application_id, at)
                history.answered_at[application_id] = min(at, first)
    return history


@dataclass
class _Tally:
    stage_counts: Counter[str] = field(default_factory=Counter)
    furthest: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    weeks: Counter[datetime.date] = field(default_factory=Counter)
    sent: set[int] = field(default_factory=set)
    answered: set[int] = field(default_factory=set)
    waits: list[float] = field(default_factory=list)
    archived: int = 0


def _tally(applications: list[tuple], history: _History, zone) -> _Tally:
    """Counts the applications by stage, furthest stage and outcome, and of those sent, the
    ones answered, how long each answer took, and the week each was sent."""
    tally = _Tally(answered=set(history.answered))
    for pk, stage, applied_on, created_at, end_reason, archived_at in applications:
        if archived_at:
            tally.archived += 1
        else:
            tally.stage_counts[stage] += 1
        stages = history.reached[pk] | {stage}
        if Stage.ACCEPTED in stages:
            stages.add(Stage.OFFER)
        tally.furthest[
            max((s for s in stages if s in ACTIVE_STAGES), key=STAGE_ORDER.get, default="")
        ] += 1
        if stage in END_STAGES:
            tally.outcomes[stage] += 1
        was_sent = applied_on is not None or any(
            STAGE_ORDER[s] >= STAGE_ORDER[Stage.APPLIED] for s in stages if s in STAGE_ORDER
        )
        if not was_sent:
            continue
        tally.sent.add(pk)
        if stage in _ANSWERING_ENDS or (
            stage == Stage.CLOSED and end_reason == EndReason.POSITION_CLOSED
        ):
            tally.answered.add(pk)
        started = history.sent_at.get(pk)
        if applied_on:
            started = datetime.datetime.combine(applied_on, datetime.time(), tzinfo=zone)
        answered_at = history.answered_at.get(pk)
        if answered_at and started and answered_at >= started:
            tally.waits.append((answered_at - started).total_seconds() / 86400)
        day = applied_on or timezone.localdate(started or created_at, zone)
        tally.weeks[day - datetime.timedelta(days=day.weekday())] += 1
    return tally


def _owed(user, now: datetime.datetime, today: datetime.date):
    """What the user owes by the end of today: the first few overdue and due later today,
    and how many of each."""
    end_of_today = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(), tzinfo=user.zoneinfo
    )
    # Late means what the navigation's badge counts (FollowUpQuerySet.owed_overdue): past the
    # due time, or the end of a snooze, at or before now.
    pending = (
        FollowUp.objects.for_user(user)
        .owed()
        .with_effective_due()
        .filter(effective_due_at__lt=end_of_today)
        .select_related("application")
        .order_by("effective_due_at", "id")
    )
    late, later = Q(effective_due_at__lte=now), Q(effective_due_at__gt=now)
    counts = pending.aggregate(overdue=Count("id", filter=late), today=Count("id", filter=later))
    overdue = list(pending.filter(late)[:OWED_SHOWN])
    due_today = list(pending.filter(later)[:OWED_SHOWN])
    return overdue, due_today, counts
