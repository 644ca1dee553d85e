"""The candidate's side: join with a code, share only when they say so, stop at once; a yes
that lapses after a year unless renewed."""

import datetime

import pytest
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.urls import reverse

from agencies import codes, consent, services
from agencies.models import AgencyEmail, AuditEvent, CandidateMembership, a_year_after
from tests.pages import page_text

SETTINGS = "/accounts/agency/"
CANDIDATES = reverse("admin:agencies_candidatemembership_changelist")


def recruiter_sees(client, world, who) -> bool:
    client.force_login(world["recruiter"])
    names = [m.candidate_id for m in client.get(CANDIDATES).context["cl"].result_list]
    return who.pk in names


@pytest.mark.django_db
def test_joining_with_an_office_code_shares_nothing_until_the_candidate_says_so(client, world, bob):
    client.force_login(bob)
    typed = codes.display(world["leeds"].invite_code).lower()  # dashes and case do not matter
    response = client.post(f"{SETTINGS}join/", {"code": f" {typed} "}, follow=True)
    assert "Nothing is shared until you choose to share" in response.content.decode()
    membership = CandidateMembership.objects.get(candidate=bob)
    assert (membership.agency, membership.office) == (world["a"], world["leeds"])
    assert not membership.is_sharing
    assert not recruiter_sees(client, world, bob)

    client.force_login(bob)
    client.post(f"{SETTINGS}{membership.pk}/share/")
    assert recruiter_sees(client, world, bob)


@pytest.mark.django_db
def test_stopping_takes_effect_on_the_recruiters_very_next_page(client, world):
    alice, membership = world["alice"], world["alice_at_a"]
    application = alice.applications.get()
    page = reverse("admin:applications_application_change", args=[application.pk])
    client.force_login(world["recruiter"])
    assert client.get(page).status_code == 200

    client.force_login(alice)
    response = client.post(f"{SETTINGS}{membership.pk}/stop/", follow=True)
    assert "can no longer see anything of yours" in response.content.decode()
    client.force_login(world["recruiter"])
    assert client.get(page).status_code == 404
    assert not recruiter_sees(client, world, alice)
    actions = list(AuditEvent.objects.filter(candidate=alice).values_list("action", flat=True))
    assert AuditEvent.Action.STOPPED_SHARING in actions


@pytest.mark.django_db
def test_leaving_removes_the_link(client, world):
    alice = world["alice"]
    client.force_login(alice)
    client.post(f"{SETTINGS}{world['alice_at_a'].pk}/leave/")
    assert not CandidateMembership.objects.filter(candidate=alice).exists()
    assert not recruiter_sees(client, world, alice)


@pytest.mark.django_db
def test_the_page_says_exactly_what_is_shared_and_what_is_not(client, world):
    client.force_login(world["alice"])
    body = page_text(client, SETTINGS)
    assert "Alpha Staffing" in body and "Sharing" in body
    for field in ("company", "job title", "stage", "subject", "body"):
        assert field in body
    assert "your notes" in body and "your contacts" in body
    assert "Beta Recruiting" not in body


@pytest.mark.django_db
def test_a_wrong_code_is_explained_and_joins_nothing(client, bob):
    client.force_login(bob)
    short = client.post(f"{SETTINGS}join/", {"code": "ABC"})
    assert short.status_code == 400
    assert "has 10 letters and digits" in short.content.decode()
    unknown = client.post(f"{SETTINGS}join/", {"code": "ZZZZZ-ZZZZZ"})
    assert "does not match any agency" in unknown.content.decode()
    assert not CandidateMembership.objects.filter(candidate=bob).exists()


@pytest.mark.django_db
def test_guessing_codes_is_rate_limited(client, world, bob):
    client.force_login(bob)
    statuses = [
        client.post(f"{SETTINGS}join/", {"code": f"ZZZZZ-ZZZZ{n}"}).status_code for n in range(2, 9)
    ] + [client.post(f"{SETTINGS}join/", {"code": f"ZZZZZ-ZZZ{n}Z"}).status_code for n in (2, 3, 4)]
    assert statuses == [400] * 10
    blocked = client.post(f"{SETTINGS}join/", {"code": world["a"].invite_code})
    assert blocked.status_code == 429
    assert "Too many codes tried" in blocked.content.decode()
    assert not CandidateMembership.objects.filter(candidate=bob).exists()


