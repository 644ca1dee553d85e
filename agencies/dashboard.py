"""The recruiter's front page: their agency's figures, one row per office and a total.

Every figure is counted in SQL, grouped by office, so the page runs the same handful of
queries whatever the number of candidates. Who counts is what agencies.scoping lets the
recruiter see: the agency's candidates who share now (a recruiter tied to an office, only that
office's). What "owed" and "overdue" mean is FollowUpQuerySet's (applications.models).

Two rules live here, and the admin's list filters use them too:

- a candidate has **gone quiet** when they have an active application and nothing happened on
  any of their applications for `QUIET_DAYS` days: no timeline event (an edit of the details,
  a move, a message logged are all events). Not `updated_at`: that moves when the candidate
  edits their private notes too, which the agency must not learn (agencies.visibility);
- an invitation's **answer time** runs from when its follow-up was opened (the invitation
  arrived, and an answer was owed) until it was done.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from agencies import scoping
from applications.models import Application, FollowUp, TimelineEvent

QUIET_DAYS = 14
ANSWER_DAYS = 30
CHART_DAYS = 30
# The value of the office filter for candidates who joined the agency without an office.
NO_OFFICE = "none"


# --- the rules --------------------------------------------------------------------------------


def quiet(candidate_ref: str, now: datetime.datetime | None = None) -> Q:
    """True for rows whose candidate (reached by `candidate_ref`) has gone quiet."""
    since = (now or timezone.now()) - datetime.timedelta(days=QUIET_DAYS)
    active = Application.objects.active().filter(owner=OuterRef(candidate_ref))
    events = TimelineEvent.objects.filter(application__owner=OuterRef(candidate_ref), at__gt=since)
    return Q(Exists(active)) & ~Q(Exists(events))


def answered_invitations(now: datetime.datetime | None = None):
    """Invitations answered in the last `ANSWER_DAYS` days, each with `took`, how long."""
    since = (now or timezone.now()) - datetime.timedelta(days=ANSWER_DAYS)
    took = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    return FollowUp.objects.filter(
        kind=FollowUp.Kind.ANSWER_INVITATION,
        state=FollowUp.State.DONE,
        closed_at__gt=since,
        closed_at__gte=F("created_at"),
    ).annotate(took=took)


class Median(Aggregate):
    """PostgreSQL's median (the 50th percentile, between the two middle values)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


# --- wording ------------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def overdue_words(moment: datetime.datetime, now: datetime.datetime) -> str:
    days = (now - moment).days
    return f"overdue {_plural(days, 'day')}" if days else "overdue since today"


def duration_words(took: datetime.timedelta | None) -> str:
    if took is None:
        return "no answers yet"
    hours = took.total_seconds() / 3600
    if took < datetime.timedelta(minutes=1):
        return "under a minute"
    if hours < 1:
        return _plural(round(hours * 60), "minute")
    if hours < 48:
        return _plural(round(hours), "hour")
    return f"{hours / 24:.1f} days"


# --- the figures ---------------------------------------------------------------------------------


@dataclass
class Oldest:
    """The longest-overdue answer of a row: whose, since when, and where to read it."""

    name: str
    since: datetime.datetime
    words: str
    url: str


@dataclass
class Row:
    label: str
    office: str  # the office filter's value, "" for the total
    sharing: int = 0
    owed: int = 0
    overdue: int = 0
    quiet: int = 0
    oldest: Oldest | None = None
    median: datetime.timedelta | None = None
    links: dict[str, str] = field(default_factory=dict)

    @property
    def median_words(self) -> str:
        return duration_words(self.median)


@dataclass
class Day:
    day: datetime.date
    count: int
    # The column's geometry in the chart's drawing (templates/agencies/admin/dashboard.html).
    x: int = 0
    y: int = 0
    height: int = 0
    label: str = ""


@dataclass
class Chart:
    days: list[Day]
    top: int
    width: int
    height: int
    base: int

    @property
    def summary(self) -> str:
        if not self.top:
            return f"No answers were overdue in the last {len(self.days)} days."
        first, last = self.days[0], self.days[-1]
        peak = max(self.days, key=lambda d: (d.count, d.day))
        return (
            f"{first.count} overdue on {first.day:%-d %b}, {last.count} today; "
            f"the most was {peak.count} on {peak.day:%-d %b}."
        )


