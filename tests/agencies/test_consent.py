"""The candidate's side: join with a code, share only when they say so, stop at once."""

import pytest
from django.contrib import admin
from django.urls import reverse

from agencies import codes, services
from agencies.models import AuditEvent, CandidateMembership
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
