"""The application page as its reads draw it: the timeline's newest events, its messages and
their deliveries, the user's text escaped, the page's queries fixed, and nobody else's."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import services
from applications.models import Application, Contact, Interview, Offer, Tag, TimelineEvent
from messaging.models import Message, Outbox
from tests.pages import page_text

# The session, the user, the navigation's badges; the application with its offer and event
# count, its newest events, the user's company names that share an opening with its company's
# and the earlier applications of that very name, what is owed, its tags and contacts, its
# interviews.
DETAIL_QUERIES = 10


def detail(application: Application) -> str:
    return f"/applications/{application.pk}/"


def test_the_timeline_shows_the_50_newest_events_newest_first_and_offers_the_rest(
    logged_in, application
):
    for n in range(60):
        services.application_add_note(application=application, text=f"Note number {n}.")
    page = page_text(logged_in, detail(application))
    shown = [n for n in range(60) if f"Note number {n}." in page]
    assert shown == list(range(10, 60)), "the 50 newest notes"
    # Events of the same moment in the order they happened, newest first.
    assert page.index("Note number 59.") < page.index("Note number 10.")
    assert "Show the 11 older events" in page  # the ten first notes and the creation

    everything = page_text(logged_in, detail(application), {"events": "all"})
    assert all(f"Note number {n}." in everything for n in range(60))
    assert "older event" not in everything


def test_a_short_timeline_offers_no_older_events(logged_in, application):
    page = page_text(logged_in, detail(application))
    assert "Created" in page
    assert "older event" not in page


def test_a_move_shows_the_stages_it_went_between(logged_in, application):
    services.application_move(application=application, target="screening")
    page = page_text(logged_in, detail(application))
    assert "Stage moved: Applied → Screening" in page


def test_the_users_text_is_escaped_and_keeps_its_line_breaks(logged_in, alice, application):
    services.application_add_note(application=application, text="<b>bold</b>\r\nsecond line")
    Tag.objects.create(owner=alice, name="<i>tag</i>")
    application.tags.set(Tag.objects.all())
    page = page_text(logged_in, detail(application))
    assert "&lt;b&gt;bold&lt;/b&gt;<br>second line" in page
    assert "&lt;i&gt;tag&lt;/i&gt;" in page
    assert "<b>bold</b>" not in page
    assert "<i>tag</i>" not in page


def email_event(application, state: str, **delivery) -> Message:
    message = Message.objects.create(
        application=application,
        kind="thank_you_interview",
        channel="email",
        to_email="priya@acme.example",
        subject="Thank you & more",
        body="Dear Priya,\nthanks.",
    )
    Outbox.objects.create(
        owner=application.owner, message=message, sequence=0, state=state, **delivery
    )
    TimelineEvent.objects.create(application=application, kind="message_logged", message=message)
    return message


def test_an_email_shows_how_its_delivery_is_going(logged_in, application):
    failed = email_event(application, "failed", last_error="Mailbox <full>")
    page = page_text(logged_in, detail(application))
    assert "Thank you &amp; more" in page
    assert "Dear Priya,<br>thanks." in page
    assert 'data-delivery="failed"' in page
    assert "Not sent" in page
    assert "Mailbox &lt;full&gt;" in page
    assert f"/applications/{application.pk}/messages/{failed.pk}/retry/" in page
    assert 'href="mailto:priya%40acme.example?subject=Thank%20you%20%26%20more' in page


def test_a_sent_email_says_when_and_a_copied_message_has_no_delivery(logged_in, clock, application):
    email_event(application, "sent", sent_at=clock.now())
    Message.objects.create(
        application=application, kind="follow_up", channel="copied", body="Copied text"
    )
    TimelineEvent.objects.create(
        application=application,
        kind="message_logged",
        message=Message.objects.get(channel="copied"),
    )
    page = page_text(logged_in, detail(application))
    assert page.count("data-delivery=") == 1
    assert 'data-delivery="sent"' in page
    assert "Copied text" in page


def test_the_offer_shows_once_recorded(logged_in, application):
    assert "offer-heading" not in page_text(logged_in, detail(application))
    Offer.objects.create(application=application, amount=70000, currency="EUR")
    assert "70,000 EUR" in page_text(logged_in, detail(application))


@pytest.mark.parametrize("other", ["", "Acme Robotics Ltd"])
def test_the_page_shows_the_10_newest_earlier_applications_to_the_company(
    logged_in, alice, bob, clock, make_application, other
):
    """Whether only its own company's name matches (read by id) or another name does too."""
    for n in range(12):
        make_application(alice, company="Acme", job_title=f"Earlier role {n}")
        clock.shift(days=1)
    if other:
        make_application(alice, company=other, job_title="Other name role")
    make_application(bob, company="Acme", job_title="Bob's role")
    make_application(alice, company="Globex", job_title="Unrelated role")
    clock.shift(days=1)
    now = make_application(alice, company="Acme", job_title="Current role")
    page = page_text(logged_in, detail(now))
    history = page[page.index("Earlier with Acme") :]
    newest = [f"Earlier role {n}<" for n in range(11, 1 if not other else 2, -1)]
    assert [role for role in newest if role in history] == newest
    assert [history.index(role) for role in newest] == sorted(history.index(r) for r in newest)
    assert "Earlier role 0<" not in history
    assert ("Other name role" in history) == bool(other)
    assert "Bob's role" not in page
    assert "Unrelated role" not in page
    assert "Current role<" not in history


def test_a_company_of_no_words_has_no_history(logged_in, alice, make_application):
    make_application(alice, company="A", job_title="Earlier role")
    now = make_application(alice, company="A", job_title="Current role")
    assert "Earlier with" not in page_text(logged_in, detail(now))


@pytest.mark.parametrize("query", ["", "?events=all"])
def test_another_users_application_is_not_found(client, bob, application, query):
    client.force_login(bob)
    assert client.get(f"{detail(application)}{query}").status_code == 404


def test_a_missing_application_is_not_found(logged_in, application):
    assert logged_in.get(f"/applications/{application.pk + 1000}/").status_code == 404


def seed(application: Application, count: int) -> None:
    """`count` notes, emails with their delivery, contacts, tags and interviews (with an
    interviewer each) on the application, and as many earlier ones to the same company."""
    owner = application.owner
    for n in range(count):
        services.application_add_note(application=application, text=f"note {n}")
        email_event(application, "failed", last_error="refused")
        Application.objects.create(owner=owner, company=application.company, job_title=f"R{n}")
    contacts = Contact.objects.bulk_create(
        Contact(owner=owner, name=f"Person {n}") for n in range(count)
    )
    application.contacts.set(contacts)
    application.tags.set(
        Tag.objects.bulk_create(Tag(owner=owner, name=f"t{n}") for n in range(count))
    )
    for n, contact in enumerate(contacts):
        interview = Interview.objects.create(
            application=application,
            round=n + 1,
            starts_at=application.created_at + datetime.timedelta(days=n + 1),
        )
        interview.interviewers.set([contact])


@pytest.mark.parametrize("query", ["", "?events=all"])
def test_the_page_runs_the_same_queries_for_5_and_50_of_everything(
    client, alice, bob, make_application, query
):
    few, many = make_application(alice), make_application(bob)
    seed(few, 5)
    seed(many, 50)

    def queries(user, application) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{detail(application)}{query}").status_code == 200
        return len(captured)

    assert queries(alice, few) == queries(bob, many) <= DETAIL_QUERIES
