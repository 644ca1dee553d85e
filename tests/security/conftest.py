"""The security suite's world: one candidate (Alice) with one of everything, and the people
who must not reach it."""

import datetime

import pytest
from django.utils import timezone

from applications.models import FollowUp
from applications.stages import Stage
from messaging.models import Message, UserTemplate


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
def followup(application, accepted) -> FollowUp:
    """One Alice still owes (the accepted application settled her others): its snooze page
    draws for her."""
    return FollowUp.objects.create(
        owner=application.owner,
        application=application,
        kind=FollowUp.Kind.THANK_YOU,
        due_at=timezone.now() + datetime.timedelta(days=1),
    )


@pytest.fixture
def accepted(alice, make_application):
    """An accepted application: the close-out page exists only for one."""
    return make_application(alice, company="Hired Co", stage=Stage.ACCEPTED)


@pytest.fixture
def agencies(alice):
    """Alice shares her pipeline with Alpha; Beta is another agency."""
    from agencies.models import Agency, CandidateMembership

    alpha, beta = Agency.objects.create(name="Alpha"), Agency.objects.create(name="Beta")
    membership = CandidateMembership.objects.create(
        candidate=alice, agency=alpha, shared_since=timezone.now()
    )
    return {"alpha": alpha, "beta": beta, "membership": membership}


@pytest.fixture
def other_agency_recruiter(agencies):
    from tests.agencies.conftest import make_recruiter

    return make_recruiter("boris@beta.example", agencies["beta"])


@pytest.fixture
def own_agency_recruiter(agencies):
    """Reads Alice's pipeline in the admin, and nothing of hers on the candidate's site."""
    from tests.agencies.conftest import make_recruiter

    return make_recruiter("rita@alpha.example", agencies["alpha"])


@pytest.fixture
def import_batch(alice):
    from dataio.models import ImportBatch

    return ImportBatch.objects.create(
        owner=alice, filename="mine.csv", text="Company\nAcme\n", total_rows=1
    )


@pytest.fixture
def proposal(alice, application):
    """What a poll of Alice's mailbox proposed for her application."""
    from tests.inbox.mail import stored_proposal

    return stored_proposal(alice, application)


@pytest.fixture
def world(
    alice,
    application,
    interview,
    contact,
    offer,
    template,
    message,
    accepted,
    followup,
    agencies,
    import_batch,
    proposal,
):
    """A value for every parameter a URL of the site can take, from Alice's own objects.

    `pk` is the application's id, except on the pages named in PK_IS: a new id parameter, or
    a page whose `pk` is something else, must be added here or the suite fails naming it.
    """
    return {
        "pk": application.pk,
        "interview_pk": interview.pk,
        "template_pk": template.pk,
        "message_pk": message.pk,
        "followup_pk": followup.pk,
        "membership_pk": agencies["membership"].pk,
        "batch_pk": import_batch.pk,
        "proposal_pk": proposal.pk,
        "PK_IS": {
            "applications:contact_edit": contact.pk,
            "applications:contact_delete": contact.pk,
            "messaging:close_out": accepted.pk,
        },
        # Not object ids: any value that resolves (the views refuse them on their own).
        "token": "not-a-signed-token",
        "key": "not-a-key",
        "uidb36": "1",
        "object_id": str(application.pk),
        "content_type_id": "1",
        "id": str(alice.pk),
        "app_label": "applications",
    }


def values_for(route, world: dict) -> dict:
    values = {name: world[name] for name in route.params if name in world}
    if "pk" in route.params and route.name in world["PK_IS"]:
        values["pk"] = world["PK_IS"][route.name]
    return values
