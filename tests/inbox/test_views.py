"""The Inbox page, its badge, and answering a proposal: accepted ones go through the
pipeline's services, dated at the email, so what is owed and the dashboard follow."""

import datetime

import pytest

from applications.dashboard import dashboard
from applications.models import FollowUp, Offer, TimelineEvent
from applications.stages import Stage
from inbox import polling
from inbox.models import Mailbox, Proposal
from tests.inbox.mail import email_bytes
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(dovecot, imap_user, connect, acme, clock):
    """Delivers one email from Priya and polls; returns the proposal it made."""
    mailbox = connect()

    def deliver(subject: str, text: str, *, days_ago: float = 0.1, **kwargs) -> Proposal:
        sent = clock.start - datetime.timedelta(days=days_ago)
        raw = email_bytes("Priya Nair <priya@acme.example>", subject, text, sent_at=sent, **kwargs)
        dovecot.append(imap_user, [(raw, sent)])
        polling.poll(mailbox.pk)
        return Proposal.objects.get(subject=subject)

    return deliver


def test_the_inbox_shows_each_proposal_with_its_evidence(deliver, logged_in):
    deliver("Next steps", "We would like to invite you to a technical interview.")
    page = page_text(logged_in, "/inbox/")
    assert "Backend Engineer at Acme" in page and "Next steps" in page
    assert "“invite you to a technical interview”" in page
    assert "it comes from your contact Priya Nair" in page
    assert "Record the invitation" in page and "Dismiss" in page


def test_the_navigation_badge_counts_what_waits(deliver, logged_in):
    assert 'aria-label="0 waiting"' not in page_text(logged_in, "/dashboard/")
    deliver("One", "We would like to invite you to an interview.")
    deliver("Two", "Unfortunately we will not be moving forward.")
    assert 'aria-label="2 waiting"' in page_text(logged_in, "/dashboard/")


def test_accepting_an_invitation_owes_the_answer_the_same_day(
    deliver, logged_in, acme, clock, alice
):
    proposal = deliver(
        "Interview", "We would like to invite you to an interview.", days_ago=3 + 2 / 24
    )
    response = logged_in.post(f"/inbox/proposals/{proposal.pk}/accept/")
    assert response.status_code == 302
    event = TimelineEvent.objects.get(application=acme, kind="invitation_received")
    assert event.at == proposal.sent_at, "on the timeline at the email's date"
    owed = FollowUp.objects.get(application=acme, kind=FollowUp.Kind.ANSWER_INVITATION)
    local = proposal.sent_at.astimezone(alice.zoneinfo)
    assert owed.due_at.astimezone(alice.zoneinfo).date() == local.date()
    assert owed.remind_at is not None, "and reminded like any other answer owed"
    acme.refresh_from_db()
    assert acme.stage == Stage.INTERVIEWING
    proposal.refresh_from_db()
    assert proposal.state == "accepted" and proposal.event_id == event.pk
    assert dashboard(user=alice).answered == 1, "the dashboard counts the answer"


def test_accepting_a_rejection_ends_the_application_with_the_reason(deliver, logged_in, acme):
    proposal = deliver("Update", "The position has been filled. Thank you for your time.")
    logged_in.post(f"/inbox/proposals/{proposal.pk}/accept/")
    acme.refresh_from_db()
    assert (acme.stage, acme.end_reason, acme.ended_by) == (
        Stage.REJECTED,
        "position_closed",
        "employer",
    )
    event = acme.events.get(to_stage=Stage.REJECTED)
    assert event.at == proposal.sent_at and "The position has been filled" in event.text


def test_accepting_an_offer_records_its_deadline(deliver, logged_in, acme, clock):
    deadline = clock.day(8)
    proposal = deliver(
        "Your offer",
        f"We are delighted to offer you the role. Please reply by {deadline:%-d %B %Y}.",
    )
    logged_in.post(f"/inbox/proposals/{proposal.pk}/accept/")
    assert Offer.objects.get(application=acme).deadline == deadline
    assert FollowUp.objects.filter(application=acme, kind=FollowUp.Kind.ANSWER_OFFER).exists()
    assert acme.events.get(kind="offer_recorded").at == proposal.sent_at


