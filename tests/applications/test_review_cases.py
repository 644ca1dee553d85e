"""Edge cases: stale objects, double clicks, odd input. Each once broke something."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.models import Application, Contact, Interview, Offer, TimelineEvent
from applications.stages import MoveNotAllowed, Stage
from tests.applications.forms_helper import form_data
from tests.pages import page_text


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def test_a_company_name_with_a_percent_sign_gets_the_duplicate_warning(
    logged_in, alice, make_application
):
    make_application(alice, company="100% Remote", job_title="50%d Dev")
    response = logged_in.post(
        "/applications/new/",
        {"company": "100% Remote", "job_title": "50%d Dev", "stage": "saved", "priority": 3},
    )
    assert "You already have “50%d Dev at 100% Remote”" in response.content.decode()


def test_a_failed_timeline_write_leaves_the_stage_as_it_was(application):
    broken = mock.patch.object(
        TimelineEvent.objects, "create", side_effect=RuntimeError("disk full")
    )
    with broken, pytest.raises(RuntimeError):
        services.application_move(application=application, target=Stage.SCREENING)
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_a_cancelled_interview_cannot_then_be_held(interview):
    services.interview_cancel(interview=interview)
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    stale = Interview.objects.get(pk=interview.pk)
    stale.state = Interview.State.SCHEDULED  # what an old page would still believe
    with pytest.raises(MoveNotAllowed, match="already cancelled"):
        services.interview_mark_held(interview=stale)
    assert interview.application.events.filter(kind="interview_held").count() == 0


def test_an_ended_application_takes_no_new_interview(logged_in, clock, application):
    services.application_move(application=application, target=Stage.REJECTED, reason="no_reason")
    response = logged_in.post(
        f"/applications/{application.pk}/interviews/new/",
        {
            "round": 1,
            "starts_at": clock.iso(7, 9),
            "duration_minutes": 45,
            "format": "video",
            "state": "scheduled",
        },
        follow=True,
    )
    assert "reopen it first" in response.content.decode()
    assert not Interview.objects.exists()
    with pytest.raises(MoveNotAllowed):
        services.interview_schedule(
            interview=Interview(application=application, starts_at=timezone.now())
        )


def test_an_interview_that_already_took_place_can_be_recorded_as_held(logged_in, application):
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    logged_in.post(
        f"/applications/{application.pk}/interviews/new/",
        {
            "round": 1,
            "starts_at": yesterday.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
            "format": "phone",
            "state": "held",
        },
    )
    assert Interview.objects.get().state == Interview.State.HELD
    assert application.events.first().kind == TimelineEvent.Kind.INTERVIEW_HELD


def test_rescheduling_an_interview_is_recorded(logged_in, clock, interview):
    url = f"/applications/{interview.application_id}/interviews/{interview.pk}/"
    logged_in.post(url, form_data(logged_in, url, starts_at=clock.iso(14, 10), format="onsite"))
    interview.refresh_from_db()
    assert interview.format == Interview.Format.ONSITE
    assert interview.application.events.first().text.startswith("Updated (")


def test_skipping_applied_still_dates_the_application(alice, make_application):
    saved = make_application(alice, stage=Stage.SAVED)
    assert saved.applied_on is None
    services.application_move(application=saved, target=Stage.INTERVIEWING)
    saved.refresh_from_db()
    assert saved.applied_on == timezone.localdate()


def test_only_a_never_sent_application_goes_back_to_the_wishlist(alice, make_application):
    wish = make_application(alice, stage=Stage.SAVED)
    services.application_move(application=wish, target=Stage.CLOSED, reason="lost_interest")
    services.application_move(application=wish, target=Stage.SAVED, from_stage=Stage.CLOSED)
    sent = make_application(alice, company="Sent Co")
    services.application_move(application=sent, target=Stage.CLOSED, reason="no_response")
    with pytest.raises(MoveNotAllowed, match="cannot go back to Saved"):
        services.application_move(application=sent, target=Stage.SAVED, from_stage=Stage.CLOSED)


def test_an_invitation_read_from_a_stale_page_never_moves_back(application):
    stale = Application.objects.get(pk=application.pk)
    services.application_move(application=application, target=Stage.OFFER)
    services.application_record_invitation(application=stale, to_interview=True)
    application.refresh_from_db()
    assert application.stage == Stage.OFFER


def test_an_edit_never_undoes_a_move_made_meanwhile(application):
    stale = Application.objects.get(pk=application.pk)
    services.application_move(application=application, target=Stage.REJECTED, reason="no_reason")
    stale.location = "Porto"
    services.application_update(
        application=stale, changed_fields=["location"], tag_names=[], contacts=[]
    )
    application.refresh_from_db()
    assert (application.stage, application.location) == (Stage.REJECTED, "Porto")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"salary_min": "9", "salary_max": "1"}, "salary_max", "below its bottom"),
        ({"posting_url": "::"}, "posting_url", "Enter a valid URL"),
    ],
)
def test_the_edit_form_refuses_bad_input_and_keeps_the_old_values(
    logged_in, application, data, field, message
):
    response = logged_in.post(
        f"/applications/{application.pk}/edit/",
        {"company": "Acme", "job_title": "Backend Engineer", "priority": 3, **data},
    )
    assert message in " ".join(response.context["form"].errors[field])
    application.refresh_from_db()
    assert (application.salary_min, application.posting_url) == (None, "")


def test_the_edit_form_warns_about_a_duplicate_and_refuses_a_strangers_contact(
    logged_in, alice, bob, application, make_application
):
    make_application(alice, company="Globex", job_title="SRE")
    stranger = Contact.objects.create(owner=bob, name="Bob's recruiter")
    response = logged_in.post(
        f"/applications/{application.pk}/edit/",
        {"company": "Globex", "job_title": "SRE", "priority": 3, "contacts": [stranger.pk]},
    )
    form = response.context["form"]
    assert "contacts" in form.errors
    assert "You already have" in " ".join(form.non_field_errors())


@pytest.mark.parametrize(
    ("data", "message"),
    [({"amount": "-5"}, "greater than or equal to 0"), ({"deadline": "2020-01-01"}, "has passed")],
)
def test_an_offer_with_a_negative_amount_or_a_passed_deadline_is_refused(
    logged_in, application, data, message
):
    response = logged_in.post(f"/applications/{application.pk}/offer/", {"currency": "EUR", **data})
    assert message in response.content.decode()
    assert not Offer.objects.exists()


def test_recording_the_offer_twice_revises_it(application):
    services.offer_record(offer=Offer(application=application, amount=50000))
    services.offer_record(offer=Offer(application=application, amount=55000))
    assert list(Offer.objects.values_list("amount", flat=True)) == [55000]


def test_archiving_and_restoring_are_on_the_timeline(logged_in, application):
    logged_in.post(f"/applications/{application.pk}/archive/")
    logged_in.post(f"/applications/{application.pk}/archive/")
    kinds = list(application.events.values_list("kind", flat=True)[:2])
    assert kinds == ["restored", "archived"]


def test_a_refused_move_gets_a_409_for_json_callers(logged_in, application):
    response = logged_in.post(
        f"/applications/{application.pk}/move/",
        {"stage": "accepted", "from": "applied"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    assert response.json() == {
        "error": "Only an offer can be accepted. Record the offer first.",
        "stage": "applied",
    }


def test_the_detail_page_shows_interview_times_in_the_users_zone(logged_in, clock, application):
    january = clock.next_date(1, 15)
    services.interview_schedule(
        interview=Interview(
            application=application,
            starts_at=datetime.datetime.combine(january, datetime.time(8), datetime.UTC),
        )
    )
    page = page_text(logged_in, f"/applications/{application.pk}/")
    shown = f"{january:%a} {january:%d %b %Y}, 09:00 CET"
    assert shown in page, "Alice lives in Paris (UTC+1 in January)"


def test_the_detail_page_costs_the_same_queries_however_long_its_history(
    logged_in, alice, application
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            logged_in.get(f"/applications/{application.pk}/")
        return len(captured)

    def add(n: int) -> None:
        services.application_add_note(application=application, text=f"note {n}")
        services.interview_schedule(
            interview=Interview(
                application=application, starts_at=timezone.now() + datetime.timedelta(days=n + 1)
            ),
            interviewers=[Contact.objects.create(owner=alice, name=f"Person {n}")],
        )
        application.contacts.set(Contact.objects.all())

    add(0)
    few = queries()
    for n in range(1, 30):
        add(n)
    assert queries() == few


def test_a_long_timeline_shows_the_newest_fifty_and_offers_the_rest(logged_in, application):
    for n in range(60):
        services.application_add_note(application=application, text=f"note number {n}")
    page = page_text(logged_in, f"/applications/{application.pk}/")
    assert "note number 59" in page and "note number 5<" not in page
    assert "Show the 11 older events" in page
    assert "note number 0" in page_text(logged_in, f"/applications/{application.pk}/?events=all")
