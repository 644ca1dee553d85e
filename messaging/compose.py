"""Writes a message from the wording table: an email, a call script and a voicemail.

Every sentence comes from `messaging.wording` (kind × part × tone × variants), filled in with
`placeholders.substitute` from facts tidied by `messaging.facts`; nothing here runs a template
engine on anybody's words. Each email follows one order: thanks, the decision stated plainly,
a brief reason, something positive, the door left open, an offer of help, a warm short close.
A call script is what a person says on the phone, and a voicemail is under 75 words.
"""

import datetime
import functools
import hashlib
import re
from dataclasses import dataclass, field

from messaging import facts as tidy
from messaging import wording as say
from messaging.catalogue import STOPPING, Kind, Tone
from messaging.placeholders import substitute

# The messages that can leave the door open or offer a referral: those that step away.
_STEPPING_AWAY = (*STOPPING, Kind.THANK_YOU_AFTER_DECLINE)

FORMAL, WARM = Tone.FORMAL, Tone.WARM
VOICEMAIL_WORDS = 75
_I_WORDS = ("I ", "I'm ", "I've ", "I'd ", "I'll ")


@dataclass(frozen=True)
class Facts:
    """What the message is about, taken from the application and its owner."""

    company: str
    job_title: str
    your_name: str
    contact_name: str = ""
    interview_at: datetime.datetime | None = None  # already in the user's time zone
    your_phone: str = ""

    @property
    def contact(self) -> tidy.Name:
        return tidy.read_name(self.contact_name)

    @property
    def contact_first_name(self) -> str:
        return self.contact.first

    @property
    def interview_date(self) -> str:
        if not self.interview_at:
            return ""
        return f"{self.interview_at:%A} {self.interview_at.day} {self.interview_at:%B}"


@dataclass(frozen=True)
class Choices:
    """What the candidate picked: the kind, a reason, a tone and the options."""

    kind: str
    tone: str = Tone.FORMAL
    reason: str = ""
    keep_door_open: bool = True
    offer_referral: bool = False
    propose_later_call: bool = False
    liked: str = ""
    times: str = ""  # a later interview: up to three times, one a line
    start_date: str = ""  # an acceptance: the start date agreed
    next_steps: str = ""  # an acceptance: what happens next


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    call_script: list[str] = field(default_factory=list)
    voicemail: str = ""


def greeting(facts: Facts, tone: str) -> str:
    """“Dear Dr. Nair,” / “Hi Priya,”; the team when there is no contact."""
    name = facts.contact
    if name.known:
        return f"Dear {name.formal}," if tone == FORMAL or not name.first else f"Hi {name.first},"
    team = tidy.without_legal_suffix(facts.company)
    return f"Dear {team} hiring team," if tone == FORMAL else f"Hello {team} team,"


def _values(facts: Facts, choices: Choices) -> dict[str, str]:
    date = facts.interview_date
    liked = tidy.liked(choices.liked)
    company = tidy.company(facts.company)
    title = tidy.job_title(facts.job_title)
    return {
        "company": company,
        "title": title,
        "role": f"the {title} role at {company}",
        "on": f" on {date}" if date else "",
        "at_time": f" on {date}" if date else " at the proposed time",
        "conv": f" and our conversation on {date}" if date else "",
        "you": "you and the team have" if facts.contact.known else "you have",
        "liked": liked,
        "Liked": liked[:1].upper() + liked[1:],
        "times": tidy.short_list(tidy.times(choices.times)),
        "start": " ".join(choices.start_date.split()).rstrip("."),
        "steps": " ".join(choices.next_steps.split()).rstrip("."),
        "name": tidy.person(facts.your_name),
        "phone": tidy.phone(facts.your_phone),
    }


class _Writer:
    """Picks one variant per part: from a hash of the facts, skipping any that would repeat a
    phrase already used or make a third sentence in a row start with “I”."""

    def __init__(self, facts: Facts, choices: Choices):
        self.seed = f"{facts.company.lower()}|{facts.job_title.lower()}|{choices.kind}"
        self.values = _values(facts, choices)
        self.used: set[str] = set()
        self.i_run = 0

    def fill(self, text: str) -> str:
        return substitute(text, self.values, say.KNOWN)

    def pick(self, part: str, variants: tuple[str, ...], note: bool = True) -> str:
        # A digest, not a CRC: a CRC's low bits move together across parts for seeds of one
        # length, which would give two applications the same wording throughout.
        digest = hashlib.blake2b(f"{self.seed}|{part}".encode(), digest_size=4).digest()
        start = int.from_bytes(digest) % len(variants)
        ordered = variants[start:] + variants[:start]

        def cost(template: str) -> int:
            motifs, starts_with_i, _ = _shape(template)
            return 2 * len(motifs & self.used) + (starts_with_i and self.i_run >= 2)

        chosen = min(ordered, key=cost)  # min keeps the first of equals: the hashed one
        if note:
            motifs, _, starts = _shape(chosen)
            self.used |= motifs
            for starts_with_i in starts:
                self.i_run = self.i_run + 1 if starts_with_i else 0
        return self.fill(chosen)


