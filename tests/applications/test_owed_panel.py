"""An application's own page says what is owed on it, with the follow-ups page's actions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import followups, services
from applications.models import FollowUp
from tests.clock import PARIS
from tests.pages import page_text

K = FollowUp.Kind
HOUR = datetime.timedelta(hours=1)


def detail(application) -> str:
    return f"/applications/{application.pk}/"


def panel(page: str) -> str:
    start = page.index("What you owe on this application")
    # Spans in words keep their number and unit together with a no-break space.
    return page[start : page.index("</section>", start)].replace("\xa0", " ")


def test_the_panel_lists_overdue_first_marked_then_upcoming_in_words(logged_in, application, clock):
    services.application_record_invitation(application=application, to_interview=False)
    FollowUp.objects.filter(kind=K.ANSWER_INVITATION).update(due_at=clock.start - 2 * HOUR)
    FollowUp.objects.create(
        owner=application.owner,
        application=application,
        kind=K.THANK_YOU,
        due_at=clock.start + datetime.timedelta(days=3),
    )
    owed = panel(page_text(logged_in, detail(application)))
    # The overdue invitation comes first, marked; the thank-you (3 days off) after, in words.
    assert owed.index("Overdue") < owed.index("Answer the invitation")
    assert owed.index("Answer the invitation") < owed.index("Send a thank-you")
    assert owed.count("Overdue") == 1
    assert "2 hours overdue" in owed
    assert "Due in 3 days" in owed
    # Each one can be written (the message that settles it), done, snoozed, dismissed.
    assert f"/applications/{application.pk}/messages/new/?kind=decline_interview" in owed
    assert f"/applications/{application.pk}/messages/new/?kind=thank_you_interview" in owed
    listed = FollowUp.objects.pending().filter(application=application)
    here = detail(application)
    for followup in listed.exclude(kind=K.UPDATE_OR_CLOSE):
        assert f'action="/followups/{followup.pk}/done/"' in owed
        assert f'formaction="/followups/{followup.pk}/dismiss/"' in owed
        # Its "Snooze…" opens the panel's snooze menu, or the snooze page, coming back here.
        assert f'href="/followups/{followup.pk}/snooze/?next={here}"' in owed
    assert f'name="next" value="{here}"' in owed
    # Each of the panel's forms carries the CSRF token, or a real browser's post is refused:
    # one for each of the two items, and the snooze menu's.
    assert owed.count('name="csrfmiddlewaretoken"') == owed.count("<form") == 2 + 1
    assert owed.count('id="snooze-menu"') == 1


def test_the_panel_shows_only_this_applications_follow_ups(
    logged_in, application, make_application, alice
):
    other = make_application(alice, company="Globex")
    owed = panel(page_text(logged_in, detail(application)))
    theirs = FollowUp.objects.get(application=other, kind=K.CHECK_IN)
    assert f"/followups/{theirs.pk}/" not in owed


def test_update_or_close_shows_on_the_panel_only_once_due(logged_in, alice, application, clock):
    assert "Update the application or close it" not in panel(
        page_text(logged_in, detail(application))
    )
    clock.move_to(clock.start + datetime.timedelta(days=31))
    logged_in.force_login(alice)
    assert "Update the application or close it" in panel(page_text(logged_in, detail(application)))


def test_done_from_the_panel_comes_back_to_the_application(logged_in, application):
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    response = logged_in.post(
        f"/followups/{check_in.pk}/done/", {"next": detail(application)}, follow=True
    )
    assert response.redirect_chain[-1][0] == detail(application)
    page = response.content.decode()
    assert "Marked done." in page
    assert f"/followups/{check_in.pk}/" not in panel(page)
    check_in.refresh_from_db()
    assert check_in.state == FollowUp.State.DONE


def test_snooze_and_dismiss_from_the_panel_come_back_too(logged_in, application):
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    back = detail(application)
    response = logged_in.post(f"/followups/{check_in.pk}/snooze/", {"period": "1d", "next": back})
    assert response.url == back
    later = timezone.localtime(check_in.due_at + datetime.timedelta(days=1), PARIS)
    assert f"{later.day} {later:%b}, {later:%H:%M}" in panel(page_text(logged_in, back))
    response = logged_in.post(f"/followups/{check_in.pk}/dismiss/", {"next": back})
    assert response.url == back


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "applications/",
    ],
)
def test_next_goes_only_to_a_path_on_this_site(logged_in, application, elsewhere):
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    response = logged_in.post(f"/followups/{check_in.pk}/done/", {"next": elsewhere})
    assert response.url == "/followups/"


def test_without_next_the_actions_still_go_back_to_the_follow_ups(logged_in, application):
    check_in = FollowUp.objects.get(application=application, kind=K.CHECK_IN)
    assert logged_in.post(f"/followups/{check_in.pk}/dismiss/").url == "/followups/"


def test_one_rule_for_what_is_owed_and_in_which_order(alice, application, clock):
    """The follow-ups page and the panel read the same function; its order is the rule."""
    services.application_record_invitation(application=application, to_interview=False)
    invitation = FollowUp.objects.get(kind=K.ANSWER_INVITATION)
    invitation.due_at = clock.start - HOUR
    invitation.save()
    for days, kind in ((3, K.THANK_YOU), (1, K.PREPARE), (2, K.UPDATE_OR_CLOSE)):
        FollowUp.objects.create(
            owner=alice,
            application=application,
            kind=kind,
            due_at=clock.start + datetime.timedelta(days=days),
        )
    overdue, upcoming = followups.owed(alice, application=application)
    assert [f.kind for f in overdue] == [K.ANSWER_INVITATION]
    assert [f.kind for f in upcoming] == [K.PREPARE, K.THANK_YOU]
    assert overdue[0].message_kind == "decline_interview"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_5_and_50_follow_ups(
    client, alice, make_application, clock
):
    def seeded(count):
        application = make_application(alice, company=f"Firm {count}")
        FollowUp.objects.bulk_create(
            FollowUp(
                owner=alice,
                application=application,
                kind=K.PREPARE if n % 2 else K.THANK_YOU,
                due_at=clock.start + (n - count // 2) * HOUR,
            )
            for n in range(count)
        )
        return application

    few, many = seeded(5), seeded(50)
    client.force_login(alice)
    assert "Prepare" in panel(page_text(client, detail(many)))
    assert _queries(client, detail(few)) == _queries(client, detail(many))


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (datetime.timedelta(days=2) - datetime.timedelta(seconds=5), "in 2 days"),
        (datetime.timedelta(hours=5, minutes=10), "in 5 hours"),
        (datetime.timedelta(minutes=1), "in 1 minute"),
        (datetime.timedelta(seconds=10), "in 1 minute"),
        (-datetime.timedelta(hours=2), "2 hours overdue"),
        (-datetime.timedelta(days=1, hours=1), "1 day overdue"),
    ],
)
def test_due_times_in_words_are_rounded_as_a_person_says_them(clock, offset, words):
    assert followups.due_in_words(clock.start + offset, clock.start) == words
