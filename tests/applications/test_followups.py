"""Every rule of the follow-up table (applications/followups.py), and what the user can do with a follow-up."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import followups, services
from applications.models import FollowUp, Interview, Offer
from applications.stages import Stage
from messaging.services import message_log
from tests.clock import PARIS, next_transition
from tests.pages import page_text

K = FollowUp.Kind
WEEK = datetime.timedelta(days=7)


def pending(application) -> dict[str, FollowUp]:
    return {f.kind: f for f in FollowUp.objects.pending().filter(application=application)}


@pytest.fixture
def monday_morning(clock):
    """The suite's clock stands at 10:00 on a Monday in Paris, where Alice lives."""
    return clock.start


def test_applying_opens_a_check_in_after_seven_business_days(clock, monday_morning, application):
    check_in = pending(application)[K.CHECK_IN]
    assert check_in.due_at == clock.at(9, 10, 0), "7 working days: Wednesday next week"


def test_an_invitation_is_due_by_the_end_of_that_business_day(clock, monday_morning, application):
    services.application_record_invitation(application=application, to_interview=True)
    owed = pending(application)
    assert owed[K.ANSWER_INVITATION].due_at == clock.at(0, 18, 0)
    assert K.CHECK_IN not in owed, "the employer answered: no check-in needed"


def test_declining_the_invitation_by_message_settles_it(monday_morning, application):
    services.application_record_invitation(application=application, to_interview=False)
    message_log(
        application=application,
        kind="decline_interview",
        channel="copied",
        subject="s",
        body="b",
        reason="other_offer",
    )
    owed = pending(application)
    assert K.ANSWER_INVITATION not in owed
    assert K.TELL_EMPLOYER not in owed, "the decline message told them"
    assert owed[K.THANK_YOU_AFTER_DECLINE].low_priority


def test_scheduling_the_interview_settles_the_invitation_and_asks_to_prepare(
    clock, monday_morning, application
):
    services.application_record_invitation(application=application, to_interview=True)
    interview = services.interview_schedule(
        interview=Interview(application=application, starts_at=clock.at(3, 14, 0))
    )
    owed = pending(application)
    assert K.ANSWER_INVITATION not in owed
    assert owed[K.PREPARE].due_at == clock.at(2, 14, 0)
    assert owed[K.PREPARE].interview == interview


def test_a_held_interview_asks_for_a_thank_you_within_a_day(clock, monday_morning, application):
    interview = services.interview_schedule(
        interview=Interview(
            application=application,
            starts_at=clock.at(0, 9, 0),
            duration_minutes=45,
            state=Interview.State.HELD,
        )
    )
    owed = pending(application)
    assert owed[K.THANK_YOU].due_at == clock.at(1, 9, 45)
    assert owed[K.THANK_YOU].interview == interview
    assert owed[K.CHECK_IN].due_at == clock.at(9, 9, 45)


def test_the_thank_you_message_settles_it(clock, monday_morning, application):
    services.interview_schedule(
        interview=Interview(
            application=application,
            starts_at=clock.at(0, 9, 0),
            state=Interview.State.HELD,
        )
    )
    message_log(
        application=application,
        kind="thank_you_interview",
        channel="email",
        subject="s",
        body="b",
        to_email="x@example.com",
    )
    assert K.THANK_YOU not in pending(application)


def test_marking_the_interview_held_settles_the_preparation(clock, monday_morning, application):
    interview = services.interview_schedule(
        interview=Interview(application=application, starts_at=clock.at(1, 9, 0))
    )
    Interview.objects.filter(pk=interview.pk).update(starts_at=clock.at(0, 8, 0))
    interview.refresh_from_db()
    services.interview_mark_held(interview=interview)
    owed = pending(application)
    assert K.PREPARE not in owed and K.THANK_YOU in owed


def test_an_offer_deadline_asks_for_an_answer_two_days_before(clock, monday_morning, application):
    services.offer_record(offer=Offer(application=application, deadline=clock.day(11)))
    assert pending(application)[K.ANSWER_OFFER].due_at == clock.at(9, 17, 0)


def test_the_users_own_defaults_are_used(clock, monday_morning, alice, make_application):
    alice.check_in_business_days, alice.offer_days_before = 3, 5
    alice.save()
    application = make_application(alice)
    services.offer_record(offer=Offer(application=application, deadline=clock.day(17)))
    assert pending(application)[K.ANSWER_OFFER].due_at == clock.at(12, 17, 0)
    fresh = make_application(alice, company="Other")
    assert pending(fresh)[K.CHECK_IN].due_at == clock.at(3, 10, 0)


