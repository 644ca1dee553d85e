"""The posting's closing date, kept as a follow-up: apply before it closes."""

import datetime

from django.core import mail
from django.urls import reverse

from applications import services
from applications.models import Application, FollowUp
from applications.stages import Stage
from messaging import reminders
from tests.pages import page_text

K = FollowUp.Kind


def save_from_posting(alice, closes_on, stage=Stage.SAVED, job_title="Customer Success Manager"):
    return services.application_create(
        application=Application(
            owner=alice,
            company="Lumen Retail",
            job_title=job_title,
            stage=stage,
            posting_url="https://jobs.smartrecruiters.com/LumenRetail/744000031234567",
        ),
        closes_on=closes_on,
    )


def apply_before(application):
    return FollowUp.objects.filter(application=application, kind=K.APPLY_BEFORE)


def test_it_is_due_two_days_before_the_posting_closes_at_five_in_the_afternoon(clock, alice):
    application = save_from_posting(alice, clock.day(30))
    [owed] = apply_before(application)
    assert owed.due_at == clock.at(28, 17, 0)
    assert owed.remind_at == owed.due_at
    assert owed.get_kind_display() == "Apply before the posting closes"


def test_a_posting_closing_tomorrow_is_due_at_once(clock, alice):
    [owed] = apply_before(save_from_posting(alice, clock.day(1)))
    assert owed.due_at == clock.now()


def test_nothing_is_owed_for_a_closed_posting_or_one_already_applied_to(clock, alice):
    assert not apply_before(save_from_posting(alice, clock.day(-1))).exists()
    assert not apply_before(save_from_posting(alice, clock.day(30), stage=Stage.APPLIED)).exists()


def test_applying_settles_it(clock, alice):
    application = save_from_posting(alice, clock.day(30))
    services.application_move(application=application, target=Stage.APPLIED)
    assert apply_before(application).get().state == FollowUp.State.DONE


def test_archiving_or_ending_the_application_settles_it_too(clock, alice):
    archived = save_from_posting(alice, clock.day(30))
    services.application_set_archived(application=archived, archived=True)
    assert apply_before(archived).get().state == FollowUp.State.DISMISSED
    ended = save_from_posting(alice, clock.day(30), job_title="Other")
    services.application_move(application=ended, target=Stage.CLOSED, reason="lost_interest")
    assert apply_before(ended).get().state == FollowUp.State.DONE


def test_it_is_listed_with_a_link_to_the_posting(clock, client, alice):
    application = save_from_posting(alice, clock.day(30))
    client.force_login(alice)
    text = page_text(client, reverse("applications:followups"))
    assert "Apply before the posting closes" in text
    assert f'href="{application.posting_url}"' in text


def test_it_is_reminded_by_email_in_its_own_words(clock, alice):
    save_from_posting(alice, clock.day(30))
    clock.move_to(clock.at(28, 17, 1))
    result = reminders.sweep()
    assert [reminders.deliver(outbox_id) for outbox_id in result.claimed] == ["sent"]
    [email] = mail.outbox
    assert email.subject == "Reminder: apply before the posting closes (Lumen Retail)"
    assert "Apply before the posting closes: Customer Success Manager at Lumen Retail" in (
        email.body
    )


def test_the_closing_date_keeps_its_local_time_across_a_change_of_clocks(clock, alice):
    # A closing date in the other season (past a change of clocks): still 17:00 in Paris.
    now_offset = clock.start.utcoffset()
    closes = next(
        day
        for day in (clock.next_date(1, 15), clock.next_date(7, 15))
        if clock.at((day - clock.day()).days).utcoffset() != now_offset
    )
    [owed] = apply_before(save_from_posting(alice, closes))
    local = owed.due_at.astimezone(alice.zoneinfo)
    assert (local.date(), local.time()) == (closes - datetime.timedelta(days=2), datetime.time(17))
