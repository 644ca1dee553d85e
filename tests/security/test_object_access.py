"""Only the owner reaches an object: every URL of the site that takes an object id (found by
walking the URLconf), tried by each kind of visitor in ACTORS. This is the site's one access
suite; a new page with an id is in it the day it is added.

A new kind of visitor is one more Actor: the fixture that gives its user (None for nobody)
and what it must get. The admin's own URLs are outside this walk: only staff reach them, and
tests/agencies walks them per recruiter (test_admin_scoping.py, test_admin_object_urls.py).
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from agencies.models import CandidateMembership
from applications.models import (
    Application,
    Contact,
    FollowUp,
    Interview,
    Offer,
    Tag,
    TimelineEvent,
)
from dataio.models import ImportBatch
from inbox.models import Proposal
from messaging.models import Message, UserTemplate
from tests.clock import iso_in
from tests.pages import page_text
from tests.security.conftest import values_for
from tests.security.urlconf import routes, url_for


@dataclass(frozen=True)
class Actor:
    name: str
    user_fixture: str | None  # the logged-in user, or None for an anonymous visitor
    gets: str  # "everything" | "not found" | "the login page"


ACTORS = [
    Actor("the owner", "alice", "everything"),
    Actor("another candidate", "bob", "not found"),
    Actor("a recruiter of another agency", "other_agency_recruiter", "not found"),
    # Recruiters read a sharing candidate in the admin only (tests/agencies/): never here.
    Actor("a recruiter of her own agency", "own_agency_recruiter", "not found"),
    Actor("an anonymous visitor", None, "the login page"),
]

ID_ROUTES = [r for r in routes() if r.int_params and not r.is_admin]

# Every field a request could try to set, so a view that forgot its owner check has
# something to save.
HOSTILE_POST = {
    **{"stage": "closed", "reason": "no_reason", "text": "hi", "name": "Hacked"},
    **{"company": "Hacked", "job_title": "x", "priority": 3, "amount": 1, "tags": "pwned"},
    **{"round": 9, "starts_at": iso_in(30), "duration_minutes": 30, "format": "phone"},
    **{"kind": "withdraw", "subject": "x", "body": "x", "action": "copy", "tone": "formal"},
    **{"period": "7d", "to_interview": "1", "email": "hacked@example.com", "role": "recruiter"},
}


def snapshot():
    """Everything of Alice's that someone else's request could try to change."""
    return (
        list(Application.objects.values_list("id", "stage", "archived_at", "company", "notes")),
        TimelineEvent.objects.count(),
        list(Interview.objects.values_list("id", "state", "starts_at", "format")),
        list(Contact.objects.values_list("id", "name", "email")),
        list(Offer.objects.values_list("id", "amount", "deadline")),
        list(Tag.objects.values_list("id", "name")),
        list(Application.contacts.through.objects.values_list("application_id", "contact_id")),
        list(Application.tags.through.objects.values_list("application_id", "tag_id")),
        list(Interview.interviewers.through.objects.values_list("interview_id", "contact_id")),
        list(UserTemplate.objects.values_list("id", "name", "body")),
        list(FollowUp.objects.values_list("id", "state", "due_at", "snoozed_until")),
        Message.objects.count(),
        list(CandidateMembership.objects.values_list("id", "shared_since", "stopped_sharing_at")),
        list(ImportBatch.objects.values_list("id", "state", "mapping", "text")),
        list(Proposal.objects.values_list("id", "state", "event_id")),
    )


def test_the_walk_finds_the_id_pages_and_can_fill_each_one(world):
    assert len(ID_ROUTES) >= 20
    for route in ID_ROUTES:
        missing = set(route.params) - set(world)
        assert not missing, f"{route.route}: give {missing} a value in the world fixture"


@pytest.fixture
def urls(world):
    return [url_for(route, values_for(route, world)) for route in ID_ROUTES]


@pytest.mark.parametrize("actor", ACTORS, ids=lambda actor: actor.name)
def test_only_the_owner_gets_the_data(request, actor, urls):
    client = Client()
    if actor.user_fixture:
        client.force_login(request.getfixturevalue(actor.user_fixture))
    before = snapshot()
    for url in urls:
        if actor.gets == "everything":
            # The owner only reads here: each page answers (405: it takes POST only).
            status = client.get(url).status_code
            assert status in (200, 405), f"{url} gave {status} to {actor.name}"
            continue
        for method in (client.get, client.post):
            response = method(url, HOSTILE_POST) if method == client.post else method(url)
            status = response.status_code
            if actor.gets == "not found":
                # 405 only for the method a view does not take; the other must be a 404.
                assert status in (404, 405), f"{method.__name__} {url} gave {status}"
            else:
                assert status == 302, f"{method.__name__} {url} gave {status}"
                assert response.url.startswith("/accounts/login/?next="), url
        if actor.gets == "not found":
            assert client.get(url).status_code == 404 or client.post(url).status_code == 404, (
                f"{url} answered {actor.name} with neither GET nor POST refused as missing"
            )
    assert snapshot() == before, f"{actor.name} changed Alice's data"


def test_an_interview_is_reached_only_through_its_own_application(
    logged_in, alice, interview, make_application
):
    other = make_application(alice, company="Other Co")
    response = logged_in.post(f"/applications/{other.pk}/interviews/{interview.pk}/cancel/")
    assert response.status_code == 404


def test_lists_and_the_board_show_only_the_owners_applications(client, bob, application):
    client.force_login(bob)
    for url in ("/applications/", "/applications/board/", "/contacts/"):
        assert "Acme" not in page_text(client, url), url
    assert "Acme" not in page_text(client, "/applications/company-history/?company=Acme")
