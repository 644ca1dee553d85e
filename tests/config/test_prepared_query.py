"""A query whose SQL is built once answers as the queryset it was built from, for any user."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Application
from config.views_common import (
    _DOCUMENT_READS,
    STAND_IN_ID,
    STAND_IN_TEXT,
    STAND_IN_TIME,
    PreparedQuery,
    Read,
    document_read,
    read_ahead,
    read_page,
    read_together,
    rows_together,
)


def companies(user_id):
    return Application.objects.filter(owner_id=user_id).order_by("company").values_list("company")


def test_each_call_answers_for_its_own_values(alice, bob, make_application):
    make_application(alice, company="Acme")
    make_application(alice, company="Globex")
    make_application(bob, company="Initech")
    prepared = PreparedQuery(companies, STAND_IN_ID)
    assert prepared.rows(alice.pk) == list(companies(alice.pk)) == [("Acme",), ("Globex",)]
    assert prepared.rows(bob.pk) == [("Initech",)]
    assert prepared.row(bob.pk) == {"company": "Initech"}
    assert prepared.row(-1) is None


def test_a_stand_in_written_into_the_sql_is_refused(alice):
    # Slicing by the stand-in writes it into the SQL (LIMIT), where no call could change it.
    prepared = PreparedQuery(lambda n: Application.objects.all()[:-n], STAND_IN_ID)
    with pytest.raises(ValueError, match="not parameters"):
        prepared.rows(5)


def test_a_value_worked_out_from_a_stand_in_is_refused(alice):
    # "A day before now" reaches the SQL as its own parameter, which no call would change.
    def recent(now):
        day_before = now - datetime.timedelta(days=1)
        return Application.objects.filter(created_at__lte=now, created_at__gte=day_before)

    prepared = PreparedQuery(recent, STAND_IN_TIME)
    with pytest.raises(ValueError, match="worked out from a stand-in"):
        prepared.rows(STAND_IN_TIME)


def test_a_text_and_a_small_number_take_their_callers_values(alice, make_application):
    make_application(alice, company="Acme", priority=2)
    make_application(alice, company="Acme", job_title="Lead", priority=4)
    make_application(alice, company="Globex", priority=4)

    def by_company(user_id, company, priority):
        chosen = Application.objects.filter(owner_id=user_id, company=company, priority=priority)
        return chosen.values_list("job_title")

    # 32_000 fits the priority's small integer column, which psycopg binds as its own type.
    prepared = PreparedQuery(by_company, STAND_IN_ID, STAND_IN_TEXT, 32_000)
    assert prepared.rows(alice.pk, "Acme", 4) == [("Lead",)]
    assert prepared.rows(alice.pk, "Globex", 4) == list(by_company(alice.pk, "Globex", 4))
    assert prepared.rows(alice.pk, "Acme'; --", 4) == []


def test_a_paged_query_reads_one_page_at_a_time(alice, make_application):
    for name in ("Acme", "Globex", "Initech", "Umbrella", "Hooli"):
        make_application(alice, company=name)
    prepared = PreparedQuery(companies, STAND_IN_ID, paged=True)
    assert prepared.rows(alice.pk, limit=2, offset=0) == [("Acme",), ("Globex",)]
    assert prepared.rows(alice.pk, limit=2, offset=4) == [("Umbrella",)]
    with pytest.raises(TypeError):
        prepared.rows(alice.pk)  # a paged query always says which page


def test_a_paged_query_built_sliced_is_refused(alice):
    prepared = PreparedQuery(lambda user_id: companies(user_id)[:3], STAND_IN_ID, paged=True)
    with pytest.raises(ValueError, match="unsliced"):
        prepared.rows(alice.pk, limit=2, offset=0)


def test_times_read_the_same_moments_as_the_orm_in_any_time_zone(alice, make_application, clock):
    # On PostgreSQL its cursor reads timestamps with psycopg's compiled loader, not Django's.
    make_application(alice, company="Acme")
    moments = PreparedQuery(
        lambda user_id: Application.objects.filter(owner_id=user_id).values_list(
            "created_at", "updated_at"
        ),
        STAND_IN_ID,
    )
    expected = list(
        Application.objects.filter(owner_id=alice.pk).values_list("created_at", "updated_at")
    )
    with timezone.override("Pacific/Auckland"):
        (row,) = moments.rows(alice.pk)
    assert [row] == expected
    assert row[0] == clock.now()
    assert all(moment.utcoffset() == datetime.timedelta(0) for moment in row)


def prepared_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {statement for (statement,) in cursor.fetchall()}


def test_on_postgresql_the_database_plans_its_statement_once_a_connection(alice, make_application):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    make_application(alice, company="Acme")
    earlier = prepared_statements()  # the connection outlives a test
    prepared = PreparedQuery(companies, STAND_IN_ID)
    with CaptureQueriesContext(connection) as seen:
        assert prepared.rows(alice.pk) == [("Acme",)]
        assert prepared.rows(alice.pk + 1) == []
        assert list(companies(alice.pk)) == [("Acme",)]
    # Counted as any query is (the query-count tests see it), and prepared once: Django's
    # own query, bound on the client, is not prepared.
    assert len(seen.captured_queries) == 3
    (statement,) = prepared_statements() - earlier
    assert '"owner_id" = $1' in statement
    assert statement.startswith('SELECT "applications_application"."company"')


def plans(statement_part: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE strpos(statement, %s) > 0",
            [statement_part],
        )
        return cursor.fetchone()


def test_on_postgresql_its_constants_are_written_in_and_it_is_planned_once(alice, make_application):
    """Only the callers' values are parameters: the constants (quotes and percent signs in
    them too) are in the statement itself, which PostgreSQL plans once, generically."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    make_application(alice, company="100% O'Reilly", priority=4)
    make_application(alice, company="Acme", priority=4)
    make_application(alice, company="100% O'Reilly", priority=2)

    def odd_names(user_id):
        chosen = Application.objects.filter(owner_id=user_id, priority__in=[4, 5])
        return chosen.filter(company__in=["100% O'Reilly", "Globex"]).values_list("priority")

    prepared = PreparedQuery(odd_names, STAND_IN_ID)
    for _ in range(3):
        assert prepared.rows(alice.pk) == list(odd_names(alice.pk)) == [(4,)]
    (statement,) = [s for s in prepared_statements() if "O''Reilly" in s]
    assert "'100% O''Reilly'" in statement
    assert '"owner_id" = $1' in statement and "$2" not in statement
    assert plans("O''Reilly") == (3, 0)


