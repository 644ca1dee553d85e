"""The sweep and delivery, in one process: who gets what, when, and never twice."""

import datetime
import smtplib
import zoneinfo
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.models import FollowUp
from messaging import reminders
from messaging.models import Outbox, SweepStatus
from tests.pages import page_text

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
K = FollowUp.Kind


@pytest.fixture
def invited(clock, application):
    """An invitation received at 10:00 on Monday: due by 18:00 that day."""
    services.application_record_invitation(application=application, to_interview=False)
    return FollowUp.objects.get(kind=K.ANSWER_INVITATION)


def run_sweep() -> list[str]:
    result = reminders.sweep()
    return [reminders.deliver(outbox_id) for outbox_id in result.claimed]


def test_nothing_goes_out_before_it_is_due(invited):
    assert run_sweep() == []
    assert not mail.outbox


def test_a_due_reminder_is_emailed_once_with_its_links(clock, invited, alice):
    clock.move_to(clock.at(0, 18, 0))
    assert run_sweep() == ["sent"]
    assert run_sweep() == [], "a second sweep finds nothing new"
    email = mail.outbox[0]
    assert email.to == [alice.email]
    assert email.subject == "Reminder: answer the invitation (Acme)"
    assert f"/applications/{invited.application_id}/" in email.body
    assert "/reminders/" in email.alternatives[0][0]
    assert Outbox.objects.get().state == Outbox.State.SENT
    # Due at 18:00 where Alice lives (Paris), whatever zone the worker runs in.
    due = invited.effective_due.astimezone(PARIS)
    assert due.hour == 18
    said = f"Due {due:%A} {due.day} {due:%B}, 18:00"
    assert said in email.body and said in email.alternatives[0][0]


def test_an_unanswered_reminder_repeats_daily_three_times_then_stops(clock, invited):
    for day in range(5):
        clock.move_to(clock.at(0 + day, 18, 0))
        run_sweep()
    assert len(mail.outbox) == 3
    invited.refresh_from_db()
    assert (invited.reminders_sent, invited.remind_at) == (3, None)
    assert invited.is_pending, "it stays in the site"


def test_quiet_hours_hold_a_reminder_until_they_end(clock, invited, alice):
    alice.quiet_hours_start, alice.quiet_hours_end = datetime.time(17, 0), datetime.time(8, 30)
    alice.save()
    clock.move_to(clock.at(0, 18, 0))
    assert run_sweep() == []
    invited.refresh_from_db()
    assert invited.remind_at == clock.at(1, 8, 30)
    clock.move_to(clock.at(1, 8, 31))
    assert run_sweep() == ["sent"]


def test_digest_mode_sends_one_email_a_day_at_the_users_hour(clock, alice, make_application):
    alice.reminder_mode, alice.digest_hour = "digest", 9
    alice.save()
    for company in ("Acme", "Globex"):
        services.application_record_invitation(
            application=make_application(alice, company=company), to_interview=False
        )
    clock.move_to(clock.at(0, 18, 5))
    assert run_sweep() == [], "waits for 09:00"
    clock.move_to(clock.at(1, 9, 1))
    assert run_sweep() == ["sent"]
    assert len(mail.outbox) == 1
    assert "Acme" in mail.outbox[0].body and "Globex" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Today on Bridges: 2 things you owe employers"


def test_no_email_mode_keeps_it_in_the_site_only(clock, invited, alice):
    alice.reminder_mode = "none"
    alice.save()
    clock.move_to(clock.at(0, 18, 0))
    assert run_sweep() == []
    assert not mail.outbox
    invited.refresh_from_db()
    assert invited.is_pending and invited.remind_at is None


def test_answering_before_the_reminder_means_no_reminder(clock, invited):
    services.interview_schedule(
        interview=services.Interview(application=invited.application, starts_at=clock.at(7, 10, 0))
    )
    clock.move_to(clock.at(0, 18, 0))
    run_sweep()
    assert all("answer the invitation" not in m.subject for m in mail.outbox)


def test_a_deleted_application_sends_nothing_and_the_outbox_says_why(clock, invited):
    clock.move_to(clock.at(0, 18, 0))
    claimed = reminders.sweep().claimed
    invited.application.delete()
    assert reminders.deliver(claimed[0]) == "failed"
    row = Outbox.objects.get()
    assert "application deleted" in row.last_error
    assert not mail.outbox


