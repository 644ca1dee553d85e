"""Reads of the pipeline that need care: scoped to the owner, a fixed number of queries."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Star
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import dateformat, timezone
from markupsafe import Markup

from applications.companies import openings, same_company_names
from applications.models import (
    Application,
    CompanyNameOpening,
    Contact,
    FollowUp,
    Interview,
    Offer,
    Tag,
    TimelineEvent,
)
from applications.stages import ACTIVE_STAGES, STAGE_ORDER, Stage
from config import formats
from config.views_common import STAND_IN_ID, STAND_IN_TEXT, STAND_IN_TIME, PreparedQuery, Read

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


def application_page(user, pk: int) -> Read:
    """The user's own application as its page shows it, or 404: with its offer (None
    without one), and `event_count`, the length of its timeline: one query, built once. A
    Read, as the page's other reads below, so the page reads them all together."""
    return Read((_application_page.call(user.pk, pk),), _page_application)


def _page_application(rows) -> Application:
    if not rows:
        raise Http404("No application matches the given query.")
    *columns, event_count = rows[0]
    application = Application.from_db(DEFAULT_DB_ALIAS, _APPLICATION_COLUMNS, columns[:_SPLIT])
    offer = columns[_SPLIT:]
    if offer[0] is None:
        Application.offer.related.set_cached_value(application, None)
    else:
        application.offer = Offer.from_db(DEFAULT_DB_ALIAS, _OFFER_COLUMNS, offer)
    application.event_count = event_count
    return application


# What `application_page` reads: every column of the application, then of its offer.
_APPLICATION_COLUMNS = tuple(field.attname for field in Application._meta.concrete_fields)
_OFFER_COLUMNS = tuple(field.attname for field in Offer._meta.concrete_fields)
_SPLIT = len(_APPLICATION_COLUMNS)

_application_page = PreparedQuery(
    lambda owner_id, pk: (
        Application.objects.for_user(get_user_model()(pk=owner_id))
        .filter(pk=pk)
        .annotate(event_count=_event_count())
        .order_by()
        .values_list(
            *_APPLICATION_COLUMNS,
            *(f"offer__{column}" for column in _OFFER_COLUMNS),
            "event_count",
        )
    ),
    STAND_IN_ID,
    STAND_IN_ID - 1,
)


def _event_count() -> Subquery:
    """How many events an application's timeline holds: COUNT(*), which the application's
    index alone answers."""
    counted = (
        TimelineEvent.objects.filter(application=OuterRef("pk"))
        .order_by()
        .annotate(n=Func(Star(), function="COUNT", output_field=IntegerField()))
    )
    return Subquery(counted.values("n"), output_field=IntegerField())


@dataclass(slots=True)
class Delivery:
    """How an email sent from Bridges is going."""

    state: str
    sent_at: datetime.datetime | None
    last_error: str


@dataclass(slots=True)
class EventMessage:
    """The message an event logged, as its timeline entry shows it."""

    pk: int
    application_id: int
    channel: str
    to_email: str
    subject: str
    body: str
    delivery: Delivery | None  # only for an email sent from Bridges, since they were recorded

    def mailto_url(self) -> str:
        """The message as a mailto: link, as the message itself writes it (its model is the
        one the event's `message` points at: this app does not import messaging's)."""
        message = TimelineEvent.message.field.related_model
        return message(to_email=self.to_email, subject=self.subject, body=self.body).mailto_url()


@dataclass(slots=True)
class Event:
    """One timeline entry as the page shows it, worked out once here rather than by filters
    in the template: `at`, its time in the user's time zone in ISO 8601, and `when`, as
    Django's `date:"D j M Y, H:i"` writes it; `heading`, its kind's label and, for a move,
    the stages it went between (“Stage moved: Applied → Screening”); `text` with its line
    breaks as <br>."""

    at: str  # ISO 8601
    when: str
    heading: str
    text: Markup
    message: EventMessage | None


