"""The dashboard: counts, what is owed today, an honest funnel, answers and weekly pace."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.dashboard import dashboard
from applications.models import Application, FollowUp, TimelineEvent
from tests.applications.test_queries import seed
from tests.pages import page_text


def funnel(user) -> dict[str, int]:
    return {bar.label: bar.count for bar in dashboard(user=user).funnel}


def test_a_move_back_and_forth_counts_once_per_stage(alice, make_application):
    application = make_application(alice)
    for target in ("interviewing", "applied", "interviewing"):
        services.application_move(application=application, target=target)
    assert funnel(alice) == {
        "Saved": 1,
        "Applied": 1,
        "Screening": 1,
        "Interviewing": 1,
        "Offer": 0,
    }


def test_how_far_an_application_got_survives_its_end(alice, make_application):
    went_far = make_application(alice, company="Far")
    services.application_move(application=went_far, target="offer")
    services.application_move(application=went_far, target="rejected", reason="not_selected")
    make_application(alice, company="Waiting")
    make_application(alice, company="Wishlist", stage="saved")
    hired = make_application(alice, company="Hired", stage="offer")
    services.application_move(application=hired, target="accepted")
    assert funnel(alice) == {
        "Saved": 4,
        "Applied": 3,
        "Screening": 2,
        "Interviewing": 2,
        "Offer": 2,
    }


def test_response_rate_and_median_days_to_the_first_answer(clock, alice, make_application):
    applied = clock.day()
    quick = make_application(alice, company="Quick", applied_on=applied)
    slow = make_application(alice, company="Slow", applied_on=applied)
    make_application(alice, company="Silent", applied_on=applied)
    make_application(alice, company="Wishlist", stage="saved")
    clock.shift(days=2)
    services.application_record_invitation(application=quick, to_interview=False)
    clock.shift(days=8)
    services.application_move(application=slow, target="rejected", reason="not_selected")
    result = dashboard(user=alice)
    assert (result.answered, result.sent, result.response_rate) == (2, 3, 67)
    # Alice is in Paris: applying "on" a day starts at midnight there, 10 hours before the
    # clock's 10:00, so the answers came after 2.4 and 10.4 days.
    assert result.median_days_to_answer == pytest.approx(6.4, abs=0.1)


def test_owed_answers_due_today_and_overdue(client, clock, alice, make_application):
    now = clock.start  # 10:00 in Paris
    application = make_application(alice)
    FollowUp.objects.filter(owner=alice).delete()
    for kind, due in (
        ("answer_invitation", now - datetime.timedelta(hours=3)),
        ("thank_you", now + datetime.timedelta(hours=5)),
        ("check_in", now + datetime.timedelta(days=3)),
    ):
        FollowUp.objects.create(owner=alice, application=application, kind=kind, due_at=due)
    client.force_login(alice)
    page = page_text(client, "/dashboard/")
    assert "<strong>1</strong> overdue" in page
    assert "<strong>1</strong> due later today" in page
    assert "Answer the invitation" in page
    assert "Send a thank-you note" in page
    assert "Check in politely" not in page


def test_applications_per_week_and_the_numbers_are_text(client, alice, make_application):
    today = timezone.localdate()
    make_application(alice, company="A", applied_on=today)
    make_application(alice, company="B", applied_on=today)
    make_application(alice, company="C", applied_on=today - datetime.timedelta(days=14))
    weeks = dashboard(user=alice).per_week
    assert len(weeks) == 12
    assert weeks[-1].count == 2
    assert weeks[-3].count == 1
    client.force_login(alice)
    page = page_text(client, "/dashboard/")
    assert '<svg class="bar-chart"' in page
    assert "Applications that reached each stage in numbers" in page
    assert '<th scope="row" class="fw-normal">Applied</th><td class="text-end">3</td>' in page


def test_imported_history_counts_in_the_funnel_but_not_in_the_response_time(clock, alice):
    application = Application.objects.create(
        owner=alice, company="Old", job_title="Dev", stage="offer", applied_on=clock.day(-1000)
    )
    TimelineEvent.objects.create(application=application, kind="imported", to_stage="applied")
    TimelineEvent.objects.create(
        application=application, kind="imported", from_stage="applied", to_stage="offer"
    )
    result = dashboard(user=alice)
    assert {bar.label: bar.count for bar in result.funnel}["Offer"] == 1
    assert (result.answered, result.median_days_to_answer) == (1, None)


def test_the_dashboard_costs_the_same_queries_for_5_and_500_applications(client, alice, bob):
    seed(alice, 5)
    seed(bob, 500)

    def queries(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/").status_code == 200
        return len(captured)

    few, many = queries(alice), queries(bob)
    assert few == many, f"{few} queries for 5 applications, {many} for 500"
    assert many <= 10, f"the dashboard runs {many} queries"
