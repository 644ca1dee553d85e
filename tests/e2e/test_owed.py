"""What is owed, clicked through in Chromium: a snooze that postpones something not yet due,
and the application page's own "What you owe" panel."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.models import FollowUp
from tests.clock import PARIS

K = FollowUp.Kind


def test_snoozing_what_is_not_yet_due_shows_the_later_time(page, log_in, alice, make_application):
    application = make_application(alice, company="Kestrel Health")
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    assert check_in.due_at > timezone.now(), "the check-in is not yet due"
    due = timezone.localtime(check_in.due_at, PARIS)
    later = timezone.localtime(check_in.due_at + datetime.timedelta(days=7), PARIS)
    log_in(alice.email)
    page.goto("/followups/")
    row = page.locator("li", has_text="Kestrel Health")
    expect(row).to_contain_text(f"{due.day} {due:%b}, {due:%H:%M}")

    row.get_by_label("Snooze for").select_option(label="a week")
    row.get_by_role("button", name="Snooze").click()

    expect(page.get_by_text(f"Snoozed until {later:%a %d %b, %H:%M}.")).to_be_visible()
    row = page.locator("li", has_text="Kestrel Health")
    expect(row).to_contain_text(f"{later.day} {later:%b}, {later:%H:%M}")
    expect(row).to_contain_text("(snoozed)")
    check_in.refresh_from_db()
    assert check_in.effective_due == check_in.due_at + datetime.timedelta(days=7)


def test_marking_one_done_on_the_application_page_keeps_you_there(
    page, log_in, alice, make_application
):
    application = make_application(alice, company="Northwind Labs")
    services.application_record_invitation(application=application, to_interview=False)
    FollowUp.objects.filter(application=application, kind=K.ANSWER_INVITATION).update(
        due_at=timezone.now() - datetime.timedelta(hours=3)
    )
    FollowUp.objects.create(
        owner=alice,
        application=application,
        kind=K.THANK_YOU,
        due_at=timezone.now() + datetime.timedelta(days=2),
    )
    log_in(alice.email)
    url = f"/applications/{application.pk}/"
    page.goto(url)
    owed = page.get_by_role("region", name="What you owe on this application")
    items = owed.get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Overdue")
    expect(items.first).to_contain_text("Answer the invitation")
    expect(items.nth(1)).to_contain_text("Send a thank-you note")
    expect(items.nth(1)).to_contain_text("Due in 2 days")

    items.first.get_by_role("button", name="Done").click()

    expect(page.get_by_text("Marked done.")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.get_by_role("heading", name="Backend Engineer at Northwind Labs")).to_be_visible()
    owed = page.get_by_role("region", name="What you owe on this application")
    expect(owed.get_by_role("listitem")).to_have_count(1)
    expect(owed).not_to_contain_text("Answer the invitation")
    expect(owed).to_contain_text("Send a thank-you note")
    invitation = FollowUp.objects.get(application=application, kind=K.ANSWER_INVITATION)
    assert invitation.state == FollowUp.State.DONE


def test_the_digest_hour_shows_only_while_digest_mode_is_chosen(page, log_in, alice):
    log_in(alice.email)
    page.goto("/accounts/profile/")
    mode = page.get_by_label("Reminders by email")
    hour = page.get_by_label("Digest at (hour)")
    expect(mode).to_have_value("each")
    expect(hour).to_be_hidden()
    mode.select_option("digest")
    expect(hour).to_be_visible()
    mode.select_option("none")
    expect(hour).to_be_hidden()


def test_the_calendar_address_is_copied_with_one_click(page, log_in, alice):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(alice.email)
    page.goto("/accounts/calendar/")
    page.get_by_role("button", name="Turn on the calendar feed").click()
    expect(page.get_by_text("Your calendar feed is on")).to_be_visible()
    address = page.get_by_label("Your private address").input_value()
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address
