"""Every message Bridges can write is complete, grammatical and passes its own courtesy check."""

import datetime
import itertools
import re

import pytest

from applications.stages import Stage
from messaging.catalogue import REASON_SENTENCES, STAGE_MESSAGES, STOPPING, Kind, Tone
from messaging.compose import Choices, Facts, compose
from messaging.courtesy import Context, check
from tests.clock import anchor

FACTS = [
    Facts(
        "Acme Robotics",
        "Backend Engineer",
        "Sam Rivera",
        "Priya Nair",
        # Tuesday of the suite's week at 14:00 (module level: no fixture, the same anchor).
        anchor() + datetime.timedelta(days=1, hours=4),
    ),
    Facts("Acme Robotics", "Backend Engineer", "Sam Rivera"),  # no contact, no interview date
]
LIKED = ["", "the team's focus on accessibility"]
COMBINATIONS = list(
    itertools.product(
        Kind, REASON_SENTENCES, Tone, [True, False], [True, False], [True, False], LIKED, FACTS
    )
)


def test_the_combinations_cover_the_whole_catalogue():
    assert len(COMBINATIONS) == 8 * 8 * 2 * 2 * 2 * 2 * 2 * 2


def problems(body: str, subject: str, facts: Facts) -> list[str]:
    found = []
    if re.search(r"[{}\[\]<>]", body + subject):
        found.append("a bracket or brace left over")
    if re.search(r"\s[,.;:]|  |\.\.|,,| ,", body):
        found.append("broken spacing or punctuation")
    if re.search(r"\b(Dear|Hi|Hello)\s*,", body):
        found.append("a greeting with no name")
    if "\n\n\n" in body:
        found.append("an empty paragraph")
    paragraphs = body.split("\n\n")
    for paragraph in paragraphs[1:-1]:
        if not paragraph.rstrip().endswith((".", "?", "!")):
            found.append(f"a paragraph that does not end a sentence: {paragraph[-30:]!r}")
    if not paragraphs[-1].endswith(facts.your_name):
        found.append("no signature")
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "reason", "tone", "door", "referral", "call", "liked", "facts"), COMBINATIONS
)
def test_every_message_is_complete_and_passes_the_courtesy_check(
    kind, reason, tone, door, referral, call, liked, facts
):
    choices = Choices(kind, tone, reason, door, referral, call, liked)
    message = compose(facts, choices)
    assert not problems(message.body, message.subject, facts), message.body
    findings = check(message.subject, message.body, Context(kind, facts.company, facts.job_title))
    assert [f for f in findings if not f.ok] == [], message.body
    assert len(message.voicemail.split()) <= 75, "a voicemail is under 30 seconds"


def test_without_a_contact_the_team_is_greeted():
    formal = compose(FACTS[1], Choices(Kind.WITHDRAW, Tone.FORMAL)).body
    warm = compose(FACTS[1], Choices(Kind.WITHDRAW, Tone.WARM)).body
    assert formal.startswith("Dear Acme Robotics hiring team,")
    assert warm.startswith("Hello Acme Robotics team,")


def test_a_warm_message_uses_the_first_name():
    assert compose(FACTS[0], Choices(Kind.FOLLOW_UP, Tone.WARM)).body.startswith("Hi Priya,")


@pytest.mark.parametrize("tone", Tone)
def test_money_is_phrased_as_the_candidates_need_never_the_employers_fault(tone):
    sentence = REASON_SENTENCES["compensation"][tone]
    assert "financial security" in sentence
    for blame in ("low", "pay you offer", "not enough", "below"):
        assert blame not in sentence.lower()


def test_sensitive_reasons_stay_vague():
    assert REASON_SENTENCES["personal"][Tone.FORMAL] == (
        "A change in my personal circumstances means I need to step back."
    )


def test_no_reason_means_no_reason_sentence():
    with_reason = compose(FACTS[0], Choices(Kind.WITHDRAW, reason="location")).body
    without = compose(FACTS[0], Choices(Kind.WITHDRAW, reason="no_reason")).body
    assert "location" in with_reason
    assert len(without) < len(with_reason)


def test_only_stopping_messages_carry_a_reason():
    thanks = compose(FACTS[0], Choices(Kind.THANK_YOU_INTERVIEW, reason="compensation")).body
    assert "financial" not in thanks


def test_the_call_script_follows_the_etiquette_order():
    script = compose(
        FACTS[0],
        Choices(Kind.DECLINE_OFFER, reason="other_offer", offer_referral=True, liked="the team"),
    ).call_script
    labels = [point.split(":")[0] for point in script]
    # Spoken order: who and why, a good moment?, the decision, the reason, the thanks (with
    # what they liked), what to say if asked why, the offers, the close.
    assert labels[:6] == [
        "Introduce yourself",
        "Check it suits them",
        "Say your decision plainly",
        "Give your reason in one sentence",
        "Thank them",
        "If they ask why",
    ]
    assert "the team" in script[4]
    assert labels[-1] == "Close"


def test_the_stage_table_matches_the_etiquette():
    assert STAGE_MESSAGES[Stage.OFFER].fitting[:2] == (Kind.ACCEPT_OFFER, Kind.DECLINE_OFFER)
    assert STAGE_MESSAGES[Stage.SCREENING].fitting[:2] == (
        Kind.DECLINE_INTERVIEW,
        Kind.DEFER_INTERVIEW,
    )
    assert Kind.THANK_YOU_INTERVIEW in STAGE_MESSAGES[Stage.INTERVIEWING].fitting
    assert Kind.WITHDRAW in STAGE_MESSAGES[Stage.INTERVIEWING].fitting
    assert STAGE_MESSAGES[Stage.DECLINED].fitting == (Kind.THANK_YOU_AFTER_DECLINE,)
    assert STAGE_MESSAGES[Stage.WITHDRAWN].fitting == (Kind.THANK_YOU_AFTER_DECLINE,)
    assert Kind.FOLLOW_UP in STAGE_MESSAGES[Stage.APPLIED].fitting
    assert set(STOPPING) == {Kind.DECLINE_INTERVIEW, Kind.WITHDRAW, Kind.DECLINE_OFFER}


def test_a_title_is_not_a_first_name():
    facts = Facts("Acme", "Data Engineer", "Sam Rivera", "Dr. Priya Nair")
    message = compose(facts, Choices(Kind.FOLLOW_UP, Tone.WARM))
    assert message.body.startswith("Hi Priya,")
    assert message.voicemail.startswith("Hi Priya,")
    # A formal greeting is the honorific and the surname.
    assert compose(facts, Choices(Kind.FOLLOW_UP)).body.startswith("Dear Dr. Nair,")


def test_the_subject_of_a_decline_names_the_decision():
    for kind in (Kind.DECLINE_INTERVIEW, Kind.DECLINE_OFFER):
        for tone in Tone:
            assert compose(FACTS[0], Choices(kind, tone)).subject.startswith("Declining")
