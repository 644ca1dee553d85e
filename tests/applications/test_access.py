"""Owner-only access, proven for every URL that takes an object id.

The URLs are found by walking the URLconf, so a new page with an id cannot be forgotten: its
id parameter must be named in OBJECTS below, or the first test fails.
"""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from agencies.models import Agency, CandidateMembership
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

# Which of Alice's objects fills each id parameter.
OBJECTS = {
    "pk": None,
    "interview_pk": "interview",
    "template_pk": "template",
    "message_pk": "message",
    "followup_pk": "followup",
    "membership_pk": "membership",
    "batch_pk": "import_batch",
    "proposal_pk": "proposal",
}


def id_patterns(resolver=None, prefix=""):
    """(route, view name, id parameters) for every URL with an integer id, admin aside."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(settings.ADMIN_URL):
                continue  # the admin is staff-only and scoped in its own tests
            yield from id_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            ids = [
                name
                for name, converter in entry.pattern.converters.items()
                if isinstance(converter, IntConverter)
            ]
            if ids:
                yield route, entry.lookup_str, ids


PATTERNS = list(id_patterns())


def url_for(route: str, values: dict) -> str:
    path = route
    for name, value in values.items():
        path = path.replace(f"<int:{name}>", str(value))
    return "/" + path


@pytest.fixture
def template(alice) -> UserTemplate:
    return UserTemplate.objects.create(
        owner=alice, kind="withdraw", name="Mine", subject="Hi", body="{greeting}"
    )


@pytest.fixture
def message(application) -> Message:
    return Message.objects.create(
        application=application, kind="follow_up", channel="mail_app", subject="Hi", body="Hello"
    )


@pytest.fixture
def followup(application) -> FollowUp:
    return FollowUp.objects.get(application=application, kind=FollowUp.Kind.CHECK_IN)


@pytest.fixture
def membership(alice) -> CandidateMembership:
    """Alice's link to an agency, not shared yet: Bob must not share, stop or leave it."""
    return CandidateMembership.objects.create(
        candidate=alice, agency=Agency.objects.create(name="A")
    )


@pytest.fixture
def import_batch(alice) -> ImportBatch:
    return ImportBatch.objects.create(
        owner=alice,
        filename="mine.csv",
        text="Company,Title\nAcme,Dev\n",
        total_rows=1,
        mapping={"0": "company", "1": "job_title"},
    )


@pytest.fixture
def proposal(alice, application):
    from tests.inbox.mail import stored_proposal

    return stored_proposal(alice, application)


@pytest.fixture
def accepted(alice, make_application):
    """An accepted application: the close-out page exists only for one."""
    return make_application(alice, company="Hired Co", stage="accepted")


@pytest.fixture
def alices_urls(
    application,
    interview,
    contact,
    offer,
    template,
    message,
    accepted,
    followup,
    membership,
    import_batch,
    proposal,
):
    """Every id URL, filled with Alice's objects (contact pages take the contact's id)."""
    urls = []
    for route, view, ids in PATTERNS:
        values = {"pk": contact.pk if "contacts" in view else application.pk}
        if view.endswith("close_out"):
            values["pk"] = accepted.pk
        if "interview_pk" in ids:
            values["interview_pk"] = interview.pk
        if "template_pk" in ids:
            values["template_pk"] = template.pk
        if "message_pk" in ids:
            values["message_pk"] = message.pk
        if "followup_pk" in ids:
            values["followup_pk"] = followup.pk
        if "membership_pk" in ids:
            values["membership_pk"] = membership.pk
        if "batch_pk" in ids:
            values["batch_pk"] = import_batch.pk
        if "proposal_pk" in ids:
            values["proposal_pk"] = proposal.pk
        urls.append(url_for(route, values))
    return urls


HOSTILE_POST = {
    **{"stage": "closed", "reason": "no_reason", "text": "hi", "name": "Hacked"},
    **{"company": "Hacked", "job_title": "x", "priority": 3, "amount": 1, "tags": "pwned"},
    **{"round": 9, "starts_at": iso_in(30), "duration_minutes": 30, "format": "phone"},
    **{"kind": "withdraw", "subject": "x", "body": "x", "action": "copy", "tone": "formal"},
    "period": "7d",
}


def snapshot():
    """Everything of Alice's that a stranger's request could try to change."""
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


def test_every_id_parameter_is_known():
    assert len(PATTERNS) >= 12
    for route, _, ids in PATTERNS:
        assert set(ids) <= set(OBJECTS), f"{route}: add its id parameter to OBJECTS"


def test_the_owner_reaches_every_page(client, alice, alices_urls):
    client.force_login(alice)
    for url in alices_urls:
        status = client.get(url).status_code
        assert status in (200, 405), f"{url} gave {status} to its owner"


def test_another_user_gets_404_on_every_page_and_action(client, bob, alices_urls):
    client.force_login(bob)
    before = snapshot()
    for url in alices_urls:
        statuses = {
            client.get(url).status_code,
            client.post(url, HOSTILE_POST).status_code,
        }
        # 405 only for the method a view does not take; the other must be a plain 404.
        assert statuses <= {404, 405} and 404 in statuses, f"{url} gave {statuses} to Bob"
    assert snapshot() == before, "Bob changed Alice's data"


def test_an_anonymous_visitor_is_sent_to_the_login(client, alices_urls):
    for url in alices_urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, f"{method.__name__} {url}"
            assert response.url.startswith("/accounts/login/?next=")


def test_an_interview_is_reached_only_through_its_own_application(
    client, alice, interview, make_application
):
    other = make_application(alice, company="Other Co")
    client.force_login(alice)
    response = client.post(f"/applications/{other.pk}/interviews/{interview.pk}/cancel/")
    assert response.status_code == 404


def test_lists_and_the_board_show_only_the_owners_applications(client, bob, application):
    client.force_login(bob)
    for url in ("/applications/", "/applications/board/", "/contacts/"):
        assert "Acme" not in page_text(client, url), url
    assert "Acme" not in page_text(client, "/applications/company-history/?company=Acme")