def test_a_reminder_claimed_elsewhere_is_never_queued_twice(clock, invited):
    clock.move_to(clock.at(0, 18, 0))
    # Another sweep got there first (its outbox row exists) though this one still sees it due.
    Outbox.objects.create(owner_id=invited.owner_id, followup=invited, sequence=1)
    assert reminders.sweep().claimed == [], "the batch is undone, not doubled"
    assert Outbox.objects.count() == 1
    invited.refresh_from_db()
    assert invited.reminders_sent == 0


def test_a_task_delivered_twice_sends_once(clock, invited):
    clock.move_to(clock.at(0, 18, 0))
    (outbox_id,) = reminders.sweep().claimed
    assert reminders.deliver(outbox_id) == "sent"
    assert reminders.deliver(outbox_id) == "sent"
    assert len(mail.outbox) == 1


def test_a_delivery_in_progress_is_not_doubled_and_a_dead_one_is_taken_over(clock, invited):
    clock.move_to(clock.at(0, 18, 0))
    (outbox_id,) = reminders.sweep().claimed
    Outbox.objects.filter(pk=outbox_id).update(
        state=Outbox.State.SENDING, lease_until=timezone.now() + reminders.lease()
    )
    with pytest.raises(reminders.Busy):
        reminders.deliver(outbox_id)
    clock.shift(reminders.lease() + datetime.timedelta(seconds=1))  # the other worker died
    assert reminders.deliver(outbox_id) == "sent"
    assert len(mail.outbox) == 1


