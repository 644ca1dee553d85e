"""The admin's rules for recruiters, shared by every model they may read.

A `ScopedAdmin` shows a recruiter only rows whose candidate shares with the recruiter's agency
(agencies.scoping), only the fields agencies.visibility lists, never an edit or delete, and
answers 404 for anything else, whatever the URL. Opening a record is written to the audit log.
A recruiter's list accepts only the query string its own filters, date links, sortable columns
and search box make; anything else is refused with a 400 before any row is counted, and the
attempt is written to the audit log (a result count would answer yes or no about a private
field). Operators (superusers) get the full admin.

Every admin of Bridges (`BridgesAdmin`) answers a query string it cannot read (a date out of
range, a filter value of the wrong kind) with a 400 that says so, never a 500.
"""

import csv
import datetime
import functools

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, ORDER_VAR, PAGE_VAR
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst, smart_split, unescape_string_literal

from agencies import scoping, services, visibility
from agencies.models import AuditEvent

# --- how the panel writes a time and how urgent something is ---------------------------------


def panel_time(moment: datetime.datetime | None) -> str:
    """A moment as the whole panel writes it, in the reader's own time zone (which the site
    activates for each request) with the zone named: "Tue 1 Dec 2026, 08:30 CET"."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"


def panel_date(day: datetime.date | None) -> str:
    """A calendar day as the panel writes it: "Tue 1 Dec 2026"."""
    return "—" if day is None else f"{day:%a} {day.day} {day:%b %Y}"


def urgency(due: datetime.datetime | None, now: datetime.datetime | None = None):
    """How urgent an answer due at `due` is, in words and a colour that repeats them, counted in
    calendar days of the reader's time zone: ("overdue 3 days", "overdue"), ("due today",
    "today"), ("due in 2 days", "later"); None when nothing is due."""
    if due is None:
        return None
    now = now or timezone.now()
    days = (timezone.localdate(due) - timezone.localdate(now)).days
    if due <= now:
        late = -days
        if late <= 0:
            return "overdue today", "overdue"
        return f"overdue {late} day{'s' if late != 1 else ''}", "overdue"
    if days <= 0:
        return "due today", "today"
    if days == 1:
        return "due tomorrow", "later"
    return f"due in {days} days", "later"


def urgency_badge(due, now=None):
    """The urgency as the lists show it: words always, coloured for overdue (red) and today
    (amber); "—" when nothing is owed."""
    found = urgency(due, now)
    if found is None:
        return "—"
    words, level = found
    return format_html('<span class="urgency urgency-{}">{}</span>', level, words)


def due_cell(due, now=None):
    """A list's "due" cell: how urgent, in words, over when, in the panel's format."""
    if due is None:
        return "—"
    return format_html("{}<br><small>{}</small>", urgency_badge(due, now), panel_time(due))


@functools.cache
def dated(field: models.Field):
    """A display of a date-time field in the panel's format, named, labelled and sorted as the
    field, for lists, a recruiter's change page and inlines (one per field: a form's fields and
    its read-only ones must be the same objects)."""

    @admin.display(description=field.verbose_name, ordering=field.name)
    def display(obj):
        return panel_time(getattr(obj, field.name))

    display.__name__ = field.name
    return display


def with_panel_dates(model, names):
    """`names` with each date-time field of `model` swapped for its `dated` display."""
    shown = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            shown.append(name)
            continue
        shown.append(dated(field) if isinstance(field, models.DateTimeField) else name)
    return shown


# Cells a spreadsheet would run as a formula; exported text starting so gets a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet apps read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


class BadFilterValue(IncorrectLookupParameters):
    """A filter's value that cannot be read; the message says which, for the person asking."""


class BadQuery(Exception):
    """The list cannot answer this query string; the message says why."""


# What every list reads besides its filters: search, ordering, page, "show all", popups, facets.
_LIST_PARAMS = {*IGNORED_PARAMS, PAGE_VAR, ERROR_FLAG}

# The largest id PostgreSQL's integer columns hold: a longer number is no id at all.
_MAX_ID = 2**31 - 1