EVENT_KINDS = dict(TimelineEvent.Kind.choices)


def timeline(user, application_id: int, limit: int | None = None) -> Read:
    """The timeline of the user's application, newest first (the `limit` newest, straight
    from the (application, -at, -id) index), each event with its message and that message's
    delivery: one query, built once for each limit."""
    return Read((_timeline(limit).call(user.pk, application_id),), _events)


def _events(rows) -> list[Event]:
    kinds, stages, zone = EVENT_KINDS, STAGE_LABELS, timezone.get_current_timezone()
    events = []
    for row in rows:
        at, kind, from_stage, to_stage, text, message_id, *message, delivery_id = row[:12]
        at = at.astimezone(zone)
        heading = kinds.get(kind, kind)
        if to_stage:
            moved = stages.get(to_stage, to_stage)
            if from_stage:
                moved = f"{stages.get(from_stage, from_stage)} \N{RIGHTWARDS ARROW} {moved}"
            heading = f"{heading}: {moved}"
        shown = None
        if message_id is not None:
            delivery = None
            if delivery_id is not None and message[1] == "email":
                delivery = Delivery(*row[12:])
            shown = EventMessage(message_id, *message, delivery)
        events.append(
            Event(
                at.isoformat(), formats.day_and_time(at), heading, formats.with_breaks(text), shown
            )
        )
    return events


_EVENT_COLUMNS = (
    *("at", "kind", "from_stage", "to_stage", "text", "message_id", "message__application_id"),
    *("message__channel", "message__to_email", "message__subject", "message__body"),
    *("message__delivery__id", "message__delivery__state", "message__delivery__sent_at"),
    "message__delivery__last_error",
)


@cache
def _timeline(limit: int | None) -> PreparedQuery:
    def build(owner_id: int, application_id: int):
        events = TimelineEvent.objects.filter(
            application_id=application_id, application__owner_id=owner_id
        )
        if limit is not None:
            # The newest ids from the index alone, then their rows joined to their messages:
            # joined first, the planner may sort the whole timeline to keep `limit` of it.
            newest = events.order_by("-at", "-id").values("pk")[:limit]
            events = TimelineEvent.objects.filter(pk__in=newest)
        return events.order_by("-at", "-id").values_list(*_EVENT_COLUMNS)

    return PreparedQuery(build, STAND_IN_ID, STAND_IN_ID - 1)


def interviews(user, application_id: int) -> Read:
    """The interviews of the user's application in time order, each with `people`, its
    interviewers as a page names them, `when`, its start as Django's `date:"D j M Y, H:i T"`
    writes it, and the labels of its format and state: one query (a row per interviewer),
    built once."""
    return Read((_interviews.call(user.pk, application_id),), _shown_interviews)


def _shown_interviews(rows) -> list[Interview]:
    shown: dict[int, Interview] = {}
    zone = timezone.get_current_timezone()
    for *columns, person, person_company in rows:
        interview = shown.get(columns[0])
        if interview is None:
            interview = Interview.from_db(DEFAULT_DB_ALIAS, _INTERVIEW_COLUMNS, columns)
            shown[columns[0]] = interview
            interview.people = []
            local = interview.starts_at.astimezone(zone)
            interview.when = f"{formats.day_and_time(local)} {dateformat.format(local, 'T')}"
            interview.format_label = INTERVIEW_FORMATS.get(interview.format, interview.format)
            interview.state_label = INTERVIEW_STATES.get(interview.state, interview.state)
        if person is not None:
            interview.people.append(str(Contact(name=person, company=person_company)))
    return list(shown.values())