@dataclass
class Dashboard:
    title: str
    rows: list[Row]
    total: Row | None
    chart: Chart
    as_of: datetime.datetime
    zone: str
    quiet_days: int = QUIET_DAYS
    answer_days: int = ANSWER_DAYS


def _changelist(name: str, **params) -> str:
    url = reverse(f"admin:{name}_changelist")
    query = {key: value for key, value in params.items() if value}
    return f"{url}?{urlencode(query)}" if query else url


def _links(office: str) -> dict[str, str]:
    from agencies.admin_filters import OfficeFilter, OverdueFilter, QuietFilter

    where = {OfficeFilter.parameter_name: office}
    return {
        "sharing": _changelist("agencies_candidatemembership", **where),
        "owed": _changelist("agencies_owedanswer", **where),
        "overdue": _changelist(
            "agencies_owedanswer", **where, **{OverdueFilter.parameter_name: "yes"}
        ),
        "quiet": _changelist(
            "agencies_candidatemembership", **where, **{QuietFilter.parameter_name: "yes"}
        ),
    }


def _key(office_id) -> str:
    return NO_OFFICE if office_id is None else str(office_id)


def dashboard(user, now: datetime.datetime | None = None) -> Dashboard | None:
    """The figures for a recruiter, or None for anyone else (operators keep the stock index)."""
    recruiter = None if user.is_superuser else scoping.recruiter_of(user)
    if recruiter is None:
        return None
    now = now or timezone.now()
    zone = user.zoneinfo
    memberships = scoping.memberships_for(user)
    offices = scoping.offices_for(user).order_by("city")
    if recruiter.office_id:
        memberships = memberships.filter(office_id=recruiter.office_id)
        offices = offices.filter(pk=recruiter.office_id)

    rows = {str(office.pk): Row(office.city, str(office.pk)) for office in offices}
    per_office = memberships.values("office_id").annotate(
        sharing=Count("pk"), quiet=Count("pk", filter=quiet("candidate", now))
    )
    for figures in per_office.order_by():
        key = _key(figures["office_id"])
        if key not in rows:  # candidates without an office, after the offices
            rows[key] = Row("No office", key)
        rows[key].sharing = figures["sharing"]
        rows[key].quiet = figures["quiet"]

    candidates = memberships.values("candidate")
    office_of = Subquery(
        memberships.filter(candidate=OuterRef("owner")).order_by().values("office_id")[:1]
    )
    theirs = FollowUp.objects.filter(owner__in=candidates).annotate(office=office_of)
    owed = theirs.owed()
    for figures in owed.values("office").annotate(n=Count("pk")).order_by():
        if _key(figures["office"]) in rows:
            rows[_key(figures["office"])].owed = figures["n"]

    _fill_overdue(rows, theirs.owed_overdue(now), memberships, now, zone)

    answered = answered_invitations(now).filter(owner__in=candidates).annotate(office=office_of)
    medians, overall = _medians(answered)
    for key, median in medians.items():
        if key in rows:
            rows[key].median = median

    listed = list(rows.values())
    for row in listed:
        row.links = _links(row.office)
    total = _total(listed, overall) if len(listed) > 1 else None
    where = f" — {recruiter.office.city}" if recruiter.office_id else ""
    return Dashboard(
        title=f"{recruiter.agency.name}{where}",
        rows=listed,
        total=total,
        chart=_chart(owed_ever=FollowUp.objects.filter(owner__in=candidates), now=now, zone=zone),
        as_of=timezone.localtime(now, zone),
        zone=str(zone),
    )


def _fill_overdue(rows: dict, overdue, memberships, now, zone) -> None:
    """Each office's count of late answers, and the one late the longest."""
    for followup in _oldest_overdue(overdue, memberships):
        row = rows.get(_key(followup.office))
        if row is None:
            continue
        row.overdue = followup.late
        row.oldest = Oldest(
            name=followup.owner.get_full_name(),
            since=timezone.localtime(followup.effective_due_at, zone),
            words=overdue_words(followup.effective_due_at, now),
            url=reverse("admin:agencies_candidatemembership_change", args=[followup.membership]),
        )