def parse_id(value: str) -> int:
    """An id typed in a filter's value, or BadFilterValue (not ValueError, nor a number the
    database cannot compare)."""
    if value.isascii() and value.isdigit() and int(value) <= _MAX_ID:
        return int(value)
    raise BadFilterValue(f"“{value[:40]}” is not an id.")


def bad_query_response(request, model_admin, message: str) -> TemplateResponse:
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Cannot show these {opts.verbose_name_plural}",
        "opts": opts,
        "message": message,
        "changelist_url": request.path,
    }
    return TemplateResponse(request, "admin/bad_query.html", context, status=400)


def date_hierarchy_problem(request, date_field: str) -> str | None:
    """Why the date links' year, month and day in the query string cannot be read, if so."""
    ranges = {
        # A year's list runs to the next year's start, so the last year cannot be shown.
        "year": (datetime.MINYEAR + 1, datetime.MAXYEAR - 1),
        "month": (1, 12),
        "day": (1, 31),
    }
    parts = {}
    for part, (low, high) in ranges.items():
        value = request.GET.get(f"{date_field}__{part}")
        if value is None:
            continue
        if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
            return f"The {part} “{value[:20]}” is not a {part} between {low} and {high}."
        parts[part] = int(value)
    if "year" in parts:
        try:
            datetime.date(parts["year"], parts.get("month", 1), parts.get("day", 1))
        except ValueError:
            return "That day is not in the calendar."
    return None


class BridgesAdmin(admin.ModelAdmin):
    """Every model admin of Bridges: a list asked for something it cannot read answers 400
    with the reason, instead of a 500 or a silent redirect to the unfiltered list; its date-time
    columns are written as the rest of the panel writes them (`panel_time`)."""

    def get_list_display(self, request):
        return with_panel_dates(self.model, super().get_list_display(request))

    def get_search_results(self, request, queryset, search_term):
        """Django's search (each word in one of the searched fields, whatever its case), asked
        so PostgreSQL can answer it from indexes. Each word is the list's own columns OR, for
        each related table, the ids of its rows that match, looked up first (the trigram
        indexes of applications/migrations/0011 answer that) and given as a list, which the
        foreign key's index reads and the planner sizes; the words' index scans are then
        intersected. A word that matches more than `COMMON_MATCHES` rows of a table reached
        through single foreign keys ("Company" in "Company 0042") is asked on the joined row
        instead, so the list's other words (or its own filters) choose the rows and that word
        only checks them. Django's one OR across joins read every row of every table joined."""
        fields = list(self.get_search_fields(request))
        by_table: dict[str, list[str]] = {}
        for name in fields:
            path, _, field = name.rpartition("__")
            by_table.setdefault(path, []).append(field)
        if (
            not search_term
            or not fields
            or any(name[0] in "^=@" for name in fields)
            or not all(map(functools.partial(_single_valued, self.model), by_table))
        ):
            return super().get_search_results(request, queryset, search_term)
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            found = Q()
            for path, names in by_table.items():
                found |= _word_in(self.model, path, names, word)
            queryset = queryset.filter(found)
        return queryset, False

    def get_changelist_instance(self, request):
        if self.date_hierarchy:
            problem = date_hierarchy_problem(request, self.date_hierarchy)
            if problem:
                raise BadQuery(problem)
        try:
            return super().get_changelist_instance(request)
        except BadFilterValue as exc:
            raise BadQuery(str(exc)) from exc
        except IncorrectLookupParameters as exc:
            raise BadQuery("A filter in this address has a value the list cannot read.") from exc

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except BadQuery as exc:
            return bad_query_response(request, self, str(exc))


# More matching rows than this in a related table, and a word is asked on the joined row.
COMMON_MATCHES = 1000


def _contains(word: str, lookups: list[str]) -> Q:
    return Q(*(Q(**{f"{lookup}__icontains": word}) for lookup in lookups), _connector=Q.OR)


