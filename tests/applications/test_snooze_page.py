"""The snooze page: what an owed item's "Snooze…" link opens in a browser without JavaScript
(with it, the link opens the page's snooze menu, tests/e2e/test_owed.py). It offers the menu's
periods, each with the time it would remind again, and comes back where the link was."""

import datetime
import re

from django.utils import timezone

from applications.models import FollowUp
from tests.clock import PARIS
from tests.pages import page_text

K = FollowUp.Kind
DAY = datetime.timedelta(days=1)


def when(at: datetime.datetime) -> str:
    local = timezone.localtime(at, PARIS)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def snooze_url(followup) -> str:
    return f"/followups/{followup.pk}/snooze/"


def choices(page: str) -> list[tuple[str, str]]:
    """Each radio button's value and its label's text."""
    return re.findall(
        r'<input type="radio"[^>]*name="period" value="(\w+)"[^>]*>\s*<label[^>]*>\s*(.*?)\s*</label>',
        page,
        re.S,
    )


def test_each_period_says_when_it_reminds_again_counting_from_what_is_not_yet_due(
    logged_in, application
):
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    page = page_text(logged_in, snooze_url(check_in))
    assert "Snooze: Check in politely" in page
    assert f"Due {when(check_in.due_at)} (in " in page
    # Not yet due: a snooze postpones the due time itself.
    assert choices(page) == [
        ("1d", f"a day, until {when(check_in.due_at + DAY)}"),
        ("3d", f"3 days, until {when(check_in.due_at + 3 * DAY)}"),
        ("7d", f"a week, until {when(check_in.due_at + 7 * DAY)}"),
    ]
    assert re.search(r'<input type="radio"[^>]*name="period" value="1d"[^>]*checked', page)


def test_an_overdue_one_is_snoozed_from_now(logged_in, application, clock):
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    FollowUp.objects.filter(pk=check_in.pk).update(due_at=clock.start - 2 * DAY)
    page = page_text(logged_in, snooze_url(check_in))
    assert f"Was due {when(clock.start - 2 * DAY)} (2 days overdue)." in page
    assert choices(page)[0] == ("1d", f"a day, until {when(clock.start + DAY)}")


def test_the_page_snoozes_and_comes_back_where_the_link_was(logged_in, application):
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    back = f"/applications/{application.pk}/"
    page = page_text(logged_in, snooze_url(check_in), {"next": back})
    assert f'action="{snooze_url(check_in)}"' in page
    assert f'<input type="hidden" name="next" value="{back}">' in page
    assert f'<a class="btn btn-link" href="{back}">Cancel</a>' in page
    response = logged_in.post(snooze_url(check_in), {"period": "3d", "next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert f"Snoozed until {when(check_in.due_at + 3 * DAY)}." in response.content.decode()
    check_in.refresh_from_db()
    assert (check_in.state, check_in.snoozed_until) == (
        FollowUp.State.SNOOZED,
        check_in.due_at + 3 * DAY,
    )


def test_without_a_next_it_comes_back_to_the_follow_ups(logged_in, application):
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    page = page_text(logged_in, snooze_url(check_in), {"next": "https://elsewhere.example/"})
    assert 'name="next"' not in page
    assert '<a class="btn btn-link" href="/followups/">Cancel</a>' in page
    # The menu posts an empty next: back to the follow-ups too.
    response = logged_in.post(snooze_url(check_in), {"period": "1d", "next": ""})
    assert response.url == "/followups/"


def test_what_is_no_longer_owed_is_not_offered_a_snooze(logged_in, application):
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    FollowUp.objects.filter(pk=check_in.pk).update(state=FollowUp.State.DONE)
    for send in (logged_in.get, logged_in.post):
        response = send(snooze_url(check_in), {"period": "1d"}, follow=True)
        assert response.redirect_chain[-1][0] == "/followups/"
        assert "is no longer owed: there is nothing to snooze." in response.content.decode()
    check_in.refresh_from_db()
    assert (check_in.state, check_in.snoozed_until) == (FollowUp.State.DONE, None)