INTERVIEW_FORMATS = dict(Interview.Format.choices)
INTERVIEW_STATES = dict(Interview.State.choices)
_INTERVIEW_COLUMNS = tuple(field.attname for field in Interview._meta.concrete_fields)
_interviews = PreparedQuery(
    lambda owner_id, application_id: (
        Interview.objects.filter(application_id=application_id, application__owner_id=owner_id)
        .order_by("starts_at", "pk", "interviewers__name", "interviewers__pk")
        .values_list(*_INTERVIEW_COLUMNS, "interviewers__name", "interviewers__company")
    ),
    STAND_IN_ID,
    STAND_IN_ID - 1,
)


def tags_and_contacts(user, application_id: int) -> Read:
    """The names of the tags of the user's application, and its contacts, each in name
    order: one query for both (a tag a row shaped as a contact's), built once."""
    return Read((_tags_and_contacts.call(user.pk, application_id),), _tags_then_contacts)


def _tags_then_contacts(rows) -> tuple[list[str], list[Contact]]:
    tags, contacts = [], []
    for shown, *columns in rows:
        if shown == "tag":
            tags.append(columns[1])
        else:
            contacts.append(Contact.from_db(DEFAULT_DB_ALIAS, _CONTACT_COLUMNS, columns))
    return tags, contacts


def _in_model_order(model, columns: set[str]) -> tuple[str, ...]:
    """`columns` in the order of the model's fields, as `from_db` takes some of them."""
    return tuple(field.attname for field in model._meta.concrete_fields if field.attname in columns)


_CONTACT_COLUMNS = _in_model_order(
    Contact, {"id", "name", "role", "company", "email", "phone", "url", "notes"}
)


def _tags_and_contacts_query(owner_id: int, application_id: int):
    def text(value: str) -> Value:
        return Value(value, output_field=CharField())

    blanks = {f"no_{column}": text("") for column in _CONTACT_COLUMNS[2:]}
    tags = (
        Tag.objects.filter(owner_id=owner_id, applications=application_id)
        .annotate(shown=text("tag"), **blanks)
        .order_by()
        .values_list("shown", "id", "name", *blanks)
    )
    contacts = (
        Contact.objects.filter(owner_id=owner_id, applications=application_id)
        .annotate(shown=text("contact"))
        .order_by()
        .values_list("shown", *_CONTACT_COLUMNS)
    )
    return tags.union(contacts, all=True).order_by("shown", "name", "id")


