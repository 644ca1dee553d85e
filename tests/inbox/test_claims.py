"""One poll per mailbox at a time: two beats or two workers never poll it at once, a poll
that dies is taken over once its lease runs out, and one that lost its lease writes nothing."""

import datetime
import threading

import pytest
from django.db import connection

from inbox import polling
from inbox.models import Mailbox, Proposal
from tests.inbox.test_polling import from_priya
from tests.threads import in_threads


def bridges_sessions(dovecot, user) -> int:
    """Sessions of `user` on the server that asked for mail (EXAMINE), the test's aside."""
    return sum(any(" EXAMINE " in line for line in lines) for lines in dovecot.sessions(user))


@pytest.mark.django_db(transaction=True)
def test_of_eight_claims_at_once_exactly_one_wins(postgresql, connect, acme, clock):
    mailbox = connect()
    tokens = in_threads(8, lambda: polling.claim(mailbox.pk, clock.now()))
    assert sum(token is not None for token in tokens) == 1


@pytest.mark.django_db(transaction=True)
def test_two_polls_at_once_read_the_mailbox_once(
    postgresql, dovecot, imap_user, connect, acme, clock, monkeypatch
):
    mailbox = connect()
    dovecot.append(imap_user, [from_priya(clock)])
    sessions_before = bridges_sessions(dovecot, imap_user)
    reading, release = threading.Event(), threading.Event()
    real_read = polling.read

    def slow_read(mailbox):
        reading.set()
        assert release.wait(timeout=30)
        return real_read(mailbox)

    monkeypatch.setattr(polling, "read", slow_read)
    results = {}

    def first():
        try:
            results["first"] = polling.poll(mailbox.pk).state
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert reading.wait(timeout=30)
    second = in_threads(2, lambda: polling.poll(mailbox.pk).state)  # two more, meanwhile
    release.set()
    thread.join(timeout=60)
    assert (results["first"], second) == ("read", ["busy", "busy"])
    assert Proposal.objects.count() == 1
    assert bridges_sessions(dovecot, imap_user) == sessions_before + 1


@pytest.mark.django_db
def test_a_dead_poll_is_taken_over_after_its_lease(dovecot, imap_user, connect, acme, clock):
    mailbox = connect()
    dovecot.append(imap_user, [from_priya(clock)])
    dead = polling.claim(mailbox.pk, clock.now())  # a worker that died holding the mailbox
    assert dead is not None
    assert polling.poll(mailbox.pk).state == "busy"
    clock.shift(polling.lease() + datetime.timedelta(seconds=1))
    assert polling.poll(mailbox.pk).state == "read"
    assert Proposal.objects.count() == 1


@pytest.mark.django_db
def test_a_poll_that_lost_its_lease_writes_nothing(dovecot, imap_user, connect, acme, clock):
    mailbox = connect()
    dovecot.append(imap_user, [from_priya(clock)])
    slow = polling.claim(mailbox.pk, clock.now())
    found = polling.read(Mailbox.objects.get(pk=mailbox.pk))
    clock.shift(polling.lease() + datetime.timedelta(seconds=1))
    assert polling.poll(mailbox.pk).state == "read"  # took over, and recorded
    before = Mailbox.objects.values_list("last_uid", "last_polled_at").get(pk=mailbox.pk)
    proposals = [polling.make_proposal(mailbox, m, match) for m, match in found.matched]
    assert polling._record(mailbox, slow, found, proposals).state == "lost"
    assert Proposal.objects.count() == 1
    assert Mailbox.objects.values_list("last_uid", "last_polled_at").get(pk=mailbox.pk) == before


@pytest.mark.django_db
def test_two_beats_at_once_queue_each_mailbox_once(connect, acme, clock):
    mailbox = connect()
    assert polling.queue_due(clock.now()) == [mailbox.pk]
    assert polling.queue_due(clock.now()) == []
    clock.shift(polling.interval())
    assert polling.queue_due(clock.now()) == [mailbox.pk]


def test_beat_asks_for_the_polls():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["poll-mailboxes"]
    assert entry["task"] == "inbox.poll_mailboxes"
    assert entry["schedule"] <= 60, "each mailbox's own next time is honoured within a minute"
    assert settings.INBOX_POLL_SECONDS == 600
