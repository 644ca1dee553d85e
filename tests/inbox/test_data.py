"""The user's data: the JSON export has the mailbox (without its password) and every
proposal; deleting the account deletes all of it."""

import json

import pytest

from accounts.models import User
from inbox import crypto
from inbox.models import Mailbox, PauseNotice, Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(alice, acme, clock) -> Proposal:
    mailbox = Mailbox.objects.create(
        owner=alice,
        host="imap.example.com",
        username="alice@example.com",
        password_encrypted=crypto.encrypt("app-secret-123"),
    )
    PauseNotice.objects.create(owner=alice, mailbox=mailbox, reason="refused")
    return Proposal.objects.create(
        owner=alice,
        mailbox=mailbox,
        application=acme,
        message_key="k" * 64,
        message_id="<1@acme.example>",
        sender="Priya Nair <priya@acme.example>",
        subject="Interview",
        sent_at=clock.at(-1),
        excerpt="We would like to invite you",
        kind="invitation",
        rule="an invitation",
        evidence="“invite you”",
        matched_by="it comes from your contact Priya Nair",
    )


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