def test_dismissing_records_nothing_and_is_not_proposed_again(deliver, logged_in, acme):
    proposal = deliver("Invite", "We would like to invite you to an interview.")
    events = acme.events.count()
    logged_in.post(f"/inbox/proposals/{proposal.pk}/dismiss/")
    proposal.refresh_from_db()
    assert proposal.state == "dismissed" and acme.events.count() == events
    assert "Invite" not in page_text(logged_in, "/inbox/").split("Answered lately")[0]


def test_a_second_click_records_once(deliver, logged_in, acme):
    proposal = deliver("Invite", "We would like to invite you to an interview.")
    logged_in.post(f"/inbox/proposals/{proposal.pk}/accept/")
    response = logged_in.post(f"/inbox/proposals/{proposal.pk}/accept/", follow=True)
    assert "already answered" in response.content.decode()
    assert acme.events.filter(kind="invitation_received").count() == 1


def test_a_proposal_the_application_cannot_take_changes_nothing(deliver, logged_in, acme):
    first = deliver("No", "Unfortunately we will not be moving forward with your application.")
    again = deliver("No again", "We regret to inform you that the role is closed.")
    logged_in.post(f"/inbox/proposals/{first.pk}/accept/")
    response = logged_in.post(f"/inbox/proposals/{again.pk}/accept/", follow=True)
    assert "Nothing was recorded" in response.content.decode()
    again.refresh_from_db()
    assert again.state == "pending", "still there to dismiss"


def test_an_outsider_reaches_no_proposal(deliver, client, bob, acme):
    proposal = deliver("Invite", "We would like to invite you to an interview.")
    client.force_login(bob)
    for action in ("accept", "dismiss"):
        assert client.post(f"/inbox/proposals/{proposal.pk}/{action}/").status_code == 404
    assert "Invite" not in page_text(client, "/inbox/")
    proposal.refresh_from_db()
    assert proposal.state == "pending"


def test_hostile_text_in_an_email_is_shown_as_text(deliver, logged_in):
    deliver(
        "<script>alert(1)</script> Interview",
        "We would like to invite you to an interview <img src=x onerror=alert(1)>.",
    )
    page = page_text(logged_in, "/inbox/")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img src=x" not in page


@pytest.mark.parametrize("path", ["/inbox/", "/inbox/mailbox/", "/accounts/profile/"])
def test_the_pages_have_no_inline_script_or_style(deliver, logged_in, path):
    import re

    deliver("Invite", "We would like to invite you to an interview.")
    page = page_text(logged_in, path)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "<style" not in page and " style=" not in page


def test_connecting_from_the_page(dovecot, imap_user, logged_in, alice):
    assert "Connect a mailbox" in page_text(logged_in, "/accounts/profile/")
    response = logged_in.post("/inbox/mailbox/", dovecot.form(imap_user), follow=True)
    assert "Connected." in response.content.decode()
    mailbox = Mailbox.objects.get(owner=alice)
    assert (mailbox.username, mailbox.state) == (imap_user, "active")
    assert mailbox.read_since == mailbox.connected_at, "only what arrives from now on"
    assert imap_user in page_text(logged_in, "/accounts/profile/")


def test_a_failed_connection_says_what_failed_and_saves_nothing(dovecot, imap_user, logged_in):
    response = logged_in.post("/inbox/mailbox/", dovecot.form(imap_user, "not-the-app-password"))
    assert "refused the user name or password" in response.content.decode()
    assert not Mailbox.objects.exists()


def test_the_test_button_reports_success(connect, logged_in):
    connect()
    response = logged_in.post("/inbox/mailbox/test/", follow=True)
    assert "It works: logged in and opened INBOX read-only" in response.content.decode()