def test_withdrawing_without_a_message_means_telling_them_now(monday_morning, application):
    services.application_move(application=application, target=Stage.WITHDRAWN, reason="personal")
    owed = pending(application)
    assert owed[K.TELL_EMPLOYER].due_at == monday_morning
    assert owed[K.THANK_YOU_AFTER_DECLINE].due_at == monday_morning + datetime.timedelta(days=2)
    assert set(owed) == {K.TELL_EMPLOYER, K.THANK_YOU_AFTER_DECLINE}, "the rest is settled"
    message_log(application=application, kind="withdraw", channel="call", subject="", body="b")
    assert K.TELL_EMPLOYER not in pending(application)


def test_a_rejection_settles_everything(monday_morning, application):
    services.application_move(application=application, target=Stage.REJECTED, reason="no_reason")
    assert pending(application) == {}


def test_no_activity_for_thirty_days_asks_to_update_or_close(monday_morning, application):
    owed = pending(application)[K.UPDATE_OR_CLOSE]
    assert owed.due_at == monday_morning + datetime.timedelta(days=30)
    assert owed.low_priority


def test_any_activity_pushes_the_update_reminder_back(clock, monday_morning, application):
    later = monday_morning + datetime.timedelta(days=10)
    clock.move_to(later)
    services.application_add_note(application=application, text="Called them")
    owed = FollowUp.objects.filter(application=application, kind=K.UPDATE_OR_CLOSE)
    assert [f.due_at for f in owed] == [later + datetime.timedelta(days=30)], "moved, not doubled"


def test_snoozing_what_is_not_yet_due_postpones_it_from_its_due_time(monday_morning, application):
    check_in = pending(application)[K.CHECK_IN]
    due = check_in.due_at
    assert due > monday_morning + datetime.timedelta(days=3), "due later than the snooze's end"
    followups.followup_snooze(followup=check_in, period="3d")
    check_in.refresh_from_db()
    assert check_in.state == FollowUp.State.SNOOZED
    assert check_in.effective_due == check_in.remind_at == due + datetime.timedelta(days=3)


def test_snoozing_what_is_overdue_counts_from_now(clock, application):
    check_in = pending(application)[K.CHECK_IN]
    clock.move_to(check_in.due_at + datetime.timedelta(days=2))
    followups.followup_snooze(followup=check_in, period="1d")
    check_in.refresh_from_db()
    assert check_in.remind_at == timezone.now() + datetime.timedelta(days=1)


def test_snoozing_again_extends_the_snooze(clock, application):
    check_in = pending(application)[K.CHECK_IN]
    clock.move_to(check_in.due_at)
    followups.followup_snooze(followup=check_in, period="7d")
    followups.followup_snooze(followup=check_in, period="1d")
    check_in.refresh_from_db()
    assert check_in.snoozed_until == timezone.now() + datetime.timedelta(days=8)


def test_the_snooze_message_names_the_later_time(logged_in, application):
    check_in = pending(application)[K.CHECK_IN]
    response = logged_in.post(f"/followups/{check_in.pk}/snooze/", {"period": "3d"}, follow=True)
    assert response.status_code == 200
    later = timezone.localtime(check_in.due_at + datetime.timedelta(days=3), PARIS)
    assert f"Snoozed until {later:%a} {later.day} {later:%b}, {later:%H:%M}." in (
        response.content.decode()
    )


def test_dismissing_stops_it(monday_morning, application):
    check_in = pending(application)[K.CHECK_IN]
    followups.followup_dismiss(followup=check_in)
    check_in.refresh_from_db()
    assert (check_in.state, check_in.remind_at) == (FollowUp.State.DISMISSED, None)


def test_the_page_lists_what_is_overdue_first_with_the_right_message(
    logged_in, application, monday_morning
):
    services.application_record_invitation(application=application, to_interview=False)
    FollowUp.objects.filter(kind=K.ANSWER_INVITATION).update(
        due_at=monday_morning - datetime.timedelta(hours=1)
    )
    page = page_text(logged_in, "/followups/")
    assert page.index("Answer the invitation") < page.index("Coming up")
    assert f"/applications/{application.pk}/messages/new/?kind=decline_interview" in page


def test_the_navigation_badge_counts_what_is_overdue(logged_in, application, monday_morning):
    services.application_record_invitation(application=application, to_interview=False)
    FollowUp.objects.filter(kind=K.ANSWER_INVITATION).update(
        due_at=monday_morning - datetime.timedelta(hours=1)
    )
    assert '<span class="badge text-bg-danger">1<span class="visually-hidden"> overdue</span>' in (
        page_text(logged_in, "/")
    )


def test_snooze_and_dismiss_from_the_page(logged_in, application):
    check_in = FollowUp.objects.get(kind=K.CHECK_IN)
    logged_in.post(f"/followups/{check_in.pk}/snooze/", {"period": "7d"})
    check_in.refresh_from_db()
    assert check_in.state == FollowUp.State.SNOOZED
    response = logged_in.post(
        f"/followups/{check_in.pk}/snooze/", {"period": "forever"}, follow=True
    )
    assert "That snooze is not possible" in response.content.decode()
    logged_in.post(f"/followups/{check_in.pk}/dismiss/")
    check_in.refresh_from_db()
    assert check_in.state == FollowUp.State.DISMISSED


