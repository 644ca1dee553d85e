"""Every message Bridges writes reads as a careful person wrote it, whatever the user typed:
legal suffixes, honorifics in several languages, a surname alone, “Last, First”, lower case,
no display name, a title that already says “role”, names in Chinese."""

import datetime
import difflib
import itertools
import re

import pytest

from messaging.catalogue import REASON_SENTENCES, STOPPING, Kind, Tone
from messaging.compose import Choices, Facts, compose
from messaging.courtesy import Context, check
from tests.clock import anchor

TUESDAY = anchor() + datetime.timedelta(days=1, hours=4)

# (facts, formal greeting, warm greeting, signature)
AWKWARD = [
    (
        Facts("Northwind Traders Inc.", "Product Designer role", "Sam Rivera", "Dr. Priya Nair",
              TUESDAY, "+44 20 7946 0000"),
        "Dear Dr. Nair,", "Hi Priya,", "Sam Rivera",
    ),
    (
        Facts("Harbor & Finch Co.", "Data Analyst position", "lucía peña", "Sra. Lucía Peña"),
        "Dear Ms. Peña,", "Hi Lucía,", "Lucía Peña",
    ),
    (Facts("Acme GmbH", "Backend Engineer", "Sam Rivera", "Okafor", TUESDAY),
     "Dear Okafor,", "Dear Okafor,", "Sam Rivera"),
    (Facts("Globex S.A.", "QA Lead", "", "Nair, Priya"), "Dear Priya Nair,", "Hi Priya,", ""),
    (Facts("Initech LLC", "Site Reliability Engineer", "sam o'brien", "priya nair"),
     "Dear Priya Nair,", "Hi Priya,", "Sam O'Brien"),
    (Facts("腾讯", "产品经理", "王伟", "李娜", TUESDAY), "Dear 李娜,", "Dear 李娜,", "王伟"),
    (Facts("Contoso Ltd.", "Engineering Manager role", "Sam Rivera", "Herr Dr. Klaus Becker"),
     "Dear Dr. Becker,", "Hi Klaus,", "Sam Rivera"),
    (Facts("Fabrikam", "Designer", "Sam Rivera", "Mme Claire Dubois", None, "555 0100"),
     "Dear Ms. Dubois,", "Hi Claire,", "Sam Rivera"),
    (Facts("Harbor & Finch Co.", "Backend Engineer", "Sam Rivera"),
     "Dear Harbor & Finch hiring team,", "Hello Harbor & Finch team,", "Sam Rivera"),
]  # fmt: skip
LIKED = ["", "Your mentoring programme."]
OPTIONS = list(itertools.product([True, False], repeat=3))
# Phrases a reader notices when they come twice in one message.
ONCE = (
    "look forward", "looking forward", "in touch", "cross paths", "careful", "again", "also",
    "glad", "happy", "would welcome", "delighted", "should", "appeal",
)  # fmt: skip
EMAILISH = re.compile(
    r"\b(writ(e|ing)|e-?mail|this note|call later|quick call|short call|a call|hop on)\b", re.I
)
_I = re.compile(r"^I('m|'ve|'d|'ll)?\b")


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def problems(message, facts: Facts, choices: Choices, greetings, signature) -> list[str]:
    found = []
    texts = [message.subject, message.body, message.voicemail, *message.call_script]
    everything = "\n".join(texts)
    if re.search(r"(?<!\.)\.\.(?!\.)", everything):
        found.append("a doubled full stop")
    doubled = re.search(r"\b(\w+) \1\b", everything, re.IGNORECASE)
    if doubled:
        found.append(f"a doubled word: {doubled[0]!r}")
    if re.search(r"\s[,.;:]|  |,,| ,|this is ,|it's ,", everything):
        found.append("broken spacing or an empty name")
    if re.search(r"\b(by|about|to|for|of) (Your|The|Their)\b", everything):
        found.append("a capital mid-sentence")
    first_line = message.body.splitlines()[0]
    if first_line not in greetings:
        found.append(f"greeting {first_line!r}, expected one of {greetings}")
    last = message.body.split("\n\n")[-1]
    if signature and not last.endswith(f"\n{signature}"):
        found.append(f"signature {last!r}")
    if not signature and "\n" in last:
        found.append(f"an empty or stray signature {last!r}")
    lowered = message.body.lower()
    for phrase in ONCE:
        if lowered.count(phrase) > 1:
            found.append(f"{phrase!r} twice")
    if lowered.count("thank") > 1 + ("thank" in message.body.split("\n\n")[-1].lower()):
        found.append("thanks twice")
    starts = [bool(_I.match(s)) for s in sentences("\n".join(message.body.split("\n\n")[1:-1]))]
    if any(all(starts[i : i + 3]) for i in range(max(0, len(starts) - 2))):
        found.append("three sentences in a row start with “I”")
    script = " ".join(message.call_script)
    if EMAILISH.search(script):
        found.append(f"an emailish call script: {EMAILISH.search(script)[0]!r}")
    if (
        "good moment" not in script
        and "two minutes" not in script
        and "couple of minutes" not in script
    ):
        found.append("the call does not ask whether it is a good moment")
    words = len(message.voicemail.split())
    if words > 75:
        found.append(f"a voicemail of {words} words")
    if signature and signature not in message.voicemail:
        found.append("the voicemail does not say who is calling")
    if facts.your_phone and facts.your_phone not in message.voicemail:
        found.append("no callback number")
    if not facts.your_phone and "email as well" not in message.voicemail:
        found.append("no word of an email to come")
    if (
        choices.kind in (Kind.DECLINE_OFFER, Kind.ACCEPT_OFFER)
        and "for the offer" not in message.voicemail
    ):
        found.append("the voicemail does not thank them for the offer")
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("facts", "formal", "warm", "signature"), AWKWARD)
def test_every_message_reads_well_with_awkward_real_world_facts(facts, formal, warm, signature):
    failures = []
    for kind, reason, tone, (door, referral, call), liked in itertools.product(
        Kind, REASON_SENTENCES, Tone, OPTIONS, LIKED
    ):
        choices = Choices(kind, tone, reason, door, referral, call, liked)
        message = compose(facts, choices)
        greetings = (formal,) if tone == Tone.FORMAL else (warm,)
        found = problems(message, facts, choices, greetings, signature)
        findings = check(
            message.subject, message.body, Context(kind, facts.company, facts.job_title)
        )
        found += [f"courtesy: {f.name}: {f.explanation}" for f in findings if not f.ok]
        if found:
            failures.append((choices, found, message.body))
    assert not failures, f"{len(failures)} bad messages; the first: {failures[0]}"


