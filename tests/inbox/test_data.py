"""The user's data: the JSON export has the mailbox (without its password) and every
proposal; deleting the account deletes all of it."""

import json

import pytest

from accounts.models import User
from inbox.models import Mailbox, PauseNotice, Proposal
from tests.inbox.mail import stored_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(alice, acme) -> Proposal:
    proposal = stored_proposal(alice, acme)
    PauseNotice.objects.create(owner=alice, mailbox=proposal.mailbox, reason="refused")
    return proposal


def test_the_export_has_the_mailbox_and_every_proposal_but_no_password(client, alice, proposal):
    client.force_login(alice)
    response = client.get("/export/everything.json")
    data = json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert data["inbox"]["mailbox"]["host"] == "imap.example.com"
    [exported] = data["inbox"]["proposals"]
    assert (exported["subject"], exported["kind"], exported["state"]) == (
        "Interview",
        "invitation",
        "pending",
    )
    text = json.dumps(data)
    assert "app-secret-123" not in text and proposal.mailbox.password_encrypted not in text


def test_deleting_the_account_deletes_the_mailbox_and_its_proposals(
    client, alice, bob, password, proposal
):
    client.force_login(alice)
    client.post("/accounts/delete/", {"password": password})
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Mailbox.objects.exists() and not Proposal.objects.exists()
    assert not PauseNotice.objects.exists()