@functools.lru_cache(maxsize=1024)
def _shape(template: str) -> tuple[frozenset, bool, tuple[bool, ...]]:
    """What the repeat guard needs of a variant, read once from its wording (the facts that
    fill it in do not change it): its motifs, and which of its sentences start with “I”."""
    lowered = template.lower()
    starts = tuple(s.startswith(_I_WORDS) for s in _sentences(template))
    return frozenset(m for m in say.MOTIFS if m in lowered), bool(starts and starts[0]), starts


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _reason_variants(kind: str, reason: str, tone: str) -> tuple[str, ...]:
    table = (
        say.OFFER_REASONS
        if kind == Kind.DECLINE_OFFER and reason in say.OFFER_REASONS
        else say.REASONS
    )
    return table.get(reason, {}).get(tone, ())


def _later_call(kind: str) -> dict:
    return say.LATER_CALL.get(kind, say.LATER_CALL[None])


# --- The email ------------------------------------------------------------------------------


def _email(facts: Facts, choices: Choices, w: _Writer) -> tuple[str, str, dict]:
    kind, t = choices.kind, choices.tone
    v = w.values
    parts: dict[str, str] = {}
    subject = w.pick("subject", say.SUBJECT[kind][t], note=False)
    opening = [w.pick("thanks", say.THANKS[kind][t])]
    parts["thanks"] = opening[0]
    decision = w.pick("decision", say.DECISION[kind][t]) if say.DECISION[kind][t][0] else ""
    parts["decision"] = decision
    opening.append(decision)
    if kind == Kind.DEFER_INTERVIEW:
        opening.append(
            w.pick("times", say.TIMES[t]) if v["times"] else w.pick("flex", say.FLEXIBLE[t])
        )
        parts["times"] = opening[-1] if v["times"] else ""
    if kind == Kind.ACCEPT_OFFER:
        if v["start"]:
            opening.append(w.pick("start", say.START[t]))
        if v["steps"]:
            opening.append(w.pick("steps", say.STEPS[t]))
        if not v["start"] and not v["steps"]:
            opening.append(w.pick("details", say.NO_DETAILS[t]))
    variants = _reason_variants(kind, choices.reason, t) if kind in STOPPING else ()
    reason = w.pick("reason", variants) if variants else ""
    liked = w.pick("liked", say.LIKED[kind][t]) if v["liked"] else ""
    parts["reason"], parts["liked"] = reason, liked
    offers = []
    if kind in STOPPING and choices.keep_door_open:
        offers.append(w.pick("door", say.DOOR[t]))
    if kind == Kind.THANK_YOU_AFTER_DECLINE and choices.keep_door_open:
        offers.append(w.pick("door", say.DOOR_AFTER_DECLINE[t]))
    if kind in _STEPPING_AWAY and choices.offer_referral:
        offers.append(w.pick("referral", say.REFERRAL[t]))
    if choices.propose_later_call:
        offers.append(w.pick("call", _later_call(kind)[t]))
    close = w.pick("close", say.CLOSE["stopping" if kind in STOPPING else kind][t])
    sign_off = w.pick("sign_off", say.SIGN_OFF[t])
    signature = f"{sign_off}\n{v['name']}" if v["name"] else sign_off
    paragraphs = [
        greeting(facts, t),
        " ".join(filter(None, opening)),
        " ".join(filter(None, [reason, liked])),
        " ".join(offers),
        close,
        signature,
    ]
    body = "\n\n".join(p for p in paragraphs if p)
    return tidy.tidy_stops(subject), tidy.tidy_stops(body), parts


# --- Spoken ---------------------------------------------------------------------------------


