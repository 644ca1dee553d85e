"""What is owed, clicked through in Chromium: a snooze that postpones something not yet due,
and the application page's own "What you owe" panel."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.models import FollowUp
from tests.clock import PARIS

K = FollowUp.Kind


def when(at: datetime.datetime) -> str:
    local = timezone.localtime(at, PARIS)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def test_the_snooze_menu_snoozes_from_the_keyboard(page, log_in, alice, make_application):
    make_application(alice, company="Globex")
    application = make_application(alice, company="Kestrel Health")
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    assert check_in.due_at > timezone.now(), "the check-in is not yet due"
    later = check_in.due_at + datetime.timedelta(days=7)
    log_in(alice.email)
    page.goto("/followups/")
    row = page.locator("li", has_text="Kestrel Health")
    expect(row).to_contain_text(when(check_in.due_at))
    menu = page.get_by_role("menu", name="Snooze for")
    expect(menu).to_be_hidden()

    snooze = row.get_by_role("link", name="Snooze…")
    snooze.focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(snooze).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("menuitem", name="a day")).to_be_focused()
    # Escape closes it and goes back to the link; Enter opens it again.
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(snooze).to_be_focused()
    expect(snooze).to_have_attribute("aria-expanded", "false")
    # Tab closes it and moves on from the link, to the item's next button.
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    page.keyboard.press("Tab")
    expect(menu).to_be_hidden()
    expect(row.get_by_role("button", name="Dismiss")).to_be_focused()
    snooze.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("End")
    expect(menu.get_by_role("menuitem", name="a week")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text(f"Snoozed until {when(later)}.")).to_be_visible()
    row = page.locator("li", has_text="Kestrel Health")
    expect(row).to_contain_text(when(later))
    expect(row).to_contain_text("(snoozed)")
    check_in.refresh_from_db()
    assert check_in.effective_due == later
    # The other item, listed beside it, was left as it was.
    other = FollowUp.objects.get(application__company="Globex", kind=K.CHECK_IN)
    assert other.state == FollowUp.State.OPEN


def test_snoozing_on_the_application_page_keeps_you_there(page, log_in, alice, make_application):
    application = make_application(alice, company="Northwind Labs")
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    later = check_in.due_at + datetime.timedelta(days=3)
    log_in(alice.email)
    url = f"/applications/{application.pk}/"
    page.goto(url)
    owed = page.get_by_role("region", name="What you owe on this application")
    owed.get_by_role("link", name="Snooze…").click()
    menu = page.get_by_role("menu", name="Snooze for")
    # Opened just under the link, inside the page.
    popup = page.locator("#snooze-menu")  # the menu with its heading
    link, box = owed.get_by_role("link", name="Snooze…").bounding_box(), popup.bounding_box()
    assert 0 <= box["y"] - (link["y"] + link["height"]) < 20, (link, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box
    # A click elsewhere closes it; clicking its link again opens it.
    page.get_by_role("heading", name="Backend Engineer at Northwind Labs").click()
    expect(menu).to_be_hidden()
    owed.get_by_role("link", name="Snooze…").click()
    menu.get_by_role("menuitem", name="3 days").click()

    expect(page.get_by_text(f"Snoozed until {when(later)}.")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    owed = page.get_by_role("region", name="What you owe on this application")
    expect(owed).to_contain_text(when(later))
    expect(owed).to_contain_text("(snoozed)")


@pytest.mark.no_javascript
def test_without_javascript_snooze_opens_a_page_with_the_same_choices(
    page, log_in, alice, make_application
):
    application = make_application(alice, company="Kestrel Health")
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    later = check_in.due_at + datetime.timedelta(days=3)
    log_in(alice.email)
    page.goto(f"/applications/{application.pk}/")
    page.get_by_role("link", name="Snooze…").click()

    expect(page.get_by_role("heading", name="Snooze: Check in politely")).to_be_visible()
    choices = page.get_by_role("group", name="Snooze for")
    expect(choices.get_by_role("radio")).to_have_count(3)
    expect(
        choices.get_by_label(f"a day, until {when(check_in.due_at + datetime.timedelta(days=1))}")
    ).to_be_checked()
    choices.get_by_label(f"3 days, until {when(later)}").check()
    page.get_by_role("button", name="Snooze").click()

    expect(page.get_by_text(f"Snoozed until {when(later)}.")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(f"/applications/{application.pk}/") + "$"))
    check_in.refresh_from_db()
    assert check_in.effective_due == later


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