def _masked(message, facts: Facts) -> str:
    text = f"{message.subject}\n{message.body}"
    for value in (facts.company, facts.job_title, facts.contact_name, facts.your_name):
        text = text.replace(value, "X")
    return re.sub(r"\bX( X)*\b", "X", text)


def test_five_declines_in_a_week_read_differently():
    week = [
        Facts("Acme Robotics", "Backend Engineer", "Sam Rivera", "Priya Nair"),
        Facts("Globex", "Platform Engineer", "Sam Rivera", "Tom Baker"),
        Facts("Initech", "Data Engineer", "Sam Rivera", "Ana Silva"),
        Facts("Umbrella Health", "Software Engineer", "Sam Rivera", "Lee Chen"),
        Facts("Stark Industries", "DevOps Engineer", "Sam Rivera", "Maya Cohen"),
    ]
    for tone in Tone:
        choices = Choices(Kind.DECLINE_INTERVIEW, tone, "other_offer")
        messages = [compose(facts, choices) for facts in week]
        texts = [_masked(m, f) for m, f in zip(messages, week, strict=True)]
        ratios = [
            difflib.SequenceMatcher(None, a, b).ratio() for a, b in itertools.combinations(texts, 2)
        ]
        assert max(ratios) < 0.95, f"two declines are near copies ({max(ratios):.2f})"
        assert sum(ratios) / len(ratios) < 0.8, f"{ratios}"
        subjects = {_masked(m, f).splitlines()[0] for m, f in zip(messages, week, strict=True)}
        assert len(subjects) >= 2, "the subjects vary too"


def test_the_same_application_always_gets_the_same_wording():
    facts = Facts("Acme Robotics", "Backend Engineer", "Sam Rivera", "Priya Nair")
    choices = Choices(Kind.WITHDRAW, Tone.WARM, "location")
    assert compose(facts, choices) == compose(facts, choices)


