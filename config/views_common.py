"""Small helpers every app's views share (the bottom layer: it imports no app)."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections
from django.shortcuts import render
from django.template import engines
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def safe_next(request, default: str) -> str:
    """Where to go after a POST: `next` if it points inside this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def local_next(request, default: str) -> str:
    """`next` if it is a path on this site ("/applications/3/"), else `default`: never a
    full address, another host, or a scheme, however it is spelled."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts=set())
    ):
        return target
    return default


def fragment(request, template: str, context: dict) -> SafeString:
    """A hot fragment (the board, the list, a detail page, the follow-ups) drawn by Jinja2
    (config/jinja2.py) from `templates/jinja2/`, to sit in a Django page."""
    html = engines["jinja2"].get_template(template).render(context, request)
    return mark_safe(html)  # noqa: S308 (Jinja2 autoescapes everything it was given)


def emailed_link_page(
    request,
    title: str,
    text: str = "",
    *,
    button: str = "",
    next_url: str = "",
    next_label: str = "",
    status: int = 200,
):
    """The page a link from an email opens: with `button`, a form that confirms by POST (so a
    mail scanner following the link changes nothing); without, what the POST did, and where
    to go next."""
    context = {"title": title, "text": text, "button": button, "next_url": next_url,
               "next_label": next_label}  # fmt: skip
    return render(request, "emailed_link.html", context, status=status)


# Stand-ins for a PreparedQuery's values: an id, a time and a text no real one takes.
STAND_IN_ID = -987_654_321
STAND_IN_TIME = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
STAND_IN_TEXT = "\x1fstand-in\x1f"


class PreparedQuery:
    """A query that a hot page asks on every request (the navigation's badges, the board's
    cards), its SQL worked out once per process: Django takes about a millisecond to build
    and compile a queryset with subqueries, PostgreSQL often a tenth of that to answer it.

    `build(*marks)` returns the queryset for stand-in values, numbers, times or texts no real
    value takes; each call runs its SQL with the real values in the stand-ins' places:
    `rows()` returns the rows as the queryset would (its database's conversions applied),
    `row()` the first as a dict (None without one). A stand-in the SQL does not carry as a
    parameter (one Django wrote into the SQL itself), or a parameter worked out from one, is
    an error, at the first call.

    `paged`: the rows come a page at a time, `rows(*values, limit=…, offset=…)` (Django
    writes a slice's numbers into the SQL, so the queryset is built unsliced and the page's
    bounds are added as parameters)."""

    def __init__(self, build, *marks, paged: bool = False):
        self._build, self._marks, self._paged, self._compiled = build, marks, paged, None
        self._columns = None

    def _compile(self):
        queryset = self._build(*self._marks)
        if self._paged and queryset.query.is_sliced:
            raise ValueError("a paged query is built unsliced: its page is added to it")
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        adapters = _adapters(connections[queryset.db])
        slots = [
            next(
                (
                    (n, adapt)
                    for n, mark in enumerate(self._marks)
                    for adapt in adapters
                    if _same(param, adapt(mark))
                ),
                None,
            )
            for param in params
        ]
        found = {slot[0] for slot in slots if slot}
        if missing := set(range(len(self._marks))) - found:
            raise ValueError(f"stand-ins {sorted(missing)} are not parameters of: {sql}")
        # Built again with other stand-ins, everything else must come out the same: a value
        # worked out from a stand-in (a time a day earlier, say) would be frozen otherwise.
        other = self._build(*map(_another, self._marks))
        other_sql, other_params = other.query.get_compiler(other.db).as_sql()
        fixed = [param for param, slot in zip(params, slots, strict=True) if slot is None]
        if other_sql != sql or fixed != [
            param for param, slot in zip(other_params, slots, strict=True) if slot is None
        ]:
            raise ValueError(f"a parameter is worked out from a stand-in in: {sql}")
        if connections[queryset.db].vendor == "postgresql":
            sql, params, slots = _constants_written(connections[queryset.db], sql, params, slots)
        if self._paged:
            sql += " LIMIT %s OFFSET %s"
        return queryset.db, sql, params, slots, converters

    def _bound(self, values, page) -> tuple[str, str, list]:
        """The database alias, the SQL and its parameters for these values."""
        if self._compiled is None:
            self._compiled = self._compile()
        alias, sql, params, slots, _ = self._compiled
        bound = [
            param if slot is None else slot[1](values[slot[0]])
            for param, slot in zip(params, slots, strict=True)
        ]
        bound.extend(page)
        return alias, sql, bound

    def _read(self, cursor, connection) -> list[tuple]:
        """The rows of the cursor this query ran in, converted as the queryset would."""
        rows = cursor.fetchall()
        if self._columns is None:  # the same SQL names the same columns (psycopg builds
            # its description anew at each call, about as dear as the rows of a small query)
            self._columns = [column[0] for column in cursor.description]
        converters = self._compiled[4]
        if converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in converters.items():
                    for convert in functions:
                        row[position] = convert(row[position], expression, connection)
            rows = [tuple(row) for row in rows]
        return rows

    def call(self, *values, limit: int | None = None, offset: int = 0) -> "Call":
        """This query with its values, to be run with others (`rows_together`)."""
        if self._paged != (limit is not None):
            raise TypeError("a paged query takes a limit, and only a paged query does")
        return Call(self, values, (limit, offset) if self._paged else ())

    def rows(self, *values, limit: int | None = None, offset: int = 0) -> list[tuple]:
        return rows_together(self.call(*values, limit=limit, offset=offset))[0]

    def row(self, *values) -> dict | None:
        return self.first_row(*values).result()

    def first_row(self, *values) -> "Read":
        """`row()` as a Read, to be read with others."""
        if self._paged:
            raise TypeError("a paged query is read with rows()")

        def first(rows):
            return dict(zip(self._columns, rows[0], strict=True)) if rows else None

        return Read((self.call(*values),), first)


@dataclass(frozen=True, slots=True)
class Call:
    """A prepared query and the values of one call (`PreparedQuery.call`)."""

    query: PreparedQuery
    values: tuple
    page: tuple


def rows_together(*calls: Call) -> list[list[tuple]]:
    """Each call's rows, as its query's `rows()` returns them. On PostgreSQL, more than one
    call goes in one round trip (psycopg's pipeline mode): each is sent without waiting for
    the one before, and the server answers them in turn (a page's eight queries took 1.9 ms
    so, 3.0 one after another). Elsewhere they run one after another."""
    if not calls:
        return []
    bound = [call.query._bound(call.values, call.page) for call in calls]
    if len({alias for alias, _, _ in bound}) > 1:
        raise ValueError("queries run together read one database")
    connection = connections[bound[0][0]]
    if len(calls) < 2 or connection.vendor != "postgresql":
        results = []
        for call, (_, sql, params) in zip(calls, bound, strict=True):
            with _cursor(connection) as cursor:
                cursor.execute(sql, params)
                results.append(call.query._read(cursor, connection))
        return results
    cursors = [_cursor(connection) for _ in calls]
    try:
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (_, sql, params) in zip(cursors, bound, strict=True):
                cursor.execute(sql, params)
            return [
                call.query._read(cursor, connection)
                for call, cursor in zip(calls, cursors, strict=True)
            ]
    finally:
        for cursor in cursors:
            cursor.close()


@dataclass(frozen=True, slots=True)
class Read:
    """What a page reads with prepared queries: their calls, and `shape(*rows)`, which makes
    what the page shows from each call's rows. `read_together` reads several at once."""

    calls: tuple[Call, ...]
    shape: Callable[..., Any]

    def result(self):
        return read_together(self)[0]


# What the page document reads for a request besides the page (the navigation's badges),
# by name: each app that draws part of it registers its read (`document_read`), so a page
# that reads its own with `read_page` reads these in the same round trip.
_DOCUMENT_READS: dict[str, Callable[[Any], Read | None]] = {}


def document_read(name: str):
    """Registers `function(request)`, a Read (or None: nothing to read) of the page document's
    part `name`, which `read_page` reads and `read_ahead` hands back."""

    def register(function):
        _DOCUMENT_READS[name] = function
        return function

    return register


def read_page(request, *reads: Read) -> list:
    """`read_together(*reads)`, with the page document's own reads for this request in the
    same round trip; their results wait on the request for `read_ahead`."""
    names, extra = [], []
    for name, read_for in _DOCUMENT_READS.items():
        if (read := read_for(request)) is not None:
            names.append(name)
            extra.append(read)
    results = read_together(*reads, *extra)
    request.document_reads = dict(zip(names, results[len(reads) :], strict=True))
    return results[: len(reads)]


def read_ahead(request, name: str, default=None):
    """What `read_page` read of the page document's part `name` for this request, else
    `default` (a page that did not read it: its part reads it itself)."""
    return getattr(request, "document_reads", {}).get(name, default)


def read_together(*reads: Read) -> list:
    """Each read's result, their queries run together (`rows_together`), then shaped in the
    order given (a shape that raises, a 404 say, stops the ones after it)."""
    rows = rows_together(*(call for read in reads for call in read.calls))
    results, start = [], 0
    for read in reads:
        results.append(read.shape(*rows[start : start + len(read.calls)]))
        start += len(read.calls)
    return results


def _cursor(connection):
    """Django's cursor, on PostgreSQL with two changes. Where the settings turn prepared
    statements on (`prepare_threshold`), it binds its values on the server, so psycopg
    prepares the statement and PostgreSQL parses and plans it once a connection, not at each
    call (planning was half of what the detail page's queries cost the server: 1.8 of 3.7
    ms). And it reads timestamps with psycopg's compiled loader. Django's own cursors bind on
    the client, and a client-bound query is never prepared: only these are."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        cursor = connection.cursor()
    else:
        from django.db.backends.postgresql.base import ServerBindingCursor

        # Wrapped as connection.cursor() wraps its own: seen by execute_wrappers, and logged
        # when queries are (debug, a test counting them).
        connection.validate_thread_sharing()
        with connection.wrap_database_errors:
            bound = ServerBindingCursor(connection.connection)
        if connection.queries_logged:
            cursor = _logged_cursor()(bound, connection)
        else:
            cursor = connection.make_cursor(bound)
    _compiled_time_loader(connection, cursor)
    return cursor


@cache
def _logged_cursor():
    """Django's logging cursor for PostgreSQL, which logs the SQL psycopg last sent: for a
    prepared statement that is its text with $1, $2…, and in pipeline mode nothing yet, so
    this one logs the SQL with its values in place, as Django's does for its own queries."""
    from django.db.backends.postgresql.base import CursorDebugWrapper
    from django.db.backends.utils import CursorWrapper

    class LoggedCursor(CursorDebugWrapper):
        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
                return CursorWrapper.execute(self, sql, params)  # not logged again

    return LoggedCursor


def _compiled_time_loader(connection, cursor) -> None:
    """On PostgreSQL, the cursor reads timestamps with psycopg's own loader (compiled, with
    psycopg-binary) instead of Django's, a pure-Python subclass of it that costs about 6 µs a
    value: a hot page reads hundreds. The moments are the same: Django sets the session's
    time zone to the connection's, in which psycopg's loader returns them."""
    if not settings.USE_TZ:
        return
    import psycopg

    loader = psycopg.adapters.get_loader(_TIMESTAMPTZ_OID, psycopg.pq.Format.TEXT)
    cursor.cursor.adapters.register_loader(_TIMESTAMPTZ_OID, loader)


_TIMESTAMPTZ_OID = 1184


_PLACEHOLDER = re.compile("%%|%s")


def _constants_written(connection, sql: str, params: list, slots: list) -> tuple[str, list, list]:
    """The SQL with its constants written in (the parameters no stand-in took: a state, a
    stage, an empty string), only the values left as parameters. A prepared statement's
    generic plan, made once for every call, then knows them, as a partial index on
    `state IN ('open', 'snoozed')` and the column statistics need: with them as parameters,
    the follow-ups' generic plan read all 3,862 of the user's follow-ups, not the 262 pending."""
    from psycopg import sql as psycopg_sql

    connection.ensure_connection()
    placed = iter(zip(params, slots, strict=True))

    def place(match) -> str:
        if match.group() == "%%":
            return "%%"
        param, slot = next(placed)
        if slot is not None:
            return "%s"
        literal = psycopg_sql.Literal(param).as_string(connection.connection)
        return literal.replace("%", "%%")

    written = _PLACEHOLDER.sub(place, sql)
    kept = [(param, slot) for param, slot in zip(params, slots, strict=True) if slot is not None]
    return written, [param for param, _ in kept], [slot for _, slot in kept]


def _adapters(connection) -> tuple:
    """How a value may reach the SQL's parameters: as it is, or, for a time, as the database
    takes one (SQLite as text)."""

    def as_time(value):
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    return (lambda value: value, as_time)


def _another(mark):
    """A second stand-in of the same kind, as far from real values."""
    if isinstance(mark, datetime.datetime):
        return mark + datetime.timedelta(days=1)
    if isinstance(mark, str):
        return mark + "another\x1f"
    return mark - 1000


def _same(param, mark) -> bool:
    # psycopg's integer types (Int2 for a small integer column) are ints too.
    if isinstance(mark, int) and not isinstance(param, bool):
        return isinstance(param, int) and param == mark
    return type(param) is type(mark) and param == mark
