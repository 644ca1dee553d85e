"""Reads of the pipeline that need care: scoped to the owner, a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from applications.companies import same_company_names
from applications.models import Application, Contact, FollowUp, Interview, Tag, TimelineEvent
from applications.stages import ACTIVE_STAGES, STAGE_ORDER, Stage
from config.views_common import STAND_IN_ID, STAND_IN_TEXT, STAND_IN_TIME, PreparedQuery

SORTS = {
    "updated": ("-updated_at", "-id"),
    "company": ("company", "job_title", "id"),
    "priority": ("-priority", "-updated_at", "-id"),
}


def owned_application(user, pk: int, *related: str, lock: bool = False) -> Application:
    """The user's own application, or 404: another user's id looks like a missing one.
    `related`: what else to read in the same query (an offer, say). `lock`: its row locked
    until the transaction this runs in ends (not its owner's)."""
    applications = Application.objects.for_user(user).select_related("owner", *related)
    if lock:
        applications = applications.select_for_update(of=("self",))
    return get_object_or_404(applications, pk=pk)


def application_page(user, pk: int) -> Application:
    """The user's own application as its page shows it, or 404: with its offer, and
    `event_count`, the length of its timeline, in the same query."""
    return get_object_or_404(
        Application.objects.for_user(user)
        .select_related("offer")
        .annotate(event_count=_event_count()),
        pk=pk,
    )


@cache
def _event_count() -> Subquery:
    """How many events an application's timeline holds, built once a process (as
    `_next_due`)."""
    return count_of(TimelineEvent.objects.filter(application=OuterRef("pk")))


def timeline(application: Application, limit: int | None = None) -> list[TimelineEvent]:
    """The application's timeline, newest first (the `limit` newest), each event with its
    message and that message's delivery, read with what the page shows of them."""
    events = application.events.select_related("message__delivery").only(
        *("application", "kind", "at", "from_stage", "to_stage", "text", "message"),
        *("message__application", "message__channel", "message__to_email"),
        *("message__subject", "message__body"),
        *("message__delivery__state", "message__delivery__sent_at"),
        "message__delivery__last_error",
    )
    return list(events if limit is None else events[:limit])


def interviews(application: Application) -> list[Interview]:
    """The application's interviews in time order, each with `people`, its interviewers as
    a page names them: one query (a row per interviewer), not one more for the people."""
    rows = application.interviews.annotate(
        person=F("interviewers__name"), person_company=F("interviewers__company")
    ).order_by("starts_at", "pk", "interviewers__name", "interviewers__pk")
    shown: dict[int, Interview] = {}
    for row in rows:
        interview = shown.setdefault(row.pk, row)
        if interview is row:
            interview.people = []
        if row.person is not None:
            interview.people.append(str(Contact(name=row.person, company=row.person_company)))
    return list(shown.values())


def owned_contact(user, pk: int) -> Contact:
    """The user's own contact, or 404, as `owned_application`."""
    return get_object_or_404(Contact.objects.for_user(user), pk=pk)


def with_next_due(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Annotates each application with the next thing its owner owes (kind and due time; a
    snoozed answer is due when its snooze ends, as on the follow-ups page)."""
    return queryset.annotate(**_next_due())


@cache
def _next_due() -> dict[str, Subquery]:
    """`with_next_due`'s annotations, built once a process (building them costs about a
    millisecond): a query that takes an expression takes a copy, never changing it."""
    owed = (
        FollowUp.objects.owed()
        .filter(application=OuterRef("pk"))
        .with_effective_due()
        .order_by("effective_due_at", "id")
    )
    return {
        "next_due_at": Subquery(owed.values("effective_due_at")[:1]),
        "next_due_kind": Subquery(owed.values("kind")[:1]),
    }


def application_list(
    *,
    user,
    search: str = "",
    stages: list[str] | None = None,
    tag: str = "",
    workplace_type: str = "",
    priority: int | None = None,
    status: str = "active",
    sort: str = "updated",
) -> QuerySet:
    """The user's applications as the list filters and sorts them, as `ROW_FIELDS` values
    (`list_rows` makes rows of them)."""
    applications = Application.objects.for_user(user)
    if status == "active":
        applications = applications.active()
    elif status == "ended":
        applications = applications.ended()
    elif status == "archived":
        applications = applications.filter(archived_at__isnull=False)
    if search:
        applications = applications.filter(
            Q(company__icontains=search)
            | Q(job_title__icontains=search)
            | Q(notes__icontains=search)
        )
    if stages:
        applications = applications.filter(stage__in=stages)
    if tag:
        applications = applications.filter(tags__name=tag)
    if workplace_type:
        applications = applications.filter(workplace_type=workplace_type)
    if priority:
        applications = applications.filter(priority=priority)
    if sort == "stage":
        # Pipeline order, not alphabetical: saved, applied, screening… then the ends.
        position = Case(
            *(When(stage=stage, then=Value(n)) for stage, n in STAGE_ORDER.items()),
            output_field=IntegerField(),
        )
        applications = applications.alias(stage_position=position).order_by(
            "stage_position", "-updated_at", "-id"
        )
    else:
        applications = applications.order_by(*SORTS.get(sort, SORTS["updated"]))
    return with_next_due(applications).values_list(*ROW_FIELDS)


# What a row of the list shows, read as plain values (no model instance per row): the long
# texts (notes, job description) stay in the database.
ROW_FIELDS = (
    "pk",
    "company",
    "job_title",
    "stage",
    "priority",
    "updated_at",
    "next_due_at",
    "next_due_kind",
)


STAGE_LABELS = dict(Stage.choices)


@dataclass(slots=True)
class Row:
    """One application as a row of the list shows it."""

    pk: int
    company: str
    job_title: str
    stage: str
    priority: int
    updated_at: datetime.datetime
    next_due_at: datetime.datetime | None
    next_due_kind: str | None
    tags: list[str] = field(default_factory=list)

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def next_due_label(self) -> str:
        return FollowUp.Kind(self.next_due_kind).label if self.next_due_kind else ""


LIST_PAGE_SIZE = 25


def list_page(user, filters: dict, number) -> tuple[Page, list[str]]:
    """Page `number` of the list (`filters` as `ApplicationFilterForm.filters()` gives them;
    a page past the end is the last), its rows as `Row`s, and the names of all the user's
    tags (the filter offers them): three queries, each built once per process and shape of
    filters, except a search's, whose words Django escapes into its own parameters."""
    if filters["search"]:
        source = application_list(user=user, **filters)
    else:
        shape = _ListShape.of(filters)
        count, rows = _list_queries(shape)
        source = _PreparedRows(count, rows, (user.pk, *shape.values(filters)))
    page = Paginator(source, LIST_PAGE_SIZE).get_page(number)
    page.object_list, tags = list_rows(user, page.object_list)
    return page, tags


@dataclass(frozen=True)
class _ListShape:
    """Which filters a list query has (each one's values are its parameters), and its
    status and sort (each a query of its own)."""

    status: str
    sort: str
    stages: int
    tag: bool
    workplace_type: bool
    priority: bool

    @classmethod
    def of(cls, filters: dict) -> "_ListShape":
        return cls(
            filters["status"],
            filters["sort"],
            len(filters["stages"] or ()),
            bool(filters["tag"]),
            bool(filters["workplace_type"]),
            bool(filters["priority"]),
        )

    def values(self, filters: dict) -> tuple:
        """The filters' values in the order `filters` reads them back."""
        return (
            *(filters["stages"] or ()),
            *([filters["tag"]] if self.tag else []),
            *([filters["workplace_type"]] if self.workplace_type else []),
            *([filters["priority"]] if self.priority else []),
        )

    def stand_ins(self) -> tuple:
        return self.values(
            {
                "stages": [f"{STAND_IN_TEXT}{n}" for n in range(self.stages)],
                "tag": f"{STAND_IN_TEXT}tag",
                "workplace_type": f"{STAND_IN_TEXT}workplace",
                # A priority is 1 to 5; Django answers "nothing" to one outside its column's
                # range (a negative one) without asking the database.
                "priority": 32_000,
            }
        )

    def filters(self, values) -> dict:
        """`application_list`'s filters with `values` (as `values` gives them) in place."""
        rest = iter(values)
        return {
            "status": self.status,
            "sort": self.sort,
            "stages": [next(rest) for _ in range(self.stages)] or None,
            "tag": next(rest) if self.tag else "",
            "workplace_type": next(rest) if self.workplace_type else "",
            "priority": next(rest) if self.priority else None,
        }


@lru_cache(maxsize=256)
def _list_queries(shape: _ListShape) -> tuple[PreparedQuery, PreparedQuery]:
    """The count and the rows of the list for one shape of filters."""

    def applications(user_id, *values):
        return application_list(user=get_user_model()(pk=user_id), **shape.filters(values))

    def counted(user_id, *values):
        matching = count_of(applications(user_id, *values))
        return get_user_model().objects.filter(pk=user_id).values(n=matching)

    stand_ins = (STAND_IN_ID, *shape.stand_ins())
    return (
        PreparedQuery(counted, *stand_ins),
        PreparedQuery(applications, *stand_ins, paged=True),
    )


class _PreparedRows:
    """What the paginator pages through: the prepared count, and the rows of one page."""

    def __init__(self, count: PreparedQuery, rows: PreparedQuery, values: tuple):
        self._count, self._rows, self._values = count, rows, values

    def count(self) -> int:
        counted = self._count.row(*self._values)
        return counted["n"] if counted else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[tuple]:
        return self._rows.rows(*self._values, limit=window.stop - window.start, offset=window.start)


def list_rows(user, values) -> tuple[list[Row], list[str]]:
    """The rows of `application_list` values (a page's: at most `LIST_PAGE_SIZE`), each with
    its tags' names in order, and the names of all the user's tags (the filter offers them):
    one query for both."""
    rows = [Row(*row) for row in values]
    if len(rows) > LIST_PAGE_SIZE:
        raise ValueError(f"a page holds at most {LIST_PAGE_SIZE} rows, not {len(rows)}")
    by_pk = {row.pk: row for row in rows}
    # A page shorter than a full one asks for ids no application has (0) in the other places.
    ids = [*by_pk, *[0] * (LIST_PAGE_SIZE - len(by_pk))]
    names = []
    for application_id, name in _list_tags.rows(user.pk, *ids):
        if application_id is None:
            names.append(name)
        else:
            by_pk[application_id].tags.append(name)
    return rows, names


def _list_tags_query(user_id: int, *application_ids: int):
    links = (
        Application.tags.through.objects.filter(application_id__in=application_ids)
        .annotate(shown=F("application_id"), label=F("tag__name"))
        .order_by()
        .values_list("shown", "label")
    )
    everyone = (
        Tag.objects.for_user(get_user_model()(pk=user_id))
        .annotate(shown=Value(None, output_field=IntegerField()), label=F("name"))
        .order_by()
        .values_list("shown", "label")
    )
    return links.union(everyone, all=True).order_by("label")


_list_tags = PreparedQuery(
    _list_tags_query, STAND_IN_ID, *(STAND_IN_ID - 1 - n for n in range(LIST_PAGE_SIZE))
)


@dataclass(slots=True)
class Card:
    """What a board card shows, read as plain values (no model instance per card)."""

    pk: int
    company: str
    job_title: str
    stage: str
    priority: int
    days_in_stage: int
    due_label: str = ""
    due_at: datetime.datetime | None = None  # in the user's time zone
    overdue: bool = False


def count_of(queryset: QuerySet) -> Subquery:
    """How many rows `queryset` holds, as a value another query selects: several counts
    asked in one query."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT"))
    return Subquery(counted.values("n"), output_field=IntegerField())


def board_cards(*, user) -> list[Card]:
    """The board's cards (all active applications), highest priority first, each with the
    first answer it owes (a snooze counts): two queries, whatever the history, built once."""
    now = timezone.now()
    cards = {
        pk: Card(pk, company, job_title, stage, priority, (now - changed).days)
        for pk, company, job_title, stage, priority, changed in _board_rows.rows(user.pk)
    }
    _owing_first(cards, _board_owed.rows(user.pk), now)
    return list(cards.values())


def _board_applications(user_id: int) -> QuerySet[Application]:
    return Application.objects.for_user(get_user_model()(pk=user_id)).active()


_board_rows = PreparedQuery(
    lambda user_id: (
        _board_applications(user_id)
        .order_by("-priority", "-updated_at", "-id")
        .values_list("pk", "company", "job_title", "stage", "priority", "stage_changed_at")
    ),
    STAND_IN_ID,
)
_board_owed = PreparedQuery(
    lambda user_id: _owed_in_order(
        FollowUp.objects.for_user(get_user_model()(pk=user_id)).filter(
            application__in=_board_applications(user_id)
        )
    ),
    STAND_IN_ID,
)


def board_card(application: Application) -> list[Card]:
    """The card of an application just read (the one a move on the board moved): none once
    it is off the board (ended or archived), else one; a query for what it owes first."""
    if not application.is_active or application.archived_at:
        return []
    now = timezone.now()
    card = Card(
        application.pk,
        application.company,
        application.job_title,
        application.stage,
        application.priority,
        (now - application.stage_changed_at).days,
    )
    _owing_first({card.pk: card}, _card_owed.rows(application.owner_id, application.pk), now)
    return [card]


_card_owed = PreparedQuery(
    lambda owner_id, application_id: _owed_in_order(
        FollowUp.objects.filter(owner_id=owner_id, application_id=application_id)
    ),
    STAND_IN_ID,
    STAND_IN_ID - 1,
)


def _owed_in_order(followups: QuerySet[FollowUp]):
    """What of `followups` is owed, first due first: (application id, kind, when due)."""
    return (
        followups.owed()
        .with_effective_due()
        .order_by("effective_due_at", "id")
        .values_list("application_id", "kind", "effective_due_at")
    )


def _owing_first(cards: dict[int, Card], owed, now) -> None:
    """Gives each card the first answer its application owes, from `owed` (rows of
    `_owed_in_order`)."""
    zone = timezone.get_current_timezone()
    for application_id, kind, due_at in owed:
        card = cards.get(application_id)
        if card is not None and card.due_at is None:
            card.due_label = FollowUp.Kind(kind).label
            card.due_at = due_at.astimezone(zone)
            card.overdue = due_at <= now


def board_columns(*, user) -> list[tuple[Stage, list[Card]]]:
    """The kanban board: one column per active stage, highest priority first."""
    columns: dict[str, list[Card]] = {stage: [] for stage in ACTIVE_STAGES}
    for card in board_cards(user=user):
        columns[card.stage].append(card)
    return [(stage, columns[stage]) for stage in ACTIVE_STAGES]


def board_counts(*, user) -> tuple[list[tuple[Stage, int]], int]:
    """How many cards each column of the board holds, and how many answers are overdue (what
    a move on the board sends again besides the card): one query, one pass over the board's
    applications grouped by stage (not a count per column)."""
    counted = dict(_board_counts.rows(user.pk, timezone.now()))
    overdue = counted.pop(_OVERDUE, 0)
    return [(stage, counted.get(stage, 0)) for stage in ACTIVE_STAGES], overdue


# The label of the overdue count among the stages' (no stage is named so).
_OVERDUE = "(overdue)"


def _board_counts_query(user_id: int, now: datetime.datetime):
    user = get_user_model()(pk=user_id)
    per_stage = (
        Application.objects.for_user(user)
        .active()
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    overdue = (
        FollowUp.objects.for_user(user)
        .owed_overdue(now)
        .order_by()
        .annotate(label=Value(_OVERDUE), n=Func(F("pk"), function="COUNT"))
        .values_list("label", "n")
    )
    return per_stage.union(overdue, all=True)


_board_counts = PreparedQuery(_board_counts_query, STAND_IN_ID, STAND_IN_TIME)


def company_history(*, user, company: str, exclude_pk: int | None = None) -> QuerySet[Application]:
    """The user's earlier applications to the same company (by its words, companies.py:
    “Acme” finds “Acme Robotics Ltd”), newest first."""
    mine = Application.objects.for_user(user)
    # Each distinct name once (a user applies to most companies more than once), read from
    # the (owner, company) index alone: the application left out is left out below. (Asking
    # the database to drop names that cannot match costs more than matching them here.)
    names = mine.order_by().values_list("company", flat=True).distinct()
    matching = same_company_names(company, names)
    return (
        mine.exclude(pk=exclude_pk)
        .filter(company__in=matching)
        .only("job_title", "company", "stage", "stage_changed_at", "end_reason", "created_at")
        .order_by("-created_at")
    )


def duplicates_of(*, user, company: str, job_title: str, exclude_pk: int | None = None):
    """The user's applications with this very company and title (any case)."""
    return (
        Application.objects.for_user(user)
        .filter(company__iexact=company.strip(), job_title__iexact=job_title.strip())
        .exclude(pk=exclude_pk)
        .order_by("-created_at")
    )
