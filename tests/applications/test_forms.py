"""Bad input: the form says what is wrong and nothing is saved."""

import datetime

import pytest
from django.utils import timezone

from applications.models import Application, Contact, Interview

VALID = {"company": "Acme", "job_title": "Backend Engineer", "stage": "applied", "priority": "3"}


def create(client, **overrides):
    return client.post("/applications/new/", {**VALID, **overrides})


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"salary_min": "90000", "salary_max": "60000"}, "salary_max", "below its bottom"),
        ({"posting_url": "not a url"}, "posting_url", "Enter a valid URL"),
        ({"applied_on": "31/02/2026"}, "applied_on", "Enter a valid date"),
        ({"stage": "hired"}, "stage", "Select a valid choice"),
        ({"stage": "accepted"}, "stage", "Select a valid choice"),
        ({"priority": "9"}, "priority", "less than or equal to 5"),
        (
            {"salary_min": "50000", "salary_currency": "E$"},
            "salary_currency",
            "three-letter currency code",
        ),
        ({"company": ""}, "company", "This field is required"),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(logged_in, overrides, field, message):
    response = create(logged_in, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Application.objects.exists()


def test_it_keeps_what_was_typed_when_it_refuses(logged_in):
    response = create(logged_in, posting_url="nope", notes="Met them at PyCon")
    assert "Met them at PyCon" in response.content.decode()


def test_it_warns_about_a_duplicate_before_saving(logged_in, alice, make_application):
    make_application(alice, company="Acme", job_title="Backend Engineer")
    response = create(logged_in, company="ACME ", job_title="backend engineer")
    assert "You already have “Backend Engineer at Acme”" in response.content.decode()
    assert Application.objects.count() == 1
    create(logged_in, company="ACME", job_title="backend engineer", confirm_duplicate="on")
    assert Application.objects.count() == 2


def test_another_users_contact_cannot_be_linked(logged_in, bob):
    stranger = Contact.objects.create(owner=bob, name="Bob's recruiter")
    response = create(logged_in, contacts=[stranger.pk])
    assert "Select a valid choice" in " ".join(response.context["form"].errors["contacts"])
    assert not Application.objects.exists()


def test_an_interview_in_the_past_cannot_be_scheduled(logged_in, application):
    past = timezone.localtime() - datetime.timedelta(days=1)
    response = logged_in.post(
        f"/applications/{application.pk}/interviews/new/",
        {
            "round": 1,
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 60,
            "format": "video",
            "state": "scheduled",
        },
    )
    assert "This time is in the past" in response.content.decode()
    assert not Interview.objects.exists()


def test_an_interview_time_is_read_in_the_users_time_zone(logged_in, clock, application):
    june = clock.next_date(6, 2)
    logged_in.post(
        f"/applications/{application.pk}/interviews/new/",
        {
            "round": 1,
            "starts_at": f"{june}T09:00",
            "duration_minutes": 45,
            "format": "phone",
            "state": "scheduled",
        },
    )
    interview = Interview.objects.get()
    # Alice lives in Paris: 09:00 there in June is 07:00 UTC.
    assert interview.starts_at == datetime.datetime.combine(june, datetime.time(7), datetime.UTC)


def test_another_users_contact_cannot_be_an_interviewer(logged_in, clock, application, bob):
    stranger = Contact.objects.create(owner=bob, name="Bob's recruiter")
    response = logged_in.post(
        f"/applications/{application.pk}/interviews/new/",
        {
            "round": 1,
            "starts_at": clock.iso(7, 9),
            "duration_minutes": 45,
            "format": "phone",
            "state": "scheduled",
            "interviewers": [stranger.pk],
        },
    )
    assert "interviewers" in response.context["form"].errors
    assert not Interview.objects.exists()


def test_a_too_long_note_comes_back_with_its_text(logged_in, application):
    text = "x" * 5001
    response = logged_in.post(f"/applications/{application.pk}/notes/", {"text": text})
    assert response.status_code == 200
    assert text in response.content.decode()
    assert application.events.count() == 1


def test_a_company_name_with_a_percent_sign_gets_the_duplicate_warning(
    logged_in, alice, make_application
):
    make_application(alice, company="100% Remote", job_title="50%d Dev")
    response = logged_in.post(
        "/applications/new/",
        {"company": "100% Remote", "job_title": "50%d Dev", "stage": "saved", "priority": 3},
    )
    assert "You already have “50%d Dev at 100% Remote”" in response.content.decode()


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
