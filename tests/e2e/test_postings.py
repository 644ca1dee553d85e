"""Adding an application from a job posting, in Chromium: a link pasted and read, the card
checked and saved, the application on the board; and the bookmarklet clicked on a job board
whose Content Security Policy forbids every script and connection of its own."""

from urllib.parse import unquote

from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application, FollowUp
from applications.postings.bookmarklet import bookmarklet
from applications.stages import Stage
from tests.applications.postings import conftest as boards
from tests.e2e.test_candidate import column

# The job boards on loopback of the postings tests, and the setting that lets Bridges read them.
job_site = boards.job_site
loopback_allowed = boards.loopback_allowed


def test_a_candidate_pastes_a_link_checks_the_card_and_finds_it_on_the_board(
    page, log_in, alice, job_site, loopback_allowed
):
    log_in(alice.email)
    page.goto("/applications/board/")
    page.get_by_role("link", name="Add from a job posting").click()
    page.get_by_label("Link to the posting").fill(job_site.board("smartrecruiters"))
    page.get_by_role("button", name="Read the posting").click()

    expect(page.get_by_role("heading", name="Check what Bridges found")).to_be_visible()
    expect(page.get_by_label("Company")).to_have_value("Lumen Retail")
    expect(page.get_by_label("Per")).to_have_value("MONTH")
    page.get_by_label("Job title").fill("Customer Success Manager")
    page.get_by_role("button", name="Save application").click()

    expect(
        page.get_by_role("heading", name="Customer Success Manager at Lumen Retail")
    ).to_be_visible()
    expect(page.get_by_text("Bridges will remind you to apply on")).to_be_visible()
    page.get_by_role("link", name="Board", exact=True).first.click()
    expect(column(page, Stage.SAVED).get_by_role("link", name="Lumen Retail")).to_be_visible()
    application = Application.objects.get(owner=alice)
    assert application.followups.filter(kind=FollowUp.Kind.APPLY_BEFORE).exists()


def test_the_bookmarklet_on_a_locked_down_job_board_opens_the_card_in_bridges(
    page, log_in, alice, job_site
):
    log_in(alice.email)
    page.goto("/applications/new/")
    href = page.get_by_role("link", name="Add to Bridges").get_attribute("href")
    assert href.startswith("javascript:")

    page.goto(job_site.board("ashby"))  # served with script-src, connect-src, form-action 'none'
    with page.context.expect_page() as opened:
        # What clicking the bookmark runs, in the board's page.
        page.evaluate(unquote(href.removeprefix("javascript:")))
    bridges = opened.value
    expect(bridges.get_by_role("heading", name="Check what Bridges found")).to_be_visible()
    expect(bridges.get_by_label("Job title")).to_have_value("Staff Platform Engineer")
    expect(bridges.get_by_label("Job posting URL")).to_have_value(job_site.board("ashby"))
    assert "#" not in bridges.url, "the posting's data left the address bar"
    # Read from the JSON-LD the page gave, without Bridges fetching the board again.
    assert [hit["path"] for hit in job_site.seen] == ["/boards/ashby"]
    bridges.get_by_role("button", name="Save application").click()
    expect(
        bridges.get_by_role("heading", name="Staff Platform Engineer at Ashgrove")
    ).to_be_visible()


def test_the_bookmarklet_keeps_the_posting_through_logging_in(
    page, live_server, password, alice, job_site
):
    href = bookmarklet(live_server.url + reverse("applications:posting_read"))
    page.goto(job_site.board("workable"))
    with page.context.expect_page() as opened:
        page.evaluate(unquote(href.removeprefix("javascript:")))
    bridges = opened.value
    bridges.get_by_label("Email").fill(alice.email)
    bridges.get_by_label("Password").fill(password)
    bridges.get_by_role("button", name="Log in").click()
    expect(bridges.get_by_role("heading", name="Check what Bridges found")).to_be_visible()
    expect(bridges.get_by_label("Job title")).to_have_value("Barista Trainer")
