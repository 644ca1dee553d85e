"""A recruiter sees only their own agency's sharing candidates, on every admin URL there is.

The URLs are found from the admin's registry, so a model registered later is walked too:
every change list (with every filter, search and ordering), every object's change, history
and delete page, every autocomplete, "view on site", and the CSV exports.
"""

import datetime
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from agencies.admin_base import ScopedAdmin
from agencies.models import AuditEvent, CandidateMembership
from agencies.permissions import RECRUITER_VIEWS
from applications.models import Application, FollowUp, Interview, TimelineEvent
from messaging.models import Message
from tests.agencies.conftest import HIDDEN, PRIVATE


def admin_url(name, *args):
    return reverse(f"admin:{name}", args=args)


def changelist_urls(world):
    """Every change list, plain and with each way a recruiter could try to widen it."""
    probes = [
        "",
        "?q=Carolmark",
        "?q=Davemark",
        "?q=carol@example.com",
        f"?office={world['paris'].pk}",
        f"?office={world['leeds'].pk}",
        f"?candidate={world['carol'].pk}",
        f"?candidate={world['dave'].pk}",
        "?employer=DavemarkCorp",
        "?owes=yes",
        "?overdue=yes",
        "?o=1",
        "?o=-2",
        f"?created_at__year={timezone.now().year}",  # the year the world was made
        f"?created_at__gte={(timezone.now() - datetime.timedelta(days=7)):%Y-%m-%dT%H:%M:%SZ}",
        "?all=",
    ]
    for model in admin.site._registry:
        opts = model._meta
        base = admin_url(f"{opts.app_label}_{opts.model_name}_changelist")
        for probe in probes:
            yield base + probe


def object_urls():
    """Change, history and delete pages of every row of every registered model."""
    for model in admin.site._registry:
        opts = model._meta
        for pk in model._default_manager.values_list("pk", flat=True):
            for view in ("change", "history", "delete"):
                yield admin_url(f"{opts.app_label}_{opts.model_name}_{view}", pk), model, pk


def autocomplete_urls():
    for model, model_admin in admin.site._registry.items():
        for field in model_admin.autocomplete_fields:
            yield (
                admin_url("autocomplete")
                + f"?app_label={model._meta.app_label}&model_name={model._meta.model_name}"
                f"&field_name={field}&term=a"
            )


def visible_to_recruiter(model, pk, world) -> bool:
    """Alice's rows (she shares with the recruiter's agency) and nothing else."""
    alice = world["alice"]
    owner_of = {
        Application: lambda: Application.objects.get(pk=pk).owner_id,
        Interview: lambda: Interview.objects.get(pk=pk).application.owner_id,
        Message: lambda: Message.objects.get(pk=pk).application.owner_id,
        TimelineEvent: lambda: TimelineEvent.objects.get(pk=pk).application.owner_id,
        CandidateMembership: lambda: CandidateMembership.objects.get(pk=pk).candidate_id,
    }
    concrete = model._meta.concrete_model
    if concrete is FollowUp:
        return model._meta.model_name == "owedanswer" and (
            FollowUp.objects.get(pk=pk).owner_id == alice.pk
            and not FollowUp.objects.get(pk=pk).low_priority
            and FollowUp.objects.get(pk=pk).is_pending
        )
    if concrete in owner_of:
        if concrete is CandidateMembership and pk != world["alice_at_a"].pk:
            return False
        return owner_of[concrete]() == alice.pk
    return False


def assert_hidden(response, url):
    """None of the hidden words, except one the URL itself typed (a search box echoes it)."""
    body = response.content.decode(errors="replace")
    typed = unquote(url)
    for word in HIDDEN + PRIVATE:
        if word in typed:
            continue
        assert word not in body, f"{url} shows {word!r} to a recruiter of another agency"


@pytest.mark.django_db
def test_a_recruiter_sees_nothing_of_another_agency_or_a_non_sharing_candidate(client, world):
    client.force_login(world["recruiter"])
    index = client.get(admin_url("index"))
    assert index.status_code == 200
    assert_hidden(index, "index")

    for url in changelist_urls(world):
        response = client.get(url)
        # 400: a parameter that list's filters do not offer (test_admin_query_string.py).
        assert response.status_code in (200, 302, 400, 403), f"{url}: {response.status_code}"
        assert_hidden(response, url)

    seen = set()
    for url, model, pk in object_urls():
        response = client.get(url)
        if visible_to_recruiter(model, pk, world) and "/delete/" not in url:
            assert response.status_code == 200, f"{url}: Alice's row should be readable"
            seen.add(model)
        else:
            assert response.status_code in (403, 404), f"{url}: {response.status_code}"
        assert_hidden(response, url)
    assert {Application, Interview, Message, CandidateMembership} <= seen

    for url in autocomplete_urls():
        response = client.get(url)
        assert response.status_code == 403, url
        assert_hidden(response, url)


@pytest.mark.django_db
def test_view_on_site_links_tell_a_recruiter_nothing(client, world):
    client.force_login(world["recruiter"])
    dave_application = Application.objects.get(owner=world["dave"])
    content_type = ContentType.objects.get_for_model(Application)
    for pk in (dave_application.pk, 999_999):
        response = client.get(f"/{settings.ADMIN_URL}r/{content_type.pk}/{pk}/")
        assert response.status_code == 404