def test_update_or_close_is_listed_only_once_due(
    logged_in, alice, application, clock, monday_morning
):
    assert "Update the application or close it" not in page_text(logged_in, "/followups/")
    clock.move_to(monday_morning + datetime.timedelta(days=31))
    logged_in.force_login(alice)  # a month later the session has expired
    assert "Update the application or close it" in page_text(logged_in, "/followups/")


def test_a_new_invitation_after_three_reminders_gets_a_fresh_round(monday_morning, application):
    services.application_record_invitation(application=application, to_interview=False)
    FollowUp.objects.filter(kind=K.ANSWER_INVITATION).update(reminders_sent=3, remind_at=None)
    services.application_record_invitation(application=application, to_interview=False)
    fresh = pending(application)[K.ANSWER_INVITATION]
    assert (fresh.reminders_sent, fresh.remind_at) == (0, fresh.due_at)
    assert FollowUp.objects.filter(kind=K.ANSWER_INVITATION).count() == 2, "the old round closed"


def test_changing_an_interviews_room_does_not_re_arm_its_preparation(
    clock, monday_morning, application
):
    interview = services.interview_schedule(
        interview=Interview(application=application, starts_at=clock.at(7, 10, 0))
    )
    followups.followup_done(followup=pending(application)[K.PREPARE])
    interview.location = "Room 4"
    services.interview_update(interview=interview, changed_fields=["location"], interviewers=[])
    assert K.PREPARE not in pending(application)
    interview.starts_at = clock.at(9, 10, 0)
    services.interview_update(interview=interview, changed_fields=["starts_at"], interviewers=[])
    assert pending(application)[K.PREPARE].due_at == clock.at(8, 10, 0)


def test_preparing_is_due_the_day_before_at_the_same_local_time_across_dst(clock, application):
    spring_forward = next_transition(clock.start, PARIS, forward=True)
    monday_after = spring_forward + datetime.timedelta(days=1)
    clock.move_to(datetime.datetime.combine(spring_forward, datetime.time(9), PARIS) - WEEK)
    services.interview_schedule(
        interview=Interview(
            application=application,
            starts_at=datetime.datetime.combine(monday_after, datetime.time(10), PARIS),
        )
    )
    # Summer time starts on that Sunday: the day before is 23 hours before.
    prepare = pending(application)[K.PREPARE].due_at
    assert prepare == datetime.datetime.combine(spring_forward, datetime.time(10), PARIS)


def test_archiving_stops_everything_owed(logged_in, application):
    logged_in.post(f"/applications/{application.pk}/archive/")
    assert pending(application) == {}


def test_checking_in_schedules_the_next_check_in(clock, monday_morning, application):
    message_log(application=application, kind="follow_up", channel="copied", subject="s", body="b")
    check_in = pending(application)[K.CHECK_IN]
    assert check_in.due_at == clock.at(9, 10, 0)
    assert check_in.reminders_sent == 0


def test_turning_email_reminders_back_on_re_arms_them(logged_in, alice, application):
    FollowUp.objects.filter(application=application).update(remind_at=None)
    alice.reminder_mode = "none"
    alice.save()
    logged_in.post(
        "/accounts/profile/",
        {
            "display_name": "Alice",
            "time_zone": "Europe/Paris",
            "reminder_mode": "each",
            "digest_hour": 8,
            "thank_you_hours": 24,
            "check_in_business_days": 7,
            "offer_days_before": 2,
            "inactivity_days": 30,
        },
    )
    assert FollowUp.objects.filter(application=application, remind_at__isnull=False).exists()


# --- The follow-ups page --------------------------------------------------------------------


def items(page: str) -> list[str]:
    """The page's follow-ups, each item's HTML, in the order they are listed."""
    return re.findall(r'<li class="list-group-item followup.*?</li>', page, re.S)


