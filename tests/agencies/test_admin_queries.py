"""Every admin change list runs the same number of queries at 5 rows and at 500, paginated."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from agencies.admin_base import ScopedAdmin
from agencies.models import CandidateMembership
from applications.models import Application, FollowUp, Interview, TimelineEvent
from messaging.models import Message
from tests.conftest import make_user

MAX_QUERIES = 16


def seed(world, count: int) -> None:
    """`count` more candidates sharing with agency A, each with one of everything."""
    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"c{n}@example.com", display_name=f"Candidate {n}") for n in range(count)
    )
    offices = [world["london"], world["leeds"]]
    CandidateMembership.objects.bulk_create(
        CandidateMembership(candidate=u, agency=world["a"], office=offices[n % 2], shared_since=now)
        for n, u in enumerate(users)
    )
    applications = Application.objects.bulk_create(
        Application(owner=u, company=f"Company {n % 37}", job_title="Engineer", stage="applied")
        for n, u in enumerate(users)
    )
    TimelineEvent.objects.bulk_create(
        TimelineEvent(application=a, kind="created", to_stage="applied") for a in applications
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            owner_id=a.owner_id,
            application=a,
            kind="check_in",
            due_at=now - datetime.timedelta(days=1),
        )
        for a in applications
    )
    Interview.objects.bulk_create(Interview(application=a, starts_at=now) for a in applications)
    Message.objects.bulk_create(
        Message(application=a, kind="follow_up", channel="copied", body="Hello")
        for a in applications
    )


# Each change list, plain and with its filters (the parameters their links make), a search
# and a sort by a computed column.
CHANGE_LISTS = {
    "agencies_candidatemembership": ["?owes=yes", "?office={office}", "?q=Candidate", "?o=-4"],
    "applications_application": ["?owes=yes", "?office={office}", "?q=Company", "?o=-7"],
    "agencies_owedanswer": ["?overdue=yes", "?office={office}", "?q=Company", "?o=-2"],
    "applications_interview": ["?office={office}", "?q=Company", "?state__exact=scheduled"],
    "messaging_message": ["?office={office}", "?channel__exact=copied"],
    "applications_timelineevent": ["?kind__exact=created"],
}


def queries_per_page(client, world) -> dict[str, int]:
    counts = {}
    for name, probes in CHANGE_LISTS.items():
        for probe in ["", *probes]:
            url = reverse(f"admin:{name}_changelist") + probe.format(office=world["london"].pk)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            assert len(response.context["cl"].result_list) <= 50, url
            counts[url] = len(queries)
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["recruiter", "operator"])
def test_change_lists_take_the_same_queries_at_5_and_500_rows(client, world, who):
    user = world["recruiter"]
    if who == "operator":
        user = make_user("ops@bridges.example", is_staff=True, is_superuser=True)
    client.force_login(user)
    seed(world, 5)
    few = queries_per_page(client, world)
    seed_more = 495
    User.objects.filter(email__startswith="c").delete()
    seed(world, seed_more + 5)
    many = queries_per_page(client, world)
    assert many == few
    assert max(many.values()) <= MAX_QUERIES, many
    # And the recruiter's pages are paginated, with the whole count said.
    response = client.get(reverse("admin:applications_application_changelist"))
    assert response.context["cl"].result_count >= 500
    assert response.context["cl"].paginator.num_pages >= 10


def test_every_recruiter_change_list_is_measured():
    scoped = {
        f"{model._meta.app_label}_{model._meta.model_name}"
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedAdmin)
    }
    assert scoped == set(CHANGE_LISTS)