@pytest.mark.django_db
def test_the_change_lists_count_and_list_only_the_sharing_candidate(client, world):
    client.force_login(world["recruiter"])
    candidates = client.get(admin_url("agencies_candidatemembership_changelist"))
    assert candidates.context["cl"].result_count == 1
    assert candidates.context["cl"].full_result_count == 1
    assert "Alice Martin" in candidates.content.decode()
    applications = client.get(admin_url("applications_application_changelist"))
    assert [a.company for a in applications.context["cl"].result_list] == ["AlicemarkCorp"]
    owed = client.get(admin_url("agencies_owedanswer_changelist"))
    assert {f.owner_id for f in owed.context["cl"].result_list} == {world["alice"].pk}


def csv_export(client, name, model, ids):
    return client.post(
        admin_url(f"{name}_changelist"),
        {"action": "export_csv", admin.helpers.ACTION_CHECKBOX_NAME: ids, "index": 0},
    )


@pytest.mark.django_db
def test_csv_exports_hold_only_the_agencys_sharing_candidates(client, world):
    client.force_login(world["recruiter"])
    everything = {
        "agencies_candidatemembership": list(
            CandidateMembership.objects.values_list("pk", flat=True)
        ),
        "applications_application": list(Application.objects.values_list("pk", flat=True)),
        "agencies_owedanswer": list(FollowUp.objects.values_list("pk", flat=True)),
    }
    for name, ids in everything.items():
        response = csv_export(client, name, None, ids)
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv")
        body = response.content.decode("utf-8-sig")
        assert "Alice" in body, name
        for word in HIDDEN:
            assert word not in body, f"{name} export holds {word!r}"
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED, actor=world["recruiter"])
    assert exports.count() == 3


@pytest.mark.django_db
def test_a_recruiter_reads_but_never_changes_or_deletes(client, world):
    client.force_login(world["recruiter"])
    application = Application.objects.get(owner=world["alice"])
    change = admin_url("applications_application_change", application.pk)
    page = client.get(change)
    assert page.status_code == 200
    assert 'type="submit"' not in page.content.decode().split('id="application_form"')[-1]
    response = client.post(change, {"company": "Rewritten", "job_title": "x"})
    assert response.status_code == 403
    delete = client.post(
        admin_url("applications_application_delete", application.pk), {"post": "yes"}
    )
    assert delete.status_code == 403
    bulk = client.post(
        admin_url("applications_application_changelist"),
        {"action": "delete_selected", admin.helpers.ACTION_CHECKBOX_NAME: [application.pk]},
    )
    application.refresh_from_db()
    assert application.company == "AlicemarkCorp"
    assert bulk.status_code in (200, 302)
    assert Application.objects.filter(pk=application.pk).exists()


@pytest.mark.django_db
def test_a_recruiter_sees_the_shared_fields_and_not_the_private_notes(client, world):
    client.force_login(world["recruiter"])
    application = Application.objects.get(owner=world["alice"])
    application.notes = "Alicemark private salary thoughts"
    application.save()
    page = client.get(admin_url("applications_application_change", application.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert "AlicemarkCorp" in body
    assert "AlicemarkSubject" in body  # her logged message
    assert "private salary thoughts" not in body
    assert "Alicemark private interview notes" not in body
    # Searching a private field would let a recruiter probe it; search covers shared ones only.
    search = client.get(admin_url("applications_application_changelist") + "?q=salary+thoughts")
    assert search.context["cl"].result_count == 0


@pytest.mark.django_db
def test_a_recruiter_cannot_see_users_or_grant_themselves_permissions(client, world):
    recruiter = world["recruiter"]
    client.force_login(recruiter)
    for url in (
        admin_url("accounts_user_changelist"),
        admin_url("accounts_user_change", recruiter.pk),
        admin_url("auth_group_changelist"),
        admin_url("agencies_auditevent_changelist"),
        admin_url("agencies_recruitermembership_changelist"),
        admin_url("agencies_agency_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        admin_url("accounts_user_change", recruiter.pk),
        {"email": recruiter.email, "is_superuser": "on", "is_staff": "on"},
    )
    assert response.status_code == 403
    recruiter.refresh_from_db()
    assert not recruiter.is_superuser
    assert set(recruiter.get_all_permissions()) == {
        f"{label}.view_{model}" for label, models in RECRUITER_VIEWS.items() for model in models
    }


@pytest.mark.django_db
def test_a_staff_user_who_is_no_recruiter_sees_no_candidate(client, world):
    world["recruiter"].recruiter.delete()
    client.force_login(world["recruiter"])
    response = client.get(admin_url("applications_application_changelist"))
    assert response.context["cl"].result_count == 0


@pytest.mark.django_db
def test_an_operator_sees_every_agency(client, world):
    from tests.conftest import make_user

    operator = make_user("ops@bridges.example", is_staff=True, is_superuser=True)
    client.force_login(operator)
    candidates = client.get(admin_url("agencies_candidatemembership_changelist"))
    assert candidates.context["cl"].result_count == 3
    applications = client.get(admin_url("applications_application_changelist"))
    assert applications.context["cl"].result_count == 3


def test_every_model_a_recruiter_may_view_is_scoped():
    """A model given to the Recruiters group must have a scoped admin (or none at all)."""
    for label, models in RECRUITER_VIEWS.items():
        for name in models:
            model = apps.get_model(label, name)
            model_admin = admin.site._registry.get(model)
            if model_admin is not None:
                assert isinstance(model_admin, ScopedAdmin), f"{label}.{name} is not scoped"