_tags_and_contacts = PreparedQuery(_tags_and_contacts_query, STAND_IN_ID, STAND_IN_ID - 1)


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
    (`list_rows` makes rows of them, with `with_tag_names`)."""
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
    # As the row shows them, worked out once a page (`list_rows`), in the user's time zone:
    # when it was last updated, ISO 8601 and “1 Dec 2026”; what it owes next, when (“Tue 1
    # Dec, 10:00”), and whether that is past.
    updated_iso: str = ""
    updated_text: str = ""
    next_due_label: str = ""
    next_due_text: str = ""
    overdue: bool = False

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)


LIST_PAGE_SIZE = 25


def list_page(user, filters: dict, number) -> Read:
    """Page `number` of the list (`filters` as `ApplicationFilterForm.filters()` gives them;
    a page past the end is the last), its rows as `Row`s, and the names of all the user's
    tags (the filter offers them): three queries, each built once per process and shape of
    filters, except a search's, whose words Django escapes into its own parameters. The count,
    the page asked for with each row's tags, and the names are read together (a page past the
    end reads the last page after them)."""
    names = _tag_names.call(user.pk)
    if filters["search"]:
        source = with_tag_names(application_list(user=user, **filters))
        return Read((names,), lambda tags: _paged(source, number, tags))
    shape = _ListShape.of(filters)
    count, rows = _list_queries(shape)
    values = (user.pk, *shape.values(filters))
    offset = (_page_number(number) - 1) * LIST_PAGE_SIZE
    calls = (count.call(*values), rows.call(*values, limit=LIST_PAGE_SIZE, offset=offset), names)

    def shaped(counted, first, tags):
        source = _PreparedRows(rows, values, counted[0][0] if counted else 0, (offset, first))
        return _paged(source, number, tags)

    return Read(calls, shaped)


def _paged(source, number, tags) -> tuple[Page, list[str]]:
    page = Paginator(source, LIST_PAGE_SIZE).get_page(number)
    page.object_list = list_rows(page.object_list)
    return page, [name for (name,) in tags]


def _page_number(number) -> int:
    """The page the paginator will most likely show for `number` (it has the last word)."""
    try:
        return max(1, int(number))
    except (TypeError, ValueError):
        return 1


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
        PreparedQuery(
            lambda *values: with_tag_names(applications(*values)), *stand_ins, paged=True
        ),
    )


class _SortedNames(JSONField):
    """A JSON array of names, read as a sorted list (SQLite's own order of text, which
    Python's is): SQLite 3.40 aggregates without an ORDER BY."""

    def from_db_value(self, value, expression, connection):
        return sorted(super().from_db_value(value, expression, connection) or ())


class _JSONGroupArray(Aggregate):
    function = "JSON_GROUP_ARRAY"
    output_field = _SortedNames()


def with_tag_names(rows: QuerySet) -> QuerySet:
    """`rows` (`application_list` values) with each application's tags' names, in the
    database's order of names as everywhere else, as one more column, a list, in the same
    query: a page's rows and their tags in one round trip. On PostgreSQL an ARRAY(subquery);
    on SQLite a JSON array of the names."""
    links = Application.tags.through.objects.filter(
        application_id=OuterRef("pk"), tag__owner_id=OuterRef("owner_id")
    )
    vendor = connections[rows.db].vendor
    if vendor == "postgresql":
        return rows.annotate(
            tag_names=ArraySubquery(links.order_by("tag__name").values("tag__name"))
        )
    if vendor != "sqlite":
        raise NotImplementedError(f"the list's tags are read on PostgreSQL or SQLite, not {vendor}")
    grouped = links.order_by().values("application_id").annotate(names=_JSONGroupArray("tag__name"))
    return rows.annotate(tag_names=Subquery(grouped.values("names")))


class _PreparedRows:
    """What the paginator pages through: the count and the rows of the page most likely
    shown (`read`, its offset and rows), both already read; another page is read when asked."""

    def __init__(self, rows: PreparedQuery, values: tuple, count: int, read: tuple[int, list]):
        self._rows, self._values, self._count, self._read = rows, values, count, read

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list[tuple]:
        offset, rows = self._read
        if window.start == offset and window.stop <= offset + LIST_PAGE_SIZE:
            return rows[: window.stop - window.start]
        return self._rows.rows(*self._values, limit=window.stop - window.start, offset=window.start)


def list_rows(values) -> list[Row]:
    """The rows of `with_tag_names(application_list(…))` values (a page's), each with its
    tags' names in order, worked out for the page."""
    rows = [Row(*row) for row in values]
    zone, now = timezone.get_current_timezone(), timezone.now()
    for row in rows:
        row.tags = row.tags or []
        updated = row.updated_at.astimezone(zone)
        row.updated_iso, row.updated_text = updated.isoformat(), formats.day_month_year(updated)
        if row.next_due_at is not None:
            row.next_due_label = _KIND_LABELS.get(row.next_due_kind, row.next_due_kind or "")
            row.next_due_text = formats.short_when(row.next_due_at.astimezone(zone))
            row.overdue = row.next_due_at <= now
    return rows


# The names of all the user's tags, which the list's filter offers.
_tag_names = PreparedQuery(
    lambda user_id: Tag.objects.for_user(get_user_model()(pk=user_id)).values_list("name"),
    STAND_IN_ID,
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
    due_text: str = ""  # “Tue 1 Dec, 10:00”, as the card shows it
    overdue: bool = False

    def owes(self, kind: str, due_at: datetime.datetime, now, zone) -> None:
        """The first answer the card's application owes: what, and when (in `zone`)."""
        self.due_label = _KIND_LABELS[kind]
        self.due_at = due_at.astimezone(zone)
        self.due_text = formats.short_when(self.due_at)
        self.overdue = due_at <= now


def count_of(queryset: QuerySet) -> Subquery:
    """How many rows `queryset` holds, as a value another query selects: several counts
    asked in one query."""
    # COUNT(*), not COUNT(id): the rows can then be counted from an index that holds only
    # the columns filtered on (the owner's, for "all statuses"), without visiting the table
    # (0.8 ms for 2,000 applications, 0.2 from the index alone).
    counted = queryset.order_by().annotate(n=Func(template="COUNT(*)", output_field=IntegerField()))
    return Subquery(counted.values("n"), output_field=IntegerField())


def board_cards(*, user) -> Read:
    """The board's cards (all active applications), highest priority first, each with the
    first answer it owes (a snooze counts): one query, whatever the history, built once. When
    that answer is due is the application's `next_owed_at`, which the database keeps (see
    `URGENCY_ORDER`); its kind is looked up beside it, the first owed at that moment."""
    return Read((_board_rows.call(user.pk),), _cards)


def _cards(rows) -> list[Card]:
    now = timezone.now()
    zone = timezone.get_current_timezone()
    cards = []
    for pk, company, job_title, stage, priority, changed, due_at, kind in rows:
        card = Card(pk, company, job_title, stage, priority, (now - changed).days)
        if due_at is not None and kind is not None:
            card.owes(kind, due_at, now, zone)
        cards.append(card)
    return cards


_KIND_LABELS = dict(FollowUp.Kind.choices)


def _board_applications(user_id: int) -> QuerySet[Application]:
    return Application.objects.for_user(get_user_model()(pk=user_id)).active()


def _first_owed_kind() -> Subquery:
    """The kind of the answer an application owes first (the one due at its `next_owed_at`;
    of two due together, the older)."""
    owed = (
        FollowUp.objects.owed()
        .filter(application=OuterRef("pk"))
        .with_effective_due()
        .filter(effective_due_at=OuterRef("next_owed_at"))
        .order_by("id")
    )
    return Subquery(owed.values("kind")[:1])


_board_rows = PreparedQuery(
    lambda user_id: (
        _board_applications(user_id)
        .annotate(due_kind=_first_owed_kind())
        .order_by("-priority", "-updated_at", "-id")
        .values_list(
            "pk",
            "company",
            "job_title",
            "stage",
            "priority",
            "stage_changed_at",
            "next_owed_at",
            "due_kind",
        )
    ),
    STAND_IN_ID,
)


def board_card(application: Application) -> Read:
    """The card of an application just read (the one a move on the board moved): none once
    it is off the board (ended or archived), else one; a query for what it owes first."""
    now = timezone.now()

    def card(rows) -> list[Card]:
        if not application.is_active or application.archived_at:
            return []
        shown = Card(
            application.pk,
            application.company,
            application.job_title,
            application.stage,
            application.priority,
            (now - application.stage_changed_at).days,
        )
        _owing_first({shown.pk: shown}, rows, now)
        return [shown]

    return Read((_card_owed.call(application.owner_id, application.pk),), card)


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
            card.owes(kind, due_at, now, zone)


def board_columns(*, user) -> Read:
    """The kanban board: one column per active stage, highest priority first."""

    def columns(rows) -> list[tuple[Stage, list[Card]]]:
        by_stage: dict[str, list[Card]] = {stage: [] for stage in ACTIVE_STAGES}
        for card in _cards(rows):
            by_stage[card.stage].append(card)
        return [(stage, by_stage[stage]) for stage in ACTIVE_STAGES]

    return Read((_board_rows.call(user.pk),), columns)


def board_counts(*, user) -> Read:
    """How many cards each column of the board holds, and how many answers are overdue (what
    a move on the board sends again besides the card): one query, one pass over the board's
    applications grouped by stage (not a count per column)."""

    def counts(rows) -> tuple[list[tuple[Stage, int]], int]:
        counted = dict(rows)
        overdue = counted.pop(_OVERDUE, 0)
        return [(stage, counted.get(stage, 0)) for stage in ACTIVE_STAGES], overdue

    return Read((_board_counts.call(user.pk, timezone.now()),), counts)


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
    # Only the user's names that share an opening with it can be the same company: looked up
    # by the openings, from an index (however many companies the user applied to).
    names = (
        CompanyNameOpening.objects.for_user(user)
        .filter(opening__in=openings(company))
        .order_by()
        .values_list("name", flat=True)
        .distinct()
    )
    matching = same_company_names(company, names)
    return (
        mine.exclude(pk=exclude_pk)
        .filter(company__in=matching)
        .only("job_title", "company", "stage", "stage_changed_at", "end_reason", "created_at")
        .order_by("-created_at")
    )


EARLIER_SHOWN = 10


def earlier_applications(user, application_id: int) -> Read:
    """The `EARLIER_SHOWN` newest of `company_history` for the page of the user's
    application, read with the page's application (whose company it needs): its result is
    a function of that company's name. It reads the user's company names that share an
    opening with that company's (a few of their hundreds, from an index) and, as most often
    only the application's own company's name matches, the earlier ones of that very name
    (the queries take the application's id, not its name). When other names match too, a
    query more."""

    def shape(names, same_name) -> Callable[[str], list[Application]]:
        def of_company(own: str) -> list[Application]:
            # Its own name first, whatever the openings kept: the same name always matches.
            candidates = [own, *(name for (name,) in names if name != own)]
            matching = same_company_names(own, candidates)
            if not matching:
                return []
            if matching != [own]:
                others = company_history(user=user, company=own, exclude_pk=application_id)
                return list(others[:EARLIER_SHOWN])
            return [
                Application.from_db(DEFAULT_DB_ALIAS, _EARLIER_COLUMNS, row) for row in same_name
            ]

        return of_company

    calls = (
        _similar_company_names.call(user.pk, application_id),
        _same_name_earlier.call(user.pk, application_id),
    )
    return Read(calls, shape)


def _company_of(owner_id: int, application_id: int) -> Subquery:
    """The company name of the owner's application."""
    application = Application.objects.filter(pk=application_id, owner_id=owner_id)
    return Subquery(application.order_by().values("company"))


_EARLIER_COLUMNS = _in_model_order(
    Application, {"id", "company", "job_title", "stage", "stage_changed_at", "end_reason"}
)
_same_name_earlier = PreparedQuery(
    lambda owner_id, application_id: (
        Application.objects.for_user(get_user_model()(pk=owner_id))
        .filter(company=_company_of(owner_id, application_id))
        .exclude(pk=application_id)
        .order_by("-created_at")
        .values_list(*_EARLIER_COLUMNS)[:EARLIER_SHOWN]
    ),
    STAND_IN_ID,
    STAND_IN_ID - 1,
)


def _similar_company_names_query(owner_id: int, application_id: int):
    """The owner's company names that share an opening with the application's company's."""
    kept = CompanyNameOpening.objects.filter(owner_id=owner_id)
    own_openings = kept.filter(name=_company_of(owner_id, application_id)).values("opening")
    return kept.filter(opening__in=own_openings).order_by().values_list("name").distinct()


_similar_company_names = PreparedQuery(_similar_company_names_query, STAND_IN_ID, STAND_IN_ID - 1)


def duplicates_of(*, user, company: str, job_title: str, exclude_pk: int | None = None):
    """The user's applications with this very company and title (any case)."""
    return (
        Application.objects.for_user(user)
        .filter(company__iexact=company.strip(), job_title__iexact=job_title.strip())
        .exclude(pk=exclude_pk)
        .order_by("-created_at")
    )