def test_the_page_lists_overdue_oldest_first_then_what_is_coming_by_its_snooze(
    logged_in, alice, make_application, clock
):
    application = make_application(alice, company="Globex")
    FollowUp.objects.filter(application=application).delete()

    def owe(kind, hours, **fields):
        due = clock.start + datetime.timedelta(hours=hours)
        return FollowUp.objects.create(
            owner=alice, application=application, kind=kind, due_at=due, **fields
        )

    older, late = owe(K.THANK_YOU, -5), owe(K.ANSWER_INVITATION, -2)
    snoozed = owe(K.CHECK_IN, 1, state=FollowUp.State.SNOOZED, snoozed_until=clock.start + WEEK)
    soon = owe(K.PREPARE, 3)
    optional = owe(K.THANK_YOU_AFTER_DECLINE, 30, low_priority=True)
    owe(K.UPDATE_OR_CLOSE, 2, low_priority=True)  # not listed before it is due
    page = page_text(logged_in, "/followups/")
    listed = items(page)
    done = [re.search(r"/followups/(\d+)/done/", item)[1] for item in listed]
    assert done == [str(f.pk) for f in (older, late, soon, optional, snoozed)]
    assert page.index(f"/followups/{late.pk}/") < page.index("Coming up")
    assert page.index("Coming up") < page.index(f"/followups/{soon.pk}/")
    assert "(snoozed)" in listed[4] and "(snoozed)" not in "".join(listed[:4])
    assert "· optional" in listed[3] and "text-body-secondary" in listed[3]
    assert "Update the application or close it" not in page
    until = timezone.localtime(snoozed.snoozed_until, PARIS)
    assert (
        f'datetime="{until.isoformat()}">{until:%a} {until.day} {until:%b}, {until:%H:%M}<'
        in (listed[4])
    )


def test_each_button_posts_where_it_says_with_the_token(logged_in, application):
    check_in = FollowUp.objects.get(kind=K.CHECK_IN)
    [item] = items(page_text(logged_in, "/followups/"))
    assert f'action="/followups/{check_in.pk}/done/"' in item
    assert f'formaction="/followups/{check_in.pk}/dismiss/"' in item
    assert item.count('name="csrfmiddlewaretoken"') == item.count("<form") == 1
    # Its snooze is a link: it opens the page's one snooze menu, or the snooze page.
    assert re.search(rf'<a [^>]*href="/followups/{check_in.pk}/snooze/"[^>]*>Snooze…</a>', item)
    assert "<select" not in item
    assert f'href="/applications/{application.pk}/messages/new/?kind=follow_up"' in item
    assert f'href="/applications/{application.pk}/">Backend Engineer at Acme</a>' in item


def snooze_menu(page: str) -> str:
    [menu] = re.findall(r'<form id="snooze-menu".*?</form>', page, re.S)
    return menu


def test_one_snooze_menu_serves_every_item_of_the_page(
    logged_in, alice, application, make_application
):
    make_application(alice, company="Globex")
    make_application(alice, company="Initech")
    page = page_text(logged_in, "/followups/")
    assert len(items(page)) == 3
    menu = snooze_menu(page)
    # Each of its choices posts its period, with the token, where the chosen link points.
    assert re.findall(r'name="period" value="(\w+)"', menu) == list(followups.SNOOZES)
    assert menu.count('name="csrfmiddlewaretoken"') == 1
    assert [label for _, label in followups.SNOOZE_CHOICES] == re.findall(
        r'role="menuitem"[^>]*>([^<]+)<', menu
    )


def test_a_page_with_nothing_owed_draws_no_snooze_menu(logged_in, application):
    FollowUp.objects.update(state=FollowUp.State.DONE)
    assert 'id="snooze-menu"' not in page_text(logged_in, "/followups/")


def test_another_users_follow_ups_are_never_listed(logged_in, alice, bob, make_application):
    theirs = make_application(bob, company="Initech")
    FollowUp.objects.filter(application=theirs).update(due_at=timezone.now())
    # Even one of Alice's rows pointing at Bob's application (it never should) is not shown.
    stray = FollowUp.objects.create(
        owner=alice, application=theirs, kind=K.THANK_YOU, due_at=timezone.now()
    )
    mine = make_application(alice, company="Globex")
    page = page_text(logged_in, "/followups/")
    assert "Initech" not in page
    assert f"/followups/{stray.pk}/" not in page
    for followup in FollowUp.objects.filter(application=theirs):
        assert f"/followups/{followup.pk}/" not in page
    assert (
        "Globex" in page
        and len(items(page)) == FollowUp.objects.filter(application=mine, kind=K.CHECK_IN).count()
    )


def test_the_page_costs_the_same_queries_for_5_and_50_follow_ups(
    client, alice, bob, make_application, clock
):
    def seeded(user, count):
        for n in range(count):
            application = make_application(user, company=f"Firm {n}")
            FollowUp.objects.create(
                owner=user,
                application=application,
                kind=K.PREPARE,
                due_at=clock.start + (n - count // 2) * datetime.timedelta(hours=1),
                state=FollowUp.State.SNOOZED if n % 3 == 0 else FollowUp.State.OPEN,
                snoozed_until=clock.start + WEEK if n % 3 == 0 else None,
            )

    def queries(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            page = page_text(client, "/followups/")
        assert "Prepare for the interview" in page
        return len(captured)

    seeded(alice, 5)
    seeded(bob, 50)
    assert queries(alice) == queries(bob)