def test_with_prepared_statements_turned_off_it_answers_the_same(alice, make_application):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    make_application(alice, company="Acme")
    connection.ensure_connection()
    earlier = prepared_statements()
    threshold = connection.connection.prepare_threshold
    connection.connection.prepare_threshold = None  # as DATABASE_PREPARED_STATEMENTS=0 sets it
    try:
        prepared = PreparedQuery(companies, STAND_IN_ID)
        assert prepared.rows(alice.pk) == [("Acme",)]
        assert prepared_statements() == earlier
    finally:
        connection.connection.prepare_threshold = threshold


def titles(user_id, company):
    chosen = Application.objects.filter(owner_id=user_id, company=company)
    return chosen.order_by("job_title").values_list("job_title")


@pytest.mark.parametrize("prepared_statements", [True, False])
def test_queries_run_together_answer_as_each_alone(
    alice, bob, make_application, prepared_statements
):
    make_application(alice, company="Acme", job_title="Lead")
    make_application(alice, company="Globex")
    make_application(bob, company="Initech")
    by_company = PreparedQuery(companies, STAND_IN_ID)
    by_title = PreparedQuery(titles, STAND_IN_ID, STAND_IN_TEXT)
    paged = PreparedQuery(companies, STAND_IN_ID, paged=True)
    connection.ensure_connection()
    threshold = getattr(connection.connection, "prepare_threshold", None)
    if connection.vendor == "postgresql" and not prepared_statements:
        connection.connection.prepare_threshold = None
    try:
        with CaptureQueriesContext(connection) as seen:
            together = rows_together(
                by_company.call(alice.pk),
                by_title.call(alice.pk, "Acme"),
                by_company.call(bob.pk),
                paged.call(alice.pk, limit=1, offset=1),
            )
    finally:
        if connection.vendor == "postgresql":
            connection.connection.prepare_threshold = threshold
    assert together == [
        [("Acme",), ("Globex",)],
        [("Lead",)],
        [("Initech",)],
        [("Globex",)],
    ]
    # Logged as Django logs its own queries: the SQL with its values in place.
    logged = [query["sql"] for query in seen.captured_queries]
    assert len(logged) == 4
    assert all('FROM "applications_application"' in sql for sql in logged)
    assert f'"owner_id" = {bob.pk}' in logged[2] and "'Acme'" in logged[1]
    assert rows_together() == []


def test_a_read_shapes_its_rows_and_reads_stop_at_the_first_that_raises(alice, make_application):
    make_application(alice, company="Acme")
    by_company = PreparedQuery(companies, STAND_IN_ID)
    names = Read((by_company.call(alice.pk),), lambda rows: [name for (name,) in rows])
    both = Read(
        (by_company.call(alice.pk), by_company.call(-1)), lambda mine, none: (len(mine), none)
    )
    assert read_together(names, both) == [["Acme"], (1, [])]
    assert names.result() == ["Acme"]

    def missing(rows):
        raise LookupError("not found")

    shaped = []
    after = Read((by_company.call(alice.pk),), shaped.append)
    with pytest.raises(LookupError):
        read_together(Read((by_company.call(-1),), missing), after)
    assert shaped == []


def test_a_failing_query_among_others_raises_djangos_error_and_loses_nothing(
    alice, make_application
):
    make_application(alice, company="Acme")
    by_company = PreparedQuery(companies, STAND_IN_ID)
    broken = PreparedQuery(
        lambda user_id, text: Application.objects.filter(owner_id=user_id, company__regex=text),
        STAND_IN_ID,
        STAND_IN_TEXT,
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        rows_together(by_company.call(alice.pk), broken.call(alice.pk, "(unclosed"))
    assert by_company.rows(alice.pk) == [("Acme",)]


def test_a_page_reads_the_documents_parts_with_its_own(alice, make_application, rf):
    make_application(alice, company="Acme")
    by_company = PreparedQuery(companies, STAND_IN_ID)
    request = rf.get("/")
    request.user = alice
    assert read_ahead(request, "names") is None  # nothing read yet: the part reads it itself

    @document_read("names")
    def names(request):
        return Read((by_company.call(request.user.pk),), lambda rows: [n for (n,) in rows])

    try:
        with CaptureQueriesContext(connection) as seen:
            (mine,) = read_page(request, Read((by_company.call(-1),), len))
    finally:
        del _DOCUMENT_READS["names"]
    assert mine == 0
    assert read_ahead(request, "names") == ["Acme"]
    badges = read_ahead(request, "badges")  # the navigation's, which the inbox app registers
    assert badges == {"overdue_count": 0, "mailbox_state": "", "waiting": 0}
    assert len(seen.captured_queries) == 3