@pytest.mark.django_db
def test_an_operator_rotates_a_code_and_the_old_one_stops_working(client, world, bob):
    from tests.conftest import make_user

    old = world["a"].invite_code
    operator = make_user("ops@bridges.example", is_staff=True, is_superuser=True)
    client.force_login(operator)
    client.post(
        reverse("admin:agencies_agency_changelist"),
        {"action": "rotate_codes", admin.helpers.ACTION_CHECKBOX_NAME: [world["a"].pk]},
    )
    world["a"].refresh_from_db()
    assert world["a"].invite_code != old
    assert CandidateMembership.objects.filter(agency=world["a"]).count() == 2
    with pytest.raises(services.JoinError):
        services.join(candidate=bob, code=old)
    assert services.join(candidate=bob, code=world["a"].invite_code).agency == world["a"]


@pytest.mark.django_db
def test_a_candidate_cannot_touch_another_candidates_membership(client, world):
    client.force_login(world["carol"])
    for action in ("share", "stop", "leave"):
        response = client.post(f"{SETTINGS}{world['alice_at_a'].pk}/{action}/")
        assert response.status_code == 404
    world["alice_at_a"].refresh_from_db()
    assert world["alice_at_a"].is_sharing


@pytest.mark.django_db
def test_deleting_the_account_ends_the_sharing_and_its_record(client, world, password):
    alice = world["alice"]
    client.force_login(world["recruiter"])
    client.get(reverse("admin:agencies_candidatemembership_change", args=[world["alice_at_a"].pk]))
    client.force_login(alice)
    client.post("/accounts/delete/", {"password": password})
    assert not CandidateMembership.objects.filter(pk=world["alice_at_a"].pk).exists()
    assert not AuditEvent.objects.filter(actor_email=alice.email).exists()
    assert not AuditEvent.objects.filter(what__contains="Alicemark").exists()
    client.force_login(world["recruiter"])
    assert client.get(CANDIDATES).context["cl"].result_count == 0


# --- Consent that lapses a year after the yes ---------------------------------------------------


def sweep_consent(django_capture_on_commit_callbacks):
    from agencies import tasks

    with django_capture_on_commit_callbacks(execute=True):
        return tasks.sweep_consent()


def events(candidate, action) -> int:
    return AuditEvent.objects.filter(candidate=candidate, action=action).count()


def renewal_link(email) -> str:
    [link] = [word for word in email.body.split() if "/accounts/agency/renew/" in word]
    return link.removeprefix(settings.SITE_URL)


@pytest.mark.django_db
def test_a_yes_lasts_a_year_and_the_agency_stops_seeing_the_pipeline_the_moment_it_lapses(
    client, world, clock
):
    alice, membership = world["alice"], world["alice_at_a"]
    assert membership.consent_lapses_at == a_year_after(clock.now())
    page = reverse("admin:applications_application_change", args=[alice.applications.get().pk])
    clock.move_to(membership.consent_lapses_at - datetime.timedelta(minutes=1))
    client.force_login(world["recruiter"])
    assert client.get(page).status_code == 200

    clock.move_to(membership.consent_lapses_at)  # no sweep has run
    assert client.get(page).status_code == 404
    assert not recruiter_sees(client, world, alice)
    assert not CandidateMembership.objects.sharing().filter(pk=membership.pk).exists()
    membership.refresh_from_db()
    assert not membership.is_sharing and membership.lapsed


@pytest.mark.django_db
def test_the_candidate_is_reminded_once_14_days_before_and_renews_from_the_email(
    client, world, clock, eager_tasks, django_capture_on_commit_callbacks
):
    alice, membership = world["alice"], world["alice_at_a"]
    lapses = membership.consent_lapses_at
    clock.move_to(lapses - datetime.timedelta(days=14, minutes=1))
    sweep_consent(django_capture_on_commit_callbacks)
    assert mail.outbox == [], "15 days before is too early"

    clock.shift(minutes=2)
    sweep_consent(django_capture_on_commit_callbacks)
    clock.shift(hours=1)
    sweep_consent(django_capture_on_commit_callbacks)
    [email] = [sent for sent in mail.outbox if sent.to == ["alice@example.com"]]
    assert "Alpha Staffing stops seeing your pipeline on" in email.subject
    assert f"{lapses.astimezone(alice.zoneinfo):%-d %B %Y}" in email.body
    assert events(alice, AuditEvent.Action.CONSENT_REMINDED) == 1

    link = renewal_link(email)
    client.logout()
    confirm = client.get(link)  # what a mail scanner does: it renews nothing
    assert confirm.status_code == 200 and "Renew for a year" in confirm.content.decode()
    membership.refresh_from_db()
    assert membership.consent_lapses_at == lapses
    assert events(alice, AuditEvent.Action.CONSENT_RENEWED) == 0

    done = client.post(link)  # not logged in
    assert "Sharing renewed" in done.content.decode()
    membership.refresh_from_db()
    assert membership.consent_lapses_at == a_year_after(clock.now())
    assert events(alice, AuditEvent.Action.CONSENT_RENEWED) == 1
    again = client.post(link)
    assert "Already renewed" in again.content.decode()
    assert events(alice, AuditEvent.Action.CONSENT_RENEWED) == 1

    clock.move_to(lapses + datetime.timedelta(days=1))
    sweep_consent(django_capture_on_commit_callbacks)
    assert recruiter_sees(client, world, alice), "renewed: still sharing after the old lapse"
    assert events(alice, AuditEvent.Action.CONSENT_LAPSED) == 0


