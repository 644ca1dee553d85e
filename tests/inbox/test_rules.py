"""The rules' finer points, without a server: the write guard on the wire, deadlines,
quoted replies, conditional sentences, and the matching of shared senders."""

import datetime

import pytest

from inbox import imap, rules
from inbox.matching import employer_domain, employer_host


@pytest.mark.parametrize(
    "line",
    [
        b"A1 STORE 1 +FLAGS (\\Seen)",
        b"A2 UID STORE 1:* +FLAGS (\\Deleted)",
        b"A3 UID MOVE 4 Trash",
        b"A4 COPY 1 Archive",
        b"A5 EXPUNGE",
        b'A6 SELECT "INBOX"',
        b'A7 APPEND "INBOX" {12}',
        b"A8 UID FETCH 1 (BODY[])",
        b"A9 UID FETCH 1 (RFC822)",
        b"B1 FETCH 2 (RFC822.TEXT)",
    ],
)
def test_the_wire_refuses_whatever_could_change_the_mailbox(line):
    with pytest.raises(imap.ReadOnlyViolation):
        imap.refuse_writes(line)


@pytest.mark.parametrize(
    "line",
    [
        b'A1 EXAMINE "INBOX"',
        b"A2 UID SEARCH UID 5:* SINCE 1-Jan-2030",
        b"A3 UID FETCH 5,6 (INTERNALDATE RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (FROM)])",
        b"A4 UID FETCH 5 (BODY.PEEK[1.2]<0.32768>)",
        b"A5 LOGOUT",
    ],
)
def test_the_wire_lets_reading_through(line):
    imap.refuse_writes(line)


def verdict(text: str, subject: str = "", sent: datetime.datetime | None = None):
    class Message:
        pass

    message = Message()
    message.subject, message.text, message.calendar = subject, text, b""
    message.sent_at = sent or datetime.datetime(2030, 12, 20, 9, tzinfo=datetime.UTC)
    return rules.classify(message, datetime.UTC)


def test_a_deadline_without_a_year_is_the_next_such_day():
    found = verdict("We are delighted to offer you the role. Please reply by 3 January.")
    assert found.kind == "offer" and found.deadline == datetime.date(2031, 1, 3)


def test_business_days_skip_the_weekend():
    friday = datetime.datetime(2030, 12, 20, 9, tzinfo=datetime.UTC)
    found = verdict("We'd like to extend an offer. Reply within 2 business days.", sent=friday)
    assert found.deadline == datetime.date(2030, 12, 24)


def test_a_reply_is_judged_by_its_own_words():
    text = "Thanks, see you then!\n\nOn Mon, Sam wrote:\n> We would like to invite you to an interview."
    assert verdict(text) is None


def test_a_conditional_invitation_is_not_one():
    assert verdict("If your profile matches, we will invite you to an interview.") is None


def test_the_deciding_phrase_is_named():
    found = verdict("Sadly, we won't be moving forward with your application.")
    assert (found.kind, found.phrase) == ("rejection", "n't be moving forward")


def test_shared_senders_never_stand_for_an_employer():
    assert employer_host("https://boards.greenhouse.io/acme/jobs/1") == ""
    assert employer_host("https://careers.acme.example/jobs/1") == "acme.example"
    assert employer_domain("recruiter@gmail.com") == ""
    assert employer_domain("no-reply@us.greenhouse-mail.io") == ""
    assert employer_domain("priya@acme.example") == "acme.example"