def _single_valued(model, path: str) -> bool:
    """Whether `path` leads from each row of `model` to at most one row (foreign keys only),
    so a join on it repeats no row."""
    return not path or all(
        field.many_to_one or field.one_to_one for field in get_fields_from_path(model, path)
    )


def _word_in(model, path: str, names: list[str], word: str) -> Q:
    """`word` in one of the columns `names` of the row `path` leads to from `model` (the
    model's own columns when `path` is empty), as get_search_results asks it. The ids looked
    up here are the whole table's: they only narrow the list's own, scoped query, and are
    never shown (scoping them too would cost the common word what the lookup saves)."""
    joined = _contains(word, [f"{path}__{name}" if path else name for name in names])
    if not path:
        return joined
    table = get_fields_from_path(model, path)[-1].related_model
    found = list(
        table._default_manager.filter(_contains(word, names))
        .order_by()
        .values_list("pk", flat=True)[: COMMON_MATCHES + 1]
    )
    if len(found) > COMMON_MATCHES:
        return joined
    return Q(**{f"{path}__in": found})


def order_field_of(model_admin, name):
    """What a list column sorts by (as the admin's change list resolves it), or None."""
    if name == "action_checkbox":
        return None
    try:
        return model_admin.model._meta.get_field(name).name
    except FieldDoesNotExist:
        pass
    if callable(name):
        attr = name
    elif hasattr(model_admin, name):
        attr = getattr(model_admin, name)
    else:
        attr = getattr(model_admin.model, name, None)
    if isinstance(attr, property):
        attr = attr.fget
    return getattr(attr, "admin_order_field", None)


def is_recruiter_view(request) -> bool:
    """Everyone but operators gets the recruiter's view (which is empty without an agency)."""
    return not request.user.is_superuser


def candidate_id_of(obj, path: str):
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id")


