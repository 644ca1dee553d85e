"""Nudges (at most one a day per candidate from an agency) and the audit log."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agencies.models import AuditEvent, Nudge
from applications.models import FollowUp

CANDIDATES = reverse("admin:agencies_candidatemembership_changelist")


def nudge(client, membership_ids):
    return client.post(
        CANDIDATES,
        {"action": "nudge", admin.helpers.ACTION_CHECKBOX_NAME: membership_ids},
        follow=True,
    )


@pytest.mark.django_db
def test_a_nudge_emails_the_candidate_what_they_owe_once_a_day(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(world["recruiter"])
    membership = world["alice_at_a"]
    with django_capture_on_commit_callbacks(execute=True):
        first = nudge(client, [membership.pk])
    assert "Nudged Alice Martin:" in first.content.decode()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["alice@example.com"]
    assert "Alpha Staffing" in email.subject
    assert "Alicemark Engineer at AlicemarkCorp" in email.body
    assert "Prepare for the interview" in email.body
    assert email.reply_to == ["rita@alpha.example"]

    with django_capture_on_commit_callbacks(execute=True):
        again = nudge(client, [membership.pk])
    assert "already had a nudge from your agency in the last 24 hours" in again.content.decode()
    assert len(mail.outbox) == 1

    tomorrow = timezone.now() + datetime.timedelta(hours=24, minutes=1)
    with time_machine.travel(tomorrow), django_capture_on_commit_callbacks(execute=True):
        nudge(client, [membership.pk])
    assert len(mail.outbox) == 2
    assert Nudge.objects.filter(membership=membership, sent_at__isnull=False).count() == 2
    logged = AuditEvent.objects.filter(action=AuditEvent.Action.NUDGED, candidate=world["alice"])
    assert logged.count() == 2


@pytest.mark.django_db
def test_a_nudge_says_when_each_answer_is_due_in_the_candidates_own_time_zone(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    alice = world["alice"]
    alice.time_zone = "Asia/Tokyo"  # UTC+9 all year: no summer time to guess
    alice.save(update_fields=["time_zone"])
    followup = FollowUp.objects.owed().filter(owner=alice).get()
    due = (timezone.now() + datetime.timedelta(days=2)).replace(
        hour=20, minute=30, second=0, microsecond=0, tzinfo=datetime.UTC
    )
    FollowUp.objects.filter(pk=followup.pk).update(due_at=due)
    client.force_login(world["recruiter"])
    with django_capture_on_commit_callbacks(execute=True):
        nudge(client, [world["alice_at_a"].pk])
    [email] = mail.outbox
    tokyo = due.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    said = f"{tokyo:%A} {tokyo.day} {tokyo:%B}, 05:30"  # the next day there, at 05:30
    assert f"(due {said})" in email.body
    assert f"(due {said})" in email.alternatives[0][0]


@pytest.mark.django_db
def test_a_second_recruiter_of_the_agency_cannot_nudge_again_the_same_day(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    from tests.agencies.conftest import make_recruiter

    colleague = make_recruiter("sam@alpha.example", world["a"], world["leeds"])
    for who in (world["recruiter"], colleague):
        client.force_login(who)
        with django_capture_on_commit_callbacks(execute=True):
            nudge(client, [world["alice_at_a"].pk])
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_nobody_is_nudged_outside_the_recruiters_agency(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(world["recruiter"])
    with django_capture_on_commit_callbacks(execute=True):
        nudge(client, [world["carol_at_a"].pk, world["dave_at_b"].pk])
    assert mail.outbox == []
    assert not Nudge.objects.exists()


@pytest.mark.django_db
def test_a_candidate_who_owes_nothing_gets_no_email(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    world["alice"].followups.update(state="done")
    client.force_login(world["recruiter"])
    with django_capture_on_commit_callbacks(execute=True):
        response = nudge(client, [world["alice_at_a"].pk])
    assert "Alice Martin owes nothing right now" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_each_look_at_a_candidates_pipeline_is_in_the_audit_log(client, world):
    client.force_login(world["recruiter"])
    membership = world["alice_at_a"]
    application = world["alice"].applications.get()
    client.get(reverse("admin:agencies_candidatemembership_change", args=[membership.pk]))
    client.get(reverse("admin:applications_application_change", args=[application.pk]))
    viewed = AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED, actor=world["recruiter"])
    assert viewed.count() == 2
    assert {event.candidate_id for event in viewed} == {world["alice"].pk}
    assert all(event.agency == world["a"] for event in viewed)
    # A page refused (another agency's candidate) is not a look, and is not logged as one.
    dave_application = world["dave"].applications.get()
    client.get(reverse("admin:applications_application_change", args=[dave_application.pk]))
    assert viewed.count() == 2


@pytest.mark.django_db
def test_operators_read_the_audit_log_and_nobody_can_change_it(client, world):
    from tests.conftest import make_user

    client.force_login(world["recruiter"])
    client.get(reverse("admin:agencies_candidatemembership_change", args=[world["alice_at_a"].pk]))
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEWED)
    change = reverse("admin:agencies_auditevent_change", args=[event.pk])
    assert client.get(change).status_code == 403  # the recruiter cannot even read it

    operator = make_user("ops@bridges.example", is_staff=True, is_superuser=True)
    client.force_login(operator)
    listing = client.get(reverse("admin:agencies_auditevent_changelist"))
    assert "rita@alpha.example" in listing.content.decode()
    assert client.post(change, {"what": "nothing happened"}).status_code == 403
    delete = reverse("admin:agencies_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, what=event.what).exists()
    with pytest.raises(ValueError, match="append-only"):
        event.save()


@pytest.mark.django_db
def test_hostile_names_stay_text_in_the_plain_part_and_are_escaped_in_the_html(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    Application = world["alice"].applications.model
    Application.objects.filter(owner=world["alice"]).update(company="<script>x()</script> & Co")
    client.force_login(world["recruiter"])
    with django_capture_on_commit_callbacks(execute=True):
        nudge(client, [world["alice_at_a"].pk])
    [email] = mail.outbox
    html, mime = email.alternatives[0]
    assert mime == "text/html"
    assert "<script>" not in html and "&lt;script&gt;x()&lt;/script&gt; &amp; Co" in html
    # text/plain is never rendered as markup: the name arrives as the user typed it.
    assert "at <script>x()</script> & Co" in email.body


@pytest.mark.django_db
def test_an_agency_name_with_a_line_break_still_nudges_with_a_one_line_subject(
    client, world, eager_tasks, django_capture_on_commit_callbacks
):
    agency = world["alice_at_a"].agency
    type(agency).objects.filter(pk=agency.pk).update(name="Alpha &\r\nBcc: x@evil.example")
    client.force_login(world["recruiter"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = nudge(client, [world["alice_at_a"].pk])
    assert answer.status_code == 200
    [email] = mail.outbox
    assert email.subject.startswith("Alpha & Bcc: x@evil.example: a reminder")
    assert "\n" not in email.subject and "\r" not in email.subject
    assert email.recipients() == ["alice@example.com"]


@pytest.mark.django_db
def test_a_nudge_asked_for_while_the_broker_is_down_is_sent_by_the_sweep(
    client, world, clock, eager_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from agencies import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    client.force_login(world["recruiter"])
    with monkeypatch.context() as patched:
        patched.setattr(tasks.send_nudge, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            answer = nudge(client, [world["alice_at_a"].pk])
    assert answer.status_code == 200 and "Nudged Alice Martin:" in answer.content.decode()
    assert mail.outbox == [] and Nudge.objects.get().sent_at is None, "recorded, not sent"

    assert tasks.sweep_nudges() == 0, "a task just queued is given time"
    clock.shift(datetime.timedelta(minutes=3))
    assert tasks.sweep_nudges() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
    assert Nudge.objects.get().sent_at is not None
    assert tasks.sweep_nudges() == 0, "sent once"