@pytest.mark.django_db
def test_a_lapse_is_recorded_once_and_the_candidate_can_share_again(
    client, world, clock, eager_tasks, django_capture_on_commit_callbacks
):
    alice, membership = world["alice"], world["alice_at_a"]
    lapses = membership.consent_lapses_at
    clock.move_to(lapses + datetime.timedelta(minutes=5))
    assert sweep_consent(django_capture_on_commit_callbacks)["lapsed"] == 2  # Alice and Dave
    assert sweep_consent(django_capture_on_commit_callbacks)["lapsed"] == 0
    assert events(alice, AuditEvent.Action.CONSENT_LAPSED) == 1
    membership.refresh_from_db()
    assert membership.stopped_sharing_at == lapses

    client.force_login(alice)
    body = page_text(client, SETTINGS)
    assert "your yes lasted a year and was not renewed" in body
    renew = client.post(f"{SETTINGS}{membership.pk}/renew/", follow=True)
    assert "nothing renewed" in renew.content.decode()
    client.post(f"{SETTINGS}{membership.pk}/share/")
    membership.refresh_from_db()
    assert membership.is_sharing
    assert membership.consent_lapses_at == a_year_after(clock.now())
    assert recruiter_sees(client, world, alice)


@pytest.mark.django_db
def test_sharing_again_after_an_unrecorded_lapse_records_the_lapse_first(client, world, clock):
    alice, membership = world["alice"], world["alice_at_a"]
    clock.move_to(membership.consent_lapses_at + datetime.timedelta(minutes=5))
    client.force_login(alice)
    client.post(f"{SETTINGS}{membership.pk}/share/")
    assert events(alice, AuditEvent.Action.CONSENT_LAPSED) == 1
    assert events(alice, AuditEvent.Action.SHARED) == 2


@pytest.mark.django_db
def test_the_agency_page_says_until_when_and_renews(client, world, clock):
    alice, membership = world["alice"], world["alice_at_a"]
    client.force_login(alice)
    until = membership.consent_lapses_at.astimezone(alice.zoneinfo)
    assert f"Sharing until {until:%-d %B %Y}" in page_text(client, SETTINGS)

    clock.shift(days=100)
    client.force_login(alice)  # the session of 100 days ago has expired
    answer = client.post(f"{SETTINGS}{membership.pk}/renew/", follow=True)
    renewed = a_year_after(clock.now())
    assert f"until {renewed.astimezone(alice.zoneinfo):%-d %B %Y}" in answer.content.decode()
    membership.refresh_from_db()
    assert membership.consent_lapses_at == renewed
    assert events(alice, AuditEvent.Action.CONSENT_RENEWED) == 1


@pytest.mark.django_db
def test_nobody_renews_another_candidates_sharing(client, world):
    membership = world["alice_at_a"]
    lapses = membership.consent_lapses_at
    client.force_login(world["carol"])
    assert client.post(f"{SETTINGS}{membership.pk}/renew/").status_code == 404
    link = reverse("agencies:renew_link", args=[consent.renewal_token(membership)])
    assert client.get(link).status_code == 404, "the link is not for Carol's account"
    assert client.post(link).status_code == 404
    client.logout()
    forged = link.replace("/renew/", "/renew/x")
    assert "This link does not work" in client.post(forged).content.decode()
    membership.refresh_from_db()
    assert membership.consent_lapses_at == lapses
    assert events(world["alice"], AuditEvent.Action.CONSENT_RENEWED) == 0