def _total(listed: list, overall) -> "Row":
    """The "All offices" row: the offices' counts added up, the longest overdue of them all."""
    late = [row.oldest for row in listed if row.oldest]
    return Row(
        "All offices",
        "",
        sharing=sum(row.sharing for row in listed),
        owed=sum(row.owed for row in listed),
        overdue=sum(row.overdue for row in listed),
        quiet=sum(row.quiet for row in listed),
        oldest=min(late, key=lambda oldest: oldest.since) if late else None,
        median=overall,
        links=_links(""),
    )


def _oldest_overdue(overdue, memberships):
    """Per office, the longest-overdue answer (with its owner), and how many are overdue."""
    per_office = [F("office")]
    return list(
        overdue.with_effective_due()
        .annotate(
            membership=Subquery(
                memberships.filter(candidate=OuterRef("owner")).order_by().values("pk")[:1]
            ),
            rank=Window(
                RowNumber(),
                partition_by=per_office,
                order_by=[F("effective_due_at").asc(), F("pk").asc()],
            ),
            late=Window(Count("pk"), partition_by=per_office),
        )
        .filter(rank=1)
        .select_related("owner")
    )


def _medians(answered) -> tuple[dict[str, datetime.timedelta], datetime.timedelta | None]:
    """The median answer time per office, and over all of them."""
    if connection.vendor == "postgresql":
        per_office = answered.values("office").annotate(median=Median("took")).order_by()
        overall = answered.aggregate(median=Median("took"))["median"]
        return {_key(row["office"]): row["median"] for row in per_office}, overall
    # Elsewhere (SQLite, for development) the times are read and the median taken here.
    import statistics

    times: dict[str, list[datetime.timedelta]] = {}
    for office, took in answered.values_list("office", "took"):
        times.setdefault(_key(office), []).append(took)
    everyone = [took for group in times.values() for took in group]
    return (
        {key: statistics.median(group) for key, group in times.items()},
        statistics.median(everyone) if everyone else None,
    )


# The chart's drawing: one column per day, the newest on the right.
COLUMN = 20
CHART_TOP = 28  # room for the scale's label above the columns
CHART_HEIGHT = 120
LABEL_SPACE = 32


def _chart(*, owed_ever, now: datetime.datetime, zone) -> Chart:
    """How many answers were overdue at the end of each of the last `CHART_DAYS` days (today:
    now). A follow-up counts from its due time until it was closed; one snoozed and since
    closed counts from its due time, as the snooze is not kept."""
    today = timezone.localdate(now, zone)
    days = [today - datetime.timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
    pending = (FollowUp.State.OPEN, FollowUp.State.SNOOZED)
    # Not the low-priority housekeeping ones: what FollowUpQuerySet.owed() counts, then or now.
    followups = owed_ever.filter(low_priority=False).with_effective_due()

    def at(day: datetime.date) -> datetime.datetime:
        if day == today:
            return now
        midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
        return midnight.replace(tzinfo=zone)

    counts = followups.aggregate(
        **{
            f"d{n}": Count(
                "pk",
                filter=Q(created_at__lte=at(day), effective_due_at__lte=at(day))
                & (Q(state__in=pending) | Q(closed_at__gt=at(day))),
            )
            for n, day in enumerate(days)
        }
    )
    series = [Day(day, counts[f"d{n}"]) for n, day in enumerate(days)]
    top = max((d.count for d in series), default=0)
    for n, d in enumerate(series):
        d.height = round(CHART_HEIGHT * d.count / top) if top else 0
        if d.count and not d.height:
            d.height = 1
        d.x = n * COLUMN + 2
        d.y = CHART_TOP + CHART_HEIGHT - d.height
        if n in (0, CHART_DAYS // 2, CHART_DAYS - 1):
            d.label = f"{d.day:%-d %b}"
    return Chart(
        days=series,
        top=top,
        width=CHART_DAYS * COLUMN,
        height=CHART_TOP + CHART_HEIGHT + LABEL_SPACE,
        base=CHART_TOP + CHART_HEIGHT,
    )