class ScopedAdmin(BridgesAdmin):
    # How a row reaches its candidate, e.g. "owner" or "application__owner".
    candidate_path = "owner"
    # What recruiters see of a row (agencies.visibility); None means the operator's fields.
    recruiter_fields: list[str] | None = None
    recruiter_inlines: list = []
    recruiter_search_fields: tuple[str, ...] = ()
    # Shown in the recruiter's admin index; a model read only through inlines sets False.
    recruiter_listed = True
    # Annotations of get_queryset, made from shared fields only, that a recruiter may sort by.
    recruiter_annotations: tuple[str, ...] = ()
    list_per_page = 50
    view_on_site = False
    # What the recruiter's list says when it has no row at all (templates/admin/
    # change_list_results.html says when a search or filter matches none).
    empty_message = "Nothing here yet."

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scoping.for_recruiter(queryset, request.user, self.candidate_path)

    # --- what a recruiter sees --------------------------------------------------------------

    def get_fields(self, request, obj=None):
        if is_recruiter_view(request) and self.recruiter_fields is not None:
            return with_panel_dates(self.model, self.recruiter_fields)
        return super().get_fields(request, obj)

    def get_fieldsets(self, request, obj=None):
        if is_recruiter_view(request) and self.recruiter_fields is not None:
            return [(None, {"fields": self.get_fields(request, obj)})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if is_recruiter_view(request) and self.recruiter_fields is not None:
            return with_panel_dates(self.model, self.recruiter_fields)
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        if is_recruiter_view(request):
            return self.recruiter_inlines
        return super().get_inlines(request, obj)

    def get_search_fields(self, request):
        # Searching a field a recruiter may not read would let them probe it.
        if is_recruiter_view(request):
            return self.recruiter_search_fields
        return super().get_search_fields(request)

    # --- what a recruiter may ask of a list -----------------------------------------------------

    def recruiter_parameters(self, request) -> set[str]:
        """The query-string keys the list's own filters and date links make, and no others."""
        offered = set()
        for list_filter in self.get_list_filter(request):
            if isinstance(list_filter, type) and issubclass(list_filter, admin.SimpleListFilter):
                offered.add(list_filter.parameter_name)
                continue
            if isinstance(list_filter, (list, tuple)):
                field_path, filter_class = list_filter
            else:
                field_path, filter_class = list_filter, admin.FieldListFilter.create
            field = get_fields_from_path(self.model, field_path)[-1]
            spec = filter_class(field, request, {}, self.model, self, field_path=field_path)
            offered.update(spec.expected_parameters())
        if self.date_hierarchy:
            offered.update(f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day"))
        return offered

    def recruiter_list_display(self, request) -> list:
        """The columns as the change list numbers them for `o=` (the checkbox first)."""
        columns = list(self.get_list_display(request))
        return ["action_checkbox", *columns] if self.get_actions(request) else columns

    def recruiter_sorts_by(self, name) -> bool:
        order_field = order_field_of(self, name)
        if not isinstance(order_field, str):
            return False
        bare = order_field.lstrip("-")
        return bare in self.recruiter_annotations or visibility.is_shared_path(self.model, bare)

    def get_sortable_by(self, request):
        if not is_recruiter_view(request):
            return super().get_sortable_by(request)
        return [name for name in self.get_list_display(request) if self.recruiter_sorts_by(name)]

    def lookup_allowed(self, lookup, value, request):
        if is_recruiter_view(request):
            return lookup in self.recruiter_parameters(request)
        return super().lookup_allowed(lookup, value, request)

    def refused_query(self, request) -> str | None:
        """What in the query string a recruiter's list does not offer, in words, if anything."""
        offered = self.recruiter_parameters(request)
        for key, value in request.GET.items():
            if key not in _LIST_PARAMS and key not in offered:
                return f"{key}={value}"
        order = request.GET.get(ORDER_VAR)
        if order:
            columns = self.recruiter_list_display(request)
            for part in order.split("."):
                index = part.removeprefix("-")
                if not (index.isascii() and index.isdigit() and int(index) < len(columns)):
                    return f"{ORDER_VAR}={order}"
                if not self.recruiter_sorts_by(columns[int(index)]):
                    return f"{ORDER_VAR}={order}"
        return None

    def changelist_view(self, request, extra_context=None):
        if is_recruiter_view(request):
            refused = self.refused_query(request)
            if refused is not None:
                # Before the list is built: not even a count is computed.
                self.audit_refusal(request, refused)
                return bad_query_response(
                    request,
                    self,
                    "This list can be filtered, sorted and searched only by the links and the "
                    "search box on it. The attempt has been recorded.",
                )
            # The list's name, not Django's "Select answer owed to view".
            title = capfirst(self.opts.verbose_name_plural)
            extra_context = {"title": title, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_model_perms(self, request):
        if is_recruiter_view(request) and not self.recruiter_listed:
            return {}
        return super().get_model_perms(request)

    # --- read-only for recruiters, whatever permissions they are given -------------------------

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    # --- another agency's row, or a row that is gone: 404, not a redirect with its id -----------

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(f"No {opts.verbose_name} here.")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            self.audit_view(request, response.context_data.get("original"))
        return response

    def audit_view(self, request, obj) -> None:
        recruiter = scoping.recruiter_of(request.user)
        if recruiter is None or obj is None:
            return
        services.audit(
            actor=request.user,
            action=AuditEvent.Action.VIEWED,
            agency=recruiter.agency,
            candidate_id=candidate_id_of(obj, self.candidate_path),
            what=f"{self.opts.verbose_name} #{obj.pk}: {obj}",
        )

    def audit_refusal(self, request, refused: str) -> None:
        recruiter = scoping.recruiter_of(request.user)
        services.audit(
            actor=request.user,
            action=AuditEvent.Action.REFUSED,
            agency=recruiter.agency if recruiter else None,
            what=f"{self.opts.verbose_name_plural}: {refused}",
        )

    def audit_export(self, request, count: int) -> None:
        recruiter = scoping.recruiter_of(request.user)
        if recruiter is not None:
            services.audit(
                actor=request.user,
                action=AuditEvent.Action.EXPORTED,
                agency=recruiter.agency,
                what=f"{count} {self.opts.verbose_name_plural} exported",
            )


def export_filename(stem: str) -> str:
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.csv"