def _call_script(facts: Facts, choices: Choices, w: _Writer, parts: dict) -> list[str]:
    """What the caller says, in order: who and what about, is it a good moment, the
    decision, the reason if chosen, the thanks, what to say if they ask why, the close."""
    kind, t, v = choices.kind, choices.tone, w.values
    contact = facts.contact
    hello = (
        f" {contact.first if t == WARM and contact.first else contact.formal}"
        if contact.known
        else ""
    )
    spoken = _Writer(facts, choices)  # its own repeat guard: speech is not the email
    spoken.values["contact"] = hello
    intro = spoken.pick("intro", say.SPOKEN_INTRO[t] if v["name"] else say.SPOKEN_INTRO[""])
    points = [f"Introduce yourself: “{intro}”"]
    moment = spoken.pick("moment", say.SPOKEN_MOMENT[t])
    points.append(f"Check it suits them: “{moment}” If not, ask when would be better.")
    decision = spoken.pick("decision", say.SPOKEN_DECISION[kind][t])
    label = (
        "Say your decision plainly"
        if kind in STOPPING or kind == Kind.ACCEPT_OFFER
        else "Say why you are calling"
    )
    points.append(f"{label}: “{decision}”")
    if kind == Kind.DEFER_INTERVIEW and v["times"]:
        points.append(f"Offer times: “I could do {v['times']}.”")
    if kind == Kind.ACCEPT_OFFER and v["start"]:
        points.append(f"Confirm the start: “I can start on {v['start']}.”")
    if parts["reason"]:
        points.append(f"Give your reason in one sentence: “{parts['reason']}”")
    thanks_key = kind if kind in say.SPOKEN_THANKS else "stopping" if kind in STOPPING else None
    thanks = spoken.pick("thanks", say.SPOKEN_THANKS[thanks_key][t])
    if parts["liked"]:
        thanks = f"{thanks} {parts['liked']}"
    points.append(f"Thank them: “{thanks}”")
    if kind in STOPPING:
        why = say.SPOKEN_WHY["given" if parts["reason"] else ""]
        points.append(f"If they ask why: “{why}”")
    elif kind == Kind.DEFER_INTERVIEW:
        points.append(f"If they ask why: “{say.SPOKEN_WHY[kind]}”")
    points.extend(f"Offer: “{offer}”" for offer in _ticked(choices, say.SPOKEN_OPTIONS))
    close_key = "stopping" if kind in STOPPING else kind if kind in say.SPOKEN_CLOSE else None
    points.append(f"Close: “{say.SPOKEN_CLOSE[close_key][t]}”")
    return [tidy.tidy_stops(point) for point in points]


def _ticked(choices: Choices, options: dict[str, str]) -> list[str]:
    """The options the user ticked that fit this kind, in the order they are said (the door,
    a referral, a call), worded from `options` (the call script's or the voicemail's)."""
    kind, said = choices.kind, []
    if choices.keep_door_open and kind in _STEPPING_AWAY:
        said.append(options["door"])
    if choices.offer_referral and kind in _STEPPING_AWAY:
        said.append(options["referral"])
    if choices.propose_later_call and kind in options:
        said.append(options[kind])
    return said


def _voicemail(facts: Facts, choices: Choices, w: _Writer) -> str:
    """Under 75 words: who, what about, the point, the reason and options if there is room,
    a number to call back (or an email to come), a short goodbye."""
    kind, t, v = choices.kind, choices.tone, w.values
    contact = facts.contact
    if contact.known:
        hello = (
            f"Hi {contact.first}," if t == WARM and contact.first else f"Hello {contact.formal},"
        )
    else:
        hello = "Hello,"
    about = f"calling about the {v['title']} role at {v['company']}."
    if v["name"]:
        who = f"this is {v['name']}, {about}" if t == FORMAL else f"it's {v['name']}, {about}"
    else:
        who = f"I'm {about}"
    point = say.VOICEMAIL_POINT[kind][t]
    needed = [f"{hello} {who}", point]
    if kind not in (Kind.THANK_YOU_INTERVIEW, Kind.THANK_YOU_AFTER_DECLINE, *say.OFFER_KINDS):
        needed.append("Thank you for your time.")
    optional = []  # most wanted first; dropped from the end if the message runs long
    if kind in STOPPING and choices.reason in say.VOICEMAIL_REASON:
        optional.append(say.VOICEMAIL_REASON[choices.reason])
    if kind == Kind.DEFER_INTERVIEW and v["times"]:
        optional.append(f"I could do {v['times']}.")
    if kind == Kind.ACCEPT_OFFER and v["start"]:
        optional.append(f"I can start on {v['start']}.")
    optional.extend(_ticked(choices, say.VOICEMAIL_OPTIONS))
    callback = substitute(say.VOICEMAIL_CALLBACK["phone" if v["phone"] else ""], v, say.KNOWN)
    ending = [callback, say.VOICEMAIL_CLOSE[t]]
    while True:
        text = tidy.tidy_stops(" ".join([*needed, *optional, *ending]))
        if len(text.split()) <= VOICEMAIL_WORDS or not optional:
            return text
        optional.pop()


def compose(facts: Facts, choices: Choices) -> Message:
    writer = _Writer(facts, choices)
    subject, body, parts = _email(facts, choices, writer)
    return Message(
        subject=subject,
        body=body,
        call_script=_call_script(facts, choices, writer, parts),
        voicemail=_voicemail(facts, choices, writer),
    )
