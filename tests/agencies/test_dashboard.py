"""The recruiter's front page: their agency's figures per office, every number a link to the
list it counts, in a fixed number of queries."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from agencies import services
from agencies.dashboard import dashboard
from agencies.models import CandidateMembership
from applications.models import Application, FollowUp, TimelineEvent
from tests.agencies.conftest import join, make_recruiter
from tests.conftest import make_user

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def owes(candidate, *, due_days_ago: float, kind=FollowUp.Kind.CHECK_IN, **fields) -> FollowUp:
    application = Application.objects.filter(owner=candidate).first()
    return FollowUp.objects.create(
        owner=candidate,
        application=application,
        kind=kind,
        due_at=timezone.now() - due_days_ago * DAY,
        **fields,
    )


def answered(candidate, *, took: datetime.timedelta, days_ago: float = 1) -> FollowUp:
    closed = timezone.now() - days_ago * DAY
    return owes(
        candidate,
        due_days_ago=days_ago,
        kind=FollowUp.Kind.ANSWER_INVITATION,
        state=FollowUp.State.DONE,
        created_at=closed - took,
        closed_at=closed,
    )


def go_quiet(candidate, days: int) -> None:
    TimelineEvent.objects.filter(application__owner=candidate).update(
        at=timezone.now() - days * DAY
    )


@pytest.fixture
def agency(world, make_application):
    """Agency A seen by Olga, who works across it, with candidates in every situation:

    - alice (London, from the world): owes what the world gave her;
    - leo (Leeds): one answer overdue by 5 days, one not yet due; gone quiet;
    - nina (no office): nothing owed; gone quiet;
    - stan (London) stopped sharing, and dave shares with agency B: neither may count.
    """
    a = world["a"]
    people = {}
    for key, name, office in [
        ("leo", "Leo Leeds", world["leeds"]),
        ("nina", "Nina Nowhere", None),
        ("stan", "Stan Stopped", world["london"]),
    ]:
        user = make_user(f"{key}@example.com", display_name=name)
        make_application(user, company=f"{name} Corp")
        people[key] = user
        people[f"{key}_at_a"] = join(user, a, office)
    FollowUp.objects.filter(owner__in=[people["leo"], people["nina"], people["stan"]]).delete()
    owes(people["leo"], due_days_ago=5.2)
    owes(people["leo"], due_days_ago=-2)
    go_quiet(people["leo"], 20)
    go_quiet(people["nina"], 15)
    owes(people["stan"], due_days_ago=9)
    go_quiet(people["stan"], 30)
    services.set_sharing(membership=people["stan_at_a"], share=False)
    owes(world["dave"], due_days_ago=12)
    go_quiet(world["dave"], 30)
    people["olga"] = make_recruiter("olga@alpha.example", a)
    return {**world, **people}


def rows_of(figures) -> dict[str, object]:
    return {row.label: row for row in [*figures.rows, figures.total]}


def test_one_row_per_office_no_office_and_a_total(agency):
    alice_owes = FollowUp.objects.owed().filter(owner=agency["alice"])
    assert alice_owes.count() == 1 and alice_owes.overdue().count() == 1

    figures = dashboard(agency["olga"])

    rows = rows_of(figures)
    assert [row.label for row in figures.rows] == ["Leeds", "London", "No office"]
    london, leeds, nowhere, total = (
        rows[k] for k in ["London", "Leeds", "No office", "All offices"]
    )
    # Stan stopped sharing and Carol never did: London counts Alice alone, Leeds Leo alone.
    assert (london.sharing, london.owed, london.overdue, london.quiet) == (1, 1, 1, 0)
    assert (leeds.sharing, leeds.owed, leeds.overdue, leeds.quiet) == (1, 2, 1, 1)
    assert (nowhere.sharing, nowhere.owed, nowhere.overdue, nowhere.quiet) == (1, 0, 0, 1)
    assert (total.sharing, total.owed, total.overdue, total.quiet) == (3, 3, 2, 2)
    assert leeds.oldest.name == "Leo Leeds"
    assert leeds.oldest.words == "overdue 5 days"
    assert london.oldest.name == "Alice Martin"
    assert london.oldest.words == "overdue 2 days"
    assert nowhere.oldest is None
    # The total's longest overdue is the agency's: Leo's, not Stan's (9 days) nor Dave's (12).
    assert total.oldest.name == "Leo Leeds"


def test_a_recruiter_of_one_office_sees_that_office_only(agency):
    figures = dashboard(agency["recruiter"])

    assert [row.label for row in figures.rows] == ["London"]
    assert figures.total is None  # it would repeat the one row
    assert figures.title == "Alpha Staffing — London"
    assert figures.rows[0].sharing == 1


def test_the_other_agency_sees_only_its_own(agency):
    figures = dashboard(agency["other_recruiter"])

    [paris] = figures.rows
    assert (paris.label, paris.sharing, paris.overdue, paris.quiet) == ("Paris", 1, 2, 1)
    assert paris.oldest.name == "Dave Elsewhere"


def test_median_time_to_answer_an_invitation(agency):
    assert rows_of(dashboard(agency["olga"]))["No office"].median_words == "no answers yet"
    FollowUp.objects.filter(kind=FollowUp.Kind.ANSWER_INVITATION).delete()
    for hours in (2, 4, 30):
        answered(agency["leo"], took=hours * HOUR)
    answered(agency["leo"], took=1 * HOUR, days_ago=31)  # before the last 30 days
    answered(agency["nina"], took=10 * HOUR)
    answered(agency["stan"], took=200 * HOUR)  # stopped sharing
    answered(agency["dave"], took=300 * HOUR)  # another agency

    rows = rows_of(dashboard(agency["olga"]))

    assert rows["Leeds"].median_words == "4 hours"
    assert rows["No office"].median_words == "10 hours"
    assert rows["London"].median_words == "no answers yet"
    assert rows["All offices"].median == 7 * HOUR  # between 4 and 10 hours
    assert rows["All offices"].median_words == "7 hours"


def test_the_chart_counts_answers_overdue_at_the_end_of_each_day(agency):
    leo = agency["leo"]
    FollowUp.objects.filter(owner__in=[leo, agency["alice"]]).delete()
    now = timezone.now()
    # Due 10 days ago, done 3 days ago: overdue at the end of days -10 to -4.
    owes(leo, due_days_ago=10, created_at=now - 20 * DAY)
    FollowUp.objects.filter(owner=leo).update(state=FollowUp.State.DONE, closed_at=now - 3 * DAY)
    owes(leo, due_days_ago=1.5, created_at=now - 5 * DAY)  # still open
    owes(leo, due_days_ago=8, low_priority=True)  # housekeeping, not an answer owed

    chart = dashboard(agency["olga"]).chart

    counts = {(chart.days[-1].day - d.day).days: d.count for d in chart.days}
    assert len(chart.days) == 30
    assert chart.days[-1].day == timezone.localdate(now, agency["olga"].zoneinfo)
    assert [counts[n] for n in (11, 10, 4, 3, 2, 1, 0)] == [0, 1, 1, 0, 1, 1, 1]
    assert chart.top == 1
    assert "1 today" in chart.summary


def test_days_are_the_recruiters_own(agency):
    olga = agency["olga"]
    olga.time_zone = "Pacific/Honolulu"
    olga.save()
    # The suite's moment (10:00 in Paris) is still the day before in Honolulu.
    utc_day = timezone.now().astimezone(datetime.UTC).date()

    figures = dashboard(olga)

    assert figures.zone == "Pacific/Honolulu"
    assert figures.as_of.date() == utc_day - DAY
    assert figures.as_of.utcoffset() == -10 * HOUR
    assert figures.chart.days[-1].day == utc_day - DAY


# --- the page ---------------------------------------------------------------------------------


def cells(body: str) -> list[tuple[str, str]]:
    """Every link of the office table, with its text."""
    table = body[body.index('class="dashboard-offices"') : body.index("</table>")]
    return [
        (unescape(href), re.sub(r"<[^>]+>", "", text).strip())
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', table)
    ]


def test_every_number_opens_the_list_it_counts(client, agency):
    client.force_login(agency["olga"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    links = cells(response.content.decode())
    # Four counts per row (sharing, owed, overdue, quiet), for 3 offices and the total, and a
    # name for each row with something overdue.
    assert len([text for _href, text in links if text.isdigit()]) == 16
    for href, text in links:
        listed = client.get(href)
        assert listed.status_code == 200, href
        if text.isdigit():
            assert listed.context["cl"].result_count == int(text), href
        else:
            assert text in listed.content.decode(), href


def test_the_no_office_and_quiet_filters_stay_in_the_agency(client, agency):
    client.force_login(agency["other_recruiter"])
    listing = reverse("admin:agencies_candidatemembership_changelist")

    nobody = client.get(listing + "?office=none")
    quiet = client.get(listing + "?quiet=yes")

    assert nobody.context["cl"].result_count == 0
    assert [m.candidate for m in quiet.context["cl"].result_list] == [agency["dave"]]
    assert b"Nina" not in quiet.content + nobody.content


def test_an_operator_keeps_the_stock_index(client, agency):
    operator = make_user("ops@bridges.example", is_staff=True, is_superuser=True)
    client.force_login(operator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "dashboard" not in response.context
    assert b"Recent actions" in response.content
    assert b"dashboard-offices" not in response.content


def test_the_page_names_the_recruiters_zone_and_draws_the_chart_as_text_too(client, agency):
    client.force_login(agency["olga"])
    body = client.get(reverse("admin:index")).content.decode()
    assert "(UTC)" in body
    assert 'role="img"' in body and "overdue-chart-summary" in body
    assert "The same, day by day" in body
    assert "<script" not in body[body.index("agency-dashboard") :]


# --- a fixed number of queries ------------------------------------------------------------------


def seed(world, count: int) -> None:
    """`count` more candidates sharing with agency A, each owing an answer, half quiet."""
    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"c{n}@example.com", display_name=f"Candidate {n}") for n in range(count)
    )
    offices = [world["london"], world["leeds"], None]
    CandidateMembership.objects.bulk_create(
        CandidateMembership(candidate=u, agency=world["a"], office=offices[n % 3], shared_since=now)
        for n, u in enumerate(users)
    )
    applications = Application.objects.bulk_create(
        Application(owner=u, company=f"Company {n}", job_title="Engineer", stage="applied")
        for n, u in enumerate(users)
    )
    TimelineEvent.objects.bulk_create(
        TimelineEvent(application=a, kind="created", to_stage="applied", at=now - n % 2 * 20 * DAY)
        for n, a in enumerate(applications)
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            owner_id=a.owner_id,
            application=a,
            kind=kind,
            state=state,
            due_at=now - n % 4 * DAY,
            created_at=now - 3 * DAY,
            closed_at=now - DAY if state == FollowUp.State.DONE else None,
        )
        for n, a in enumerate(applications)
        for kind, state in [
            (FollowUp.Kind.CHECK_IN, FollowUp.State.OPEN),
            (FollowUp.Kind.ANSWER_INVITATION, FollowUp.State.DONE),
        ]
    )


@pytest.mark.parametrize("who", ["olga", "recruiter"])
def test_the_page_takes_the_same_queries_at_5_and_500_candidates(client, agency, who):
    client.force_login(agency[who])
    counts = []
    for count in (5, 500):
        User.objects.filter(email__startswith="c", email__endswith="@example.com").exclude(
            email="carol@example.com"
        ).delete()
        seed(agency, count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("admin:index"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 14  # the admin's own (session, user, permissions) and the figures'
    # The figures alone: the recruiter's membership, offices, candidates, owed, overdue, the
    # medians (two on PostgreSQL; one read of the times where they are taken in Python), the
    # chart.
    medians = 2 if connection.vendor == "postgresql" else 1
    user = User.objects.get(pk=agency[who].pk)
    with CaptureQueriesContext(connection) as queries:
        dashboard(user)
    assert len(queries) == 6 + medians
    sharing = response.context["dashboard"].rows[0].sharing
    assert sharing > 150  # the 500 were counted
