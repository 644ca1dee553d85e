"""A poll against the real server: it only reads, only what is new, only since connection,
at most 200 messages, and survives the server renumbering its messages."""

import re

import pytest

from inbox import polling
from inbox.models import Mailbox, Proposal
from tests.inbox.mail import email_bytes

pytestmark = pytest.mark.django_db

TAGGED = re.compile(r"^[A-Z]{4}\d+ ")
INVITATION = "We would like to invite you to a technical interview next week."


def from_priya(clock, days_ago: float = 0.1, text: str = INVITATION, subject: str = "Interview"):
    sent = clock.start - __import__("datetime").timedelta(days=days_ago)
    return email_bytes("Priya Nair <priya@acme.example>", subject, text, sent_at=sent), sent


def newsletter(clock, n: int):
    sent = clock.at(-1, 8)
    raw = email_bytes(
        f"News <news{n}@weekly.example>", f"Weekly digest #{n}", "Read on.", sent_at=sent
    )
    return raw, sent


def fetched_uids(commands: list[str]) -> list[str]:
    """The UID sets Bridges fetched message text or headers for, per command."""
    return [line.split()[3] for line in commands if re.match(r"^\S+ UID FETCH ", line)]


def test_it_only_reads_the_server_marks_nothing_and_moves_nothing(
    dovecot, imap_user, connect, acme, clock
):
    dovecot.append(imap_user, [from_priya(clock), newsletter(clock, 1)])
    before = dovecot.flags(imap_user)
    assert all(b"\\Recent" in flags for flags in before.values())
    polling.poll(connect().pk)
    assert Proposal.objects.count() == 1
    assert dovecot.flags(imap_user) == before, "flags (even \\Recent) unchanged by the poll"
    sent = [line.split() for line in dovecot.commands(imap_user) if TAGGED.match(line)]
    # The test's own seeding (APPEND) aside: what Bridges sent.
    bridges = [words[2 if words[1] == "UID" else 1].upper() for words in sent]
    bridges = [command for command in bridges if command != "APPEND"]
    assert "EXAMINE" in bridges and "SELECT" not in bridges
    for forbidden in ("STORE", "COPY", "MOVE", "EXPUNGE", "DELETE", "RENAME", "CREATE"):
        assert forbidden not in bridges
    fetches = [line for line in dovecot.commands(imap_user) if " FETCH " in line]
    assert fetches and all("BODY[" not in line and "RFC822 " not in line for line in fetches)


def test_the_next_poll_reads_only_the_new_message(dovecot, imap_user, connect, acme, clock):
    mailbox = connect()
    dovecot.append(imap_user, [newsletter(clock, n) for n in range(5)])
    assert polling.poll(mailbox.pk).read == 5
    [uid] = dovecot.append(imap_user, [from_priya(clock)])
    commands_before = len(dovecot.commands(imap_user))
    outcome = polling.poll(mailbox.pk)
    assert (outcome.read, outcome.kept) == (1, 1)
    new = dovecot.commands(imap_user)[commands_before:]
    assert set(fetched_uids(new)) == {str(uid)}, new


def test_mail_already_there_when_connecting_is_never_read(dovecot, imap_user, connect, acme, clock):
    dovecot.append(imap_user, [from_priya(clock, days_ago=2)])
    mailbox = connect(backfill=False)
    outcome = polling.poll(mailbox.pk)
    assert (outcome.read, outcome.kept) == (0, 0)
    assert not any(" FETCH " in line for line in dovecot.commands(imap_user))


def test_the_last_30_days_are_read_when_asked_and_nothing_older(
    dovecot, imap_user, connect, acme, clock
):
    dovecot.append(
        imap_user,
        [from_priya(clock, days_ago=29, subject="Recent"), from_priya(clock, 40, subject="Old")],
    )
    polling.poll(connect(backfill=True).pk)
    assert list(Proposal.objects.values_list("subject", flat=True)) == ["Recent"]


def test_a_poll_reads_at_most_200_messages_and_the_next_one_goes_on(
    dovecot, imap_user, connect, acme, clock
):
    mailbox = connect()
    dovecot.fill(imap_user, [newsletter(clock, n) for n in range(204)] + [from_priya(clock)])
    first = polling.poll(mailbox.pk)
    assert (first.read, first.more, first.kept) == (200, True, 0)
    mailbox.refresh_from_db()
    assert mailbox.next_poll_at <= clock.now(), "the rest is due at once"
    second = polling.poll(mailbox.pk)
    assert (second.read, second.more, second.kept) == (5, False, 1)


def test_a_new_uidvalidity_reads_again_without_proposing_twice(
    dovecot, imap_user, connect, acme, clock
):
    mailbox = connect()
    dovecot.append(imap_user, [from_priya(clock, 0.5, subject="First")])
    polling.poll(mailbox.pk)
    old = Mailbox.objects.get(pk=mailbox.pk).uidvalidity
    dovecot.renumber(imap_user, uidvalidity=old + 1000)
    dovecot.append(imap_user, [from_priya(clock, 0.2, subject="Second")])
    outcome = polling.poll(mailbox.pk)
    mailbox.refresh_from_db()
    assert mailbox.uidvalidity == old + 1000
    assert outcome.read == 2, "both messages read again under their new numbers"
    assert sorted(Proposal.objects.values_list("subject", flat=True)) == ["First", "Second"]
    assert polling.poll(mailbox.pk).read == 0, "and then only what is new"


def test_unmatched_mail_leaves_no_trace(dovecot, imap_user, connect, acme, clock):
    dovecot.append(imap_user, [newsletter(clock, 1)])
    outcome = polling.poll(connect().pk)
    assert outcome.read == 1 and not Proposal.objects.exists()
