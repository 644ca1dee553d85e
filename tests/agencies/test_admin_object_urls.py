"""An admin object URL tells a recruiter nothing about whether an id exists.

Before, the history page of a model the recruiter may not view answered 403 for an existing id
and redirected for a missing one, so ids could be counted. Every registered model, every object
URL (change, history, delete): a row the recruiter may not see, an id no row has and an id that
is no number get the same answer.
"""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from applications.models import Contact, Tag
from messaging.models import SweepStatus, UserTemplate
from tests.agencies.test_admin_scoping import visible_to_recruiter

VIEWS = ("change", "history", "delete")


def answer(response) -> tuple:
    return response.status_code, response.get("Location")


@pytest.fixture
def more_rows(world):
    """A row of the models the world has none of, owned by the candidate of another agency."""
    dave = world["dave"]
    Contact.objects.create(owner=dave, name="Dave's contact")
    Tag.objects.create(owner=dave, name="dave-tag")
    UserTemplate.objects.create(owner=dave, kind="follow_up", name="Dave's", body="Hi")
    SweepStatus.objects.create(finished_at=timezone.now())


@pytest.mark.django_db
def test_an_existing_and_a_missing_id_get_the_same_answer_on_every_admin_url(
    client, world, more_rows
):
    client.force_login(world["recruiter"])
    compared = set()
    for model in admin.site._registry:
        opts = model._meta
        hidden = [
            pk
            for pk in model._default_manager.values_list("pk", flat=True)
            if not visible_to_recruiter(model, pk, world)
        ]
        if not hidden:
            continue
        last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        for view in VIEWS:
            name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
            existing = answer(client.get(reverse(name, args=[hidden[0]])))
            for missing in (last + 1000, "x"):
                got = answer(client.get(reverse(name, args=[missing])))
                assert got == existing, f"{name}: {existing} for a row, {got} for {missing!r}"
            assert existing[0] in (403, 404), f"{name}: {existing}"
        compared.add(opts.label)
    # The models the attack named, and those only operators may view.
    assert {
        "accounts.User",
        "auth.Group",
        "agencies.Agency",
        "agencies.Office",
        "applications.Application",
        "applications.Interview",
        "applications.Contact",
        "applications.Tag",
        "messaging.UserTemplate",
        "messaging.SweepStatus",
        "agencies.CandidateMembership",
    } <= compared