def test_a_mail_server_failure_is_retried_then_recorded(clock, invited, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("gone away")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    clock.move_to(clock.at(0, 18, 0))
    (outbox_id,) = reminders.sweep().claimed
    with pytest.raises(reminders.TransientFailure):
        reminders.deliver(outbox_id, max_attempts=2)
    row = Outbox.objects.get()
    assert (row.state, row.attempts) == (Outbox.State.PENDING, 1)
    assert "gone away" in row.last_error
    assert reminders.deliver(outbox_id, max_attempts=2) == "failed"


def test_the_sweep_requeues_rows_whose_task_was_lost(clock, invited):
    clock.move_to(clock.at(0, 18, 0))
    (outbox_id,) = reminders.sweep().claimed  # its task vanished with a Redis restart
    clock.shift(datetime.timedelta(seconds=settings.REMINDER_STALE_SECONDS + 1))
    assert reminders.sweep().requeued == [outbox_id]


def test_the_sweep_costs_the_same_whatever_is_not_yet_due(clock, invited, alice, make_application):
    def queries_for_one_due_reminder() -> int:
        FollowUp.objects.filter(pk=invited.pk).update(remind_at=timezone.now(), reminders_sent=0)
        Outbox.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            assert len(reminders.sweep().claimed) == 1
        return len(captured)

    clock.move_to(clock.at(0, 18, 0))
    queries_for_one_due_reminder()  # the first sweep ever also creates its status row
    few = queries_for_one_due_reminder()
    for n in range(40):
        make_application(alice, company=f"Later {n}")  # each owes a check-in, not yet due
    assert queries_for_one_due_reminder() == few


def test_the_command_runs_one_sweep_in_the_foreground(clock, invited):
    clock.move_to(clock.at(0, 18, 0))
    out = StringIO()
    call_command("send_due_reminders", stdout=out)
    assert "Claimed 1 reminder(s)" in out.getvalue() and "1 sent" in out.getvalue()
    assert len(mail.outbox) == 1
    assert SweepStatus.objects.get().claimed == 1


@pytest.fixture
def link(clock, invited):
    """The token of the “done” link, without the slashes around it."""
    return reminders.action_link(invited, "done").split("/reminders/")[1].strip("/")


def test_a_done_link_asks_then_marks_it_done_without_a_login(client, link, invited):
    page = client.get(f"/reminders/{link}/")
    assert page.status_code == 200
    invited.refresh_from_db()
    assert invited.is_pending, "opening the link (or a mail scanner) changes nothing"
    client.post(f"/reminders/{link}/")
    invited.refresh_from_db()
    assert invited.state == FollowUp.State.DONE


def test_a_snooze_link_snoozes_for_a_day(client, clock, invited):
    token = reminders.action_link(invited, "snooze").split("/reminders/")[1].strip("/")
    client.post(f"/reminders/{token}/")
    invited.refresh_from_db()
    assert invited.due_at > timezone.now(), "still due later today"
    assert invited.snoozed_until == invited.due_at + datetime.timedelta(days=1), "never earlier"


def test_a_tampered_link_changes_nothing(client, link, invited):
    forged = signing.dumps({"f": invited.pk + 1, "a": "done"}, salt="another-salt")
    for token in (link[:-2] + "xx", forged):
        response = client.post(f"/reminders/{token}/")
        assert "This link does not work" in response.content.decode()
    invited.refresh_from_db()
    assert invited.is_pending


def test_an_expired_link_says_so(client, clock, link, invited):
    clock.shift(datetime.timedelta(days=8))
    response = client.post(f"/reminders/{link}/")
    assert "This link has expired" in response.content.decode()
    invited.refresh_from_db()
    assert invited.is_pending


def test_staff_see_delivery_health_and_the_admin_warns_when_beat_stops(client, alice, clock):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    assert "is beat running?" in page_text(client, "/staff/delivery/")
    assert "Reminders are not going out" in page_text(client, "/backoffice/")
    reminders.sweep()
    assert "Reminders are not going out" not in page_text(client, "/backoffice/")


def test_other_users_cannot_see_delivery_health(client, bob):
    client.force_login(bob)
    assert client.get("/staff/delivery/").status_code == 302


def test_a_recruiter_cannot_see_the_sites_delivery_health(client, bob):
    """Staff to read their agency's part of the admin, not the site's figures or addresses."""
    bob.is_staff = True
    bob.save()
    client.force_login(bob)
    response = client.get("/staff/delivery/")
    assert response.status_code == 403
    assert "Outbox" not in response.content.decode()


def test_the_claim_is_a_compare_and_swap_undone_if_a_row_was_taken(clock, invited):
    clock.move_to(clock.at(0, 18, 0))
    stale = FollowUp.objects.get(pk=invited.pk)  # read while due
    assert len(reminders.sweep().claimed) == 1  # another sweep claims it meanwhile
    with pytest.raises(reminders._Conflict):
        reminders._claim([stale], timezone.now())
    invited.refresh_from_db()
    assert invited.reminders_sent == 1, "claimed once, not twice"


def test_a_failed_send_waits_for_its_backoff_before_the_sweep_queues_it(
    clock, invited, monkeypatch
):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("gone away")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    clock.move_to(clock.at(0, 18, 0))
    (outbox_id,) = reminders.sweep().claimed
    for _ in range(3):
        with pytest.raises(reminders.TransientFailure):
            reminders.deliver(outbox_id, max_attempts=10)
    clock.shift(datetime.timedelta(seconds=settings.REMINDER_STALE_SECONDS + 1))
    assert reminders.sweep().requeued == [], "the third retry waits two minutes, not one sweep"
    clock.shift(reminders.retry_delay(3))
    assert reminders.sweep().requeued == [outbox_id]


def test_a_broken_email_is_recorded_as_failed_not_retried_forever(clock, invited, monkeypatch):
    def broken(self, fail_silently=False):
        raise ValueError("bad header")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    clock.move_to(clock.at(0, 18, 0))
    (outbox_id,) = reminders.sweep().claimed
    assert reminders.deliver(outbox_id) == "failed"
    assert "bad header" in Outbox.objects.get().last_error


def test_a_delivery_that_outlived_its_lease_does_not_overwrite_the_next_one(clock, invited):
    clock.move_to(clock.at(0, 18, 0))
    (outbox_id,) = reminders.sweep().claimed
    row = Outbox.objects.get()
    old_lease = timezone.now() + reminders.lease()
    Outbox.objects.filter(pk=outbox_id).update(state="sending", lease_until=timezone.now())
    assert reminders.deliver(outbox_id) == "sent"  # took over the expired lease
    reminders._finish(row, old_lease, Outbox.State.FAILED, "late")
    assert Outbox.objects.get().state == Outbox.State.SENT