def test_an_offer_decline_never_questions_skills():
    facts = Facts("Acme", "Backend Engineer", "Sam Rivera", "Priya Nair")
    for tone in Tone:
        for company in ("Acme", "Globex", "Initech", "Umbrella"):
            body = compose(
                Facts(company, facts.job_title, facts.your_name),
                Choices(Kind.DECLINE_OFFER, tone, "not_a_fit"),
            ).body
            assert "skills" not in body


def test_a_later_interview_offers_the_times_the_user_typed():
    facts = Facts("Acme", "Backend Engineer", "Sam Rivera", "Priya Nair", TUESDAY)
    choices = Choices(Kind.DEFER_INTERVIEW, times="Thursday 10:00\nFriday 14:00; Monday 9:30")
    message = compose(facts, choices)
    assert "Thursday 10:00, Friday 14:00 or Monday 9:30" in message.body
    assert "Thursday 10:00, Friday 14:00 or Monday 9:30" in " ".join(message.call_script)


def test_an_acceptance_confirms_the_start_date_and_next_steps():
    facts = Facts("Acme", "Backend Engineer", "Sam Rivera", "Priya Nair")
    choices = Choices(
        Kind.ACCEPT_OFFER, start_date="Monday 6 April", next_steps="signing the contract"
    )
    body = compose(facts, choices).body
    assert "Monday 6 April" in body and "signing the contract" in body
    assert (
        "looking forward to the team's"
        not in compose(
            facts, Choices(Kind.ACCEPT_OFFER, liked="the team's focus on accessibility")
        ).body.lower()
    )


def test_a_voicemail_gives_a_number_to_call_back():
    facts = Facts("Acme", "Backend Engineer", "Sam Rivera", "Priya Nair", None, "+1 555 0100")
    voicemail = compose(facts, Choices(Kind.WITHDRAW, reason="location")).voicemail
    assert "+1 555 0100" in voicemail and "Sam Rivera" in voicemail
    assert "location" in voicemail, "it follows the reason chosen"
    without = compose(Facts("Acme", "Backend Engineer", "Sam Rivera"), Choices(Kind.WITHDRAW))
    assert "I'll send you an email as well" in without.voicemail


def test_a_call_script_is_spoken_not_read_out():
    facts = Facts("Acme", "Backend Engineer", "Sam Rivera", "Priya Nair")
    script = compose(facts, Choices(Kind.WITHDRAW, propose_later_call=True)).call_script
    said = " ".join(script)
    assert "Sam Rivera" in script[0] and "Backend Engineer" in script[0]
    assert "good moment" in said or "minutes" in said
    assert not EMAILISH.search(said)
    assert any(point.startswith("If they ask why") for point in script)


def test_without_a_display_name_nothing_is_left_empty():
    facts = Facts("Acme", "Backend Engineer", "", "Priya Nair")
    message = compose(facts, Choices(Kind.WITHDRAW))
    assert message.body.endswith("Kind regards,") or message.body.rstrip()[-1] == ","
    assert "this is ," not in message.voicemail and ",  " not in message.voicemail
    assert "I'm calling about" in message.voicemail


@pytest.mark.parametrize("kind", STOPPING)
def test_a_reason_is_given_once(kind):
    facts = Facts("Acme", "Backend Engineer", "Sam Rivera", "Priya Nair")
    body = compose(facts, Choices(kind, reason="not_a_fit")).body
    assert body.lower().count("careful") <= 1


@pytest.mark.parametrize(
    ("typed", "formal", "warm"),
    [
        ("Dr. Priya Nair", "Dr. Nair", "Priya"),
        ("Nair, Priya", "Priya Nair", "Priya"),
        ("Sra. Lucía Peña", "Ms. Peña", "Lucía"),
        ("Herr Dr. Klaus Becker", "Dr. Becker", "Klaus"),
        ("M. Jean Dupont", "Mr. Dupont", "Jean"),
        ("Sir John Smith", "Sir John", "John"),
        ("Mr. Jan van der Berg", "Mr. van der Berg", "Jan"),
        ("anne-marie o'brien", "Anne-Marie O'Brien", "Anne-Marie"),
        ("Okafor", "Okafor", "Okafor"),
        ("Ms Nair", "Ms. Nair", "Ms. Nair"),
        ("李娜", "李娜", "李娜"),
    ],
)
def test_names_are_read_as_people_write_them(typed, formal, warm):
    from messaging.facts import read_name

    name = read_name(typed)
    assert (name.formal, name.warm) == (formal, warm)
