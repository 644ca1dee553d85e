"""The pages cost a fixed number of queries, however many applications there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.models import Application, Contact, FollowUp, Interview, Offer, Tag, TimelineEvent
from applications.stages import ACTIVE_STAGES
from inbox.models import Mailbox
from messaging.models import Message, Outbox

MAX_QUERIES = 12
HOUR = datetime.timedelta(hours=1)
# A move on the board: the session, the user; in one transaction the row read under its lock,
# its update, the timeline event, the follow-up rules a move runs (here: one settled, and
# "update or close" opened, which closes the old one and adds a row); then what the board gets
# back: the columns' counts with the badge, and the moved card's first answer owed.
MOVE_QUERIES = 13


def seed(owner, count: int) -> None:
    """`count` applications across the active stages, each with a tag, an interview, an offer
    and two answers owed (one overdue)."""
    applications = Application.objects.bulk_create(
        Application(
            owner=owner,
            company=f"Company {n}",
            job_title="Engineer",
            stage=ACTIVE_STAGES[n % len(ACTIVE_STAGES)],
        )
        for n in range(count)
    )
    tag = Tag.objects.create(owner=owner, name="python")
    Application.tags.through.objects.bulk_create(
        Application.tags.through(application=a, tag=tag) for a in applications
    )
    soon = timezone.now() + datetime.timedelta(days=3)
    Interview.objects.bulk_create(Interview(application=a, starts_at=soon) for a in applications)
    Offer.objects.bulk_create(
        Offer(application=a, deadline=timezone.localdate() + datetime.timedelta(days=30))
        for a in applications
    )
    FollowUp.objects.bulk_create(
        FollowUp(owner=owner, application=a, kind=kind, due_at=timezone.now() + delta)
        for a in applications
        for kind, delta in (
            ("check_in", -datetime.timedelta(hours=2)),
            ("prepare", soon - timezone.now()),
        )
    )


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/applications/board/",
        "/applications/",
        "/applications/?tag=python&sort=stage",
        "/followups/",
    ],
)
def test_a_page_costs_the_same_queries_for_5_and_500_applications(client, alice, bob, url):
    seed(alice, 5)
    seed(bob, 500)
    client.force_login(alice)
    few = queries_for(client, url)
    client.force_login(bob)
    many = queries_for(client, url)
    assert few == many, f"{url}: {few} queries for 5 applications, {many} for 500"
    assert many <= MAX_QUERIES, f"{url} runs {many} queries"


def test_a_move_on_the_board_costs_the_same_queries_for_5_and_500_applications(client, alice, bob):
    seed(alice, 5)
    seed(bob, 500)

    def move(user) -> int:
        client.force_login(user)
        card = Application.objects.filter(owner=user, stage="applied").first()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                f"/applications/{card.pk}/move/",
                {"stage": "screening", "from": "applied"},
                HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 200
        return len(captured)

    few, many = move(alice), move(bob)
    assert few == many, f"a move: {few} queries among 5 applications, {many} among 500"
    assert many <= MOVE_QUERIES, f"a move runs {many} queries"


@pytest.mark.parametrize("with_mailbox", [False, True])
def test_the_board_costs_four_queries_its_two_badges_one(client, alice, bob, with_mailbox):
    """The session, the user, the cards with what each owes first; and the navigation's
    badges (the answers overdue, the proposals waiting in the Inbox) in one query, mailbox or
    not."""
    seed(alice, 5)
    seed(bob, 500)
    for user in (alice, bob):
        if with_mailbox:
            Mailbox.objects.create(
                owner=user, host="imap.example.com", username="me", state=Mailbox.State.PAUSED
            )
        client.force_login(user)
        assert queries_for(client, "/applications/board/") == 4
        page = client.get("/applications/board/").content.decode()
        assert ("Mailbox paused" in page) == with_mailbox


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


def seed_detail(owner, count: int) -> Application:
    """An application with `count` of everything its page shows: timeline events (half of
    them emails sent from Bridges, with their delivery), tags, contacts, interviews with an
    interviewer each, answers owed, and earlier applications to the same company."""
    application = Application.objects.create(owner=owner, company="Acme Robotics", stage="applied")
    Application.objects.bulk_create(
        Application(owner=owner, company=f"Acme {n}" if n % 2 else "Acme", job_title=f"Role {n}")
        for n in range(count)
    )
    messages = Message.objects.bulk_create(
        Message(application=application, kind="thank_you_interview", channel="email", body="Thanks")
        for _ in range(count // 2)
    )
    Outbox.objects.bulk_create(
        Outbox(owner=owner, message=message, sequence=0, state="failed", last_error="refused")
        for message in messages
    )
    TimelineEvent.objects.bulk_create(
        [TimelineEvent(application=application, kind="message_logged", message=m) for m in messages]
        + [
            TimelineEvent(application=application, kind="note", text=f"Note {n}")
            for n in range(count - count // 2)
        ]
    )
    tags = Tag.objects.bulk_create(Tag(owner=owner, name=f"tag {n}") for n in range(count))
    application.tags.set(tags)
    contacts = Contact.objects.bulk_create(
        Contact(owner=owner, name=f"Person {n}", email=f"p{n}@acme.example") for n in range(count)
    )
    application.contacts.set(contacts)
    soon = timezone.now() + datetime.timedelta(days=3)
    interviews = Interview.objects.bulk_create(
        Interview(application=application, round=n + 1, starts_at=soon) for n in range(count)
    )
    Interview.interviewers.through.objects.bulk_create(
        Interview.interviewers.through(interview=interview, contact=contact)
        for interview, contact in zip(interviews, contacts, strict=True)
    )
    FollowUp.objects.bulk_create(
        FollowUp(owner=owner, application=application, kind="check_in", due_at=soon + n * HOUR)
        for n in range(-count // 2, count - count // 2)
    )
    return application


@pytest.mark.parametrize("query", ["", "?events=all"])
def test_the_detail_page_costs_the_same_queries_for_5_and_500_of_everything(
    client, alice, bob, query
):
    few, many = seed_detail(alice, 5), seed_detail(bob, 500)
    client.force_login(alice)
    few_queries = queries_for(client, f"/applications/{few.pk}/{query}")
    client.force_login(bob)
    many_queries = queries_for(client, f"/applications/{many.pk}/{query}")
    assert few_queries == many_queries, (
        f"{few_queries} queries for 5 of everything, {many_queries} for 500"
    )
    assert many_queries <= MAX_QUERIES + 2, f"the detail page runs {many_queries} queries"
