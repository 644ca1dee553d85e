"""The pages cost a fixed number of queries, however many applications there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.models import Application, Contact, FollowUp, Interview, Offer, Tag
from applications.stages import ACTIVE_STAGES
from inbox.models import Mailbox

MAX_QUERIES = 12
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
def test_the_board_costs_five_queries_its_two_badges_one(client, alice, bob, with_mailbox):
    """The session, the user, the cards and what they owe; and the navigation's badges (the
    answers overdue, the proposals waiting in the Inbox) in one query, mailbox or not."""
    seed(alice, 5)
    seed(bob, 500)
    for user in (alice, bob):
        if with_mailbox:
            Mailbox.objects.create(
                owner=user, host="imap.example.com", username="me", state=Mailbox.State.PAUSED
            )
        client.force_login(user)
        assert queries_for(client, "/applications/board/") <= 5
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
