"""The courtesy check catches what a careful reader would."""

import datetime
import zoneinfo

import pytest

from messaging import courtesy
from messaging.catalogue import Kind
from messaging.compose import Choices, Facts, compose
from messaging.courtesy import Context, check

FACTS = Facts("Acme", "Data Engineer", "Sam Rivera", "Priya Nair")
CONTEXT = Context(Kind.WITHDRAW, "Acme", "Data Engineer")
GOOD = compose(FACTS, Choices(Kind.WITHDRAW, reason="location"))


def finding(name: str, body: str, subject: str = GOOD.subject, context=CONTEXT, now=None):
    return next(f for f in check(subject, body, context, now=now) if f.name == name)


def test_it_returns_every_named_finding_for_a_good_message():
    findings = check(GOOD.subject, GOOD.body, CONTEXT)
    assert [f.name for f in findings] == [
        "thanks",
        "decision",
        "brief",
        "no_excuses",
        "not_critical",
        "positive_close",
        "no_placeholders",
        "names",
        "timely",
    ]
    assert all(f.ok for f in findings)


@pytest.mark.parametrize(
    ("name", "body", "says"),
    [
        (
            "thanks",
            GOOD.body.replace("Thank you", "Regarding").replace("Thanks", "So"),
            "Thank them",
        ),
        (
            "decision",
            "Dear Priya,\n\nI might withdraw, not sure yet.\n\nSam",
            "leaves them guessing",
        ),
        (
            "decision",
            "Dear Priya,\n\nThank you for your time.\n\nBest,\nSam",
            "decision in so many words",
        ),
        ("brief", GOOD.body + "\n\n" + "I want to explain everything. " * 40, "stay under 180"),
        (
            "no_excuses",
            GOOD.body + "\n\nI am so sorry, I apologise.",
            "apologies",
        ),
        ("no_excuses", GOOD.body + "\nI feel terrible about this.", "I feel terrible"),
        (
            "not_critical",
            GOOD.body.replace("The location", "Your disorganised process"),
            "disorganised",
        ),
        (
            "positive_close",
            "Dear Priya,\n\nThank you. I withdraw my application.\n\nGoodbye.\n\nSam",
            "End warmly",
        ),
        ("no_placeholders", GOOD.body.replace("Priya Nair", "{contact_name}"), "{contact_name}"),
        ("no_placeholders", GOOD.body.replace("Acme", "[Company Name]"), "[Company Name]"),
        ("no_placeholders", GOOD.body.replace("Priya Nair", "<name>"), "<name>"),
        ("no_placeholders", GOOD.body.replace("Dear Priya Nair,", "Dear ,"), "Dear ,"),
        ("names", GOOD.body.replace("Acme", "Globex"), "does not mention Acme"),
    ],
)
def test_it_warns_with_a_reason_a_user_understands(name, body, says):
    result = finding(name, body, subject="Withdrawing my application")
    assert not result.ok, f"{name} should warn"
    assert says in result.explanation


def test_the_wrong_role_is_caught_in_subject_and_body():
    body = GOOD.body.replace("Data Engineer", "Data Analyst")
    assert not finding("names", body, subject="My application").ok


def test_an_answer_within_the_business_day_is_timely(clock):
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    invited = clock.at(0, 9, 0, tz=paris)  # a Monday morning
    context = Context(Kind.DECLINE_INTERVIEW, "Acme", "Data Engineer", invited, None, paris)
    same_day = finding(
        "timely", GOOD.body, context=context, now=invited + datetime.timedelta(hours=6)
    )
    next_day = finding(
        "timely", GOOD.body, context=context, now=invited + datetime.timedelta(days=1)
    )
    assert same_day.ok and "6 hours since the invitation" in same_day.explanation
    assert not next_day.ok and "same business day" in next_day.explanation


def test_a_friday_evening_invitation_can_wait_for_monday(clock):
    utc = datetime.UTC
    invited = clock.at(4, 19, 0, tz=utc)  # Friday after 18:00
    context = Context(Kind.DEFER_INTERVIEW, "Acme", "Data Engineer", invited, None, utc)
    monday_noon = clock.at(7, 12, 0, tz=utc)
    assert finding("timely", GOOD.body, context=context, now=monday_noon).ok


def test_a_thank_you_more_than_a_day_late_is_flagged_gently(clock):
    held = clock.at(-3, 10, 0, tz=datetime.UTC)
    context = Context(Kind.THANK_YOU_INTERVIEW, "Acme", "Data Engineer", None, held)
    late = finding("timely", GOOD.body, context=context, now=held + datetime.timedelta(hours=50))
    assert not late.ok and "still worth sending" in late.explanation
    week = finding("timely", GOOD.body, context=context, now=held + datetime.timedelta(hours=144))
    assert week.explanation.startswith("6 days after the interview"), "not “144 hours”"


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (1, "under an hour"),
        (25, "25 minutes"),
        (60, "1 hour"),
        (47 * 60, "47 hours"),
        (50 * 60, "2 days"),
        (144 * 60, "6 days"),
    ],
)
def test_spans_read_as_a_person_says_them(minutes, said):
    assert courtesy.elapsed(datetime.timedelta(minutes=minutes)) == said


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("decision", GOOD.body.replace("I hope our paths", "Perhaps our paths")),
        ("decision", "Dear Priya,\n\nThank you. I\u2019ve decided not to proceed.\n\nBest,\nSam"),
        ("not_critical", GOOD.body.replace("The location", "Poor timing on my part: the location")),
        ("not_critical", GOOD.body + "\nThe commute would be terrible for my family."),
        ("no_placeholders", GOOD.body + "\nSam Rivera <sam@example.com>"),
        ("no_placeholders", GOOD.body + "\nMy work: [portfolio](https://sam.example/work)"),
        ("no_placeholders", GOOD.body.replace("Dear Priya Nair,", "Hello,")),
        ("positive_close", GOOD.body + "\n\nP.S. My new number is in my signature."),
    ],
)
def test_it_does_not_cry_wolf(name, body):
    assert finding(name, body).ok, f"{name} warned on a courteous message"


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        (Kind.ACCEPT_OFFER, "Dear Priya,\n\nThank you. I cannot accept it.\n\nBest,\nSam"),
        (Kind.WITHDRAW, "Dear Priya,\n\nThank you. I will not withdraw.\n\nBest,\nSam"),
    ],
)
def test_a_decision_said_the_wrong_way_round_is_caught(kind, body):
    context = Context(kind, "Acme", "Data Engineer")
    assert "reads as the opposite" in finding("decision", body, context=context).explanation


def test_a_judgement_of_their_process_is_caught():
    body = GOOD.body + "\nYour interview process was slow and unclear."
    assert not finding("not_critical", body).ok
