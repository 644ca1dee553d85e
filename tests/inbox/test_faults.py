"""Faults: a refused password pauses the mailbox after three tries and emails the user once;
a server that is down is tried again with backoff; disconnecting forgets everything."""

import datetime

import pytest
from django.core import mail

from inbox import crypto, polling, services
from inbox.models import Mailbox, PauseNotice, Proposal
from inbox.tasks import poll_mailboxes
from tests.inbox.dovecot import free_port
from tests.inbox.test_polling import from_priya

pytestmark = pytest.mark.django_db


def revoke(mailbox: Mailbox) -> None:
    """What a revoked app password looks like from Bridges: the server refuses it."""
    Mailbox.objects.filter(pk=mailbox.pk).update(password_encrypted=crypto.encrypt("revoked"))


def test_three_refusals_pause_the_mailbox_and_email_the_user_once(
    connect, acme, clock, eager_tasks, django_capture_on_commit_callbacks
):
    mailbox = connect()
    revoke(mailbox)
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [polling.poll(mailbox.pk).state for _ in range(2)]
    mailbox.refresh_from_db()
    assert outcomes == ["failed", "failed"] and mailbox.state == "active"
    assert mailbox.auth_failures == 2 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert polling.poll(mailbox.pk).state == "paused"
        assert mail.outbox == [], "the email waits for the commit"
    assert len(callbacks) == 1
    mailbox.refresh_from_db()
    assert mailbox.is_paused and "refused the user name or password" in mailbox.last_error
    [email] = mail.outbox
    assert email.to == ["alice@example.com"]
    assert "stopped reading" in email.subject and "/inbox/mailbox/" in email.body
    with django_capture_on_commit_callbacks(execute=True):
        assert polling.poll(mailbox.pk).state == "busy", "a paused mailbox is not polled"
        clock.shift(hours=1)
        poll_mailboxes()
    assert len(mail.outbox) == 1 and PauseNotice.objects.count() == 1


def test_a_notice_is_sent_once_even_if_delivered_twice(connect, acme, clock, eager_tasks):
    from inbox import notices

    mailbox = connect()
    notice = PauseNotice.objects.create(owner=mailbox.owner, mailbox=mailbox, reason="refused")
    assert [notices.deliver(notice.pk), notices.deliver(notice.pk)] == ["sent", "sent"]
    assert len(mail.outbox) == 1


def test_the_user_resumes_with_a_new_app_password(dovecot, imap_user, connect, acme, clock):
    mailbox = connect()
    revoke(mailbox)
    for _ in range(3):
        polling.poll(mailbox.pk)
    dovecot.append(imap_user, [from_priya(clock)])
    connect()  # the same account, with its right password again
    mailbox.refresh_from_db()
    assert mailbox.state == "active" and mailbox.auth_failures == 0
    assert polling.poll(mailbox.pk).kept == 1, "it carries on where it stopped"


def test_a_server_that_is_down_is_tried_again_with_backoff(connect, acme, clock):
    mailbox = connect()
    Mailbox.objects.filter(pk=mailbox.pk).update(port=free_port())  # nothing listens there
    waits = []
    for _ in range(4):
        outcome = polling.poll(mailbox.pk)
        mailbox.refresh_from_db()
        waits.append(mailbox.next_poll_at - clock.now())
        assert outcome.state == "failed" and "refused the connection" in outcome.error
    assert waits == [datetime.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert mailbox.state == "active", "a server fault never pauses the mailbox"
    assert polling.queue_due(clock.now()) == [], "not queued before its time"
    clock.shift(minutes=8)
    assert polling.queue_due(clock.now()) == [mailbox.pk]


def test_backoff_stops_growing_at_six_hours():
    assert polling.backoff(30) == datetime.timedelta(hours=6)


def test_disconnecting_deletes_the_credentials_and_every_proposal(
    dovecot, imap_user, connect, acme, clock, client
):
    mailbox = connect()
    dovecot.append(imap_user, [from_priya(clock)])
    polling.poll(mailbox.pk)
    PauseNotice.objects.create(owner=mailbox.owner, mailbox=mailbox, reason="x")
    assert Proposal.objects.count() == 1
    client.force_login(mailbox.owner)
    response = client.post("/inbox/mailbox/disconnect/")
    assert response.status_code == 302
    assert not Mailbox.objects.exists()
    assert not Proposal.objects.exists() and not PauseNotice.objects.exists()


def test_a_poll_under_way_when_disconnected_records_nothing(
    dovecot, imap_user, connect, acme, clock
):
    mailbox = connect()
    dovecot.append(imap_user, [from_priya(clock)])
    token = polling.claim(mailbox.pk, clock.now())
    found = polling.read(Mailbox.objects.get(pk=mailbox.pk))
    proposals = [polling.make_proposal(mailbox, m, match) for m, match in found.matched]
    services.mailbox_disconnect(user=mailbox.owner)
    assert polling._record(mailbox, token, found, proposals).state == "lost"
    assert not Proposal.objects.exists()