@pytest.mark.django_db
def test_a_renewal_link_renews_nothing_once_sharing_stopped_or_the_link_expired(
    client, world, clock
):
    alice, membership = world["alice"], world["alice_at_a"]
    link = reverse("agencies:renew_link", args=[consent.renewal_token(membership)])
    clock.shift(days=31)
    assert "This link has expired" in client.post(link).content.decode()

    link = reverse("agencies:renew_link", args=[consent.renewal_token(membership)])
    services.set_sharing(membership=membership, share=False)
    assert "Sharing has ended" in client.post(link).content.decode()
    membership.refresh_from_db()
    assert not membership.is_sharing
    assert events(alice, AuditEvent.Action.CONSENT_RENEWED) == 0


@pytest.mark.django_db
def test_two_sweeps_racing_record_one_reminder(world, clock):
    membership = world["alice_at_a"]
    clock.move_to(membership.consent_lapses_at - datetime.timedelta(days=3))
    assert consent._claim_reminder(membership, clock.now()) is not None
    assert consent._claim_reminder(membership, clock.now()) is None, "the unique row refuses it"
    assert AgencyEmail.objects.filter(membership=membership).count() == 1


@pytest.mark.django_db
def test_a_reminder_for_a_consent_stopped_meanwhile_is_not_sent(
    world, clock, eager_tasks, django_capture_on_commit_callbacks
):
    membership = world["alice_at_a"]
    clock.move_to(membership.consent_lapses_at - datetime.timedelta(days=3))
    row = consent._claim_reminder(membership, clock.now())
    services.set_sharing(membership=membership, share=False)
    assert services.deliver_agency_email(row.pk) == "moot"
    assert mail.outbox == []


def test_the_migration_gives_everyone_sharing_today_a_lapse_with_notice(migrate, world, clock):
    now = clock.now()
    recent, old, nearly = (
        now - datetime.timedelta(days=90),
        now - datetime.timedelta(days=800),
        (now - datetime.timedelta(days=360)),
    )
    for membership, since in ((world["alice_at_a"], recent), (world["dave_at_b"], old)):
        CandidateMembership.objects.filter(pk=membership.pk).update(shared_since=since)
    nearly_member = CandidateMembership.objects.create(
        candidate=world["carol"], agency=world["b"], shared_since=nearly
    )
    migrate(("agencies", "0002_audit_refused_queries"))
    migrate(("agencies", "0003_consent_lapse_and_digest"))

    lapses = dict(CandidateMembership.objects.values_list("pk", "consent_lapses_at"))
    assert lapses[world["alice_at_a"].pk] == a_year_after(recent), "a year after the yes"
    assert lapses[world["dave_at_b"].pk] == a_year_after(now), "long past: a year from now"
    assert lapses[nearly_member.pk] == a_year_after(now), "5 days away: too little notice"
    assert lapses[world["carol_at_a"].pk] is None, "not sharing: nothing to lapse"


@pytest.mark.django_db
def test_the_reminder_escapes_a_hostile_agency_name_in_html_and_keeps_the_subject_on_one_line(
    world, clock, eager_tasks, django_capture_on_commit_callbacks
):
    agency = world["a"]
    type(agency).objects.filter(pk=agency.pk).update(name="<b>Alpha</b> &\r\nBcc: x@evil.example")
    clock.move_to(world["alice_at_a"].consent_lapses_at - datetime.timedelta(days=10))
    sweep_consent(django_capture_on_commit_callbacks)
    [email] = [sent for sent in mail.outbox if sent.to == ["alice@example.com"]]
    assert "\n" not in email.subject and "\r" not in email.subject
    assert email.subject.startswith("<b>Alpha</b> & Bcc: x@evil.example stops seeing")
    html, mime = email.alternatives[0]
    assert mime == "text/html"
    assert "&lt;b&gt;Alpha&lt;/b&gt; &amp;" in html and "<b>Alpha" not in html
    assert "with <b>Alpha</b> &" in email.body


@pytest.mark.django_db
def test_the_recruiters_candidate_page_says_until_when_the_candidate_shares(client, world):
    from agencies.admin_base import panel_time

    membership = world["alice_at_a"]
    membership.refresh_from_db()
    client.force_login(world["recruiter"])
    page = client.get(
        reverse("admin:agencies_candidatemembership_change", args=[membership.pk])
    ).content.decode()
    assert "Sharing until" in page
    assert f"{panel_time(membership.consent_lapses_at)}, unless the candidate renews" in page
