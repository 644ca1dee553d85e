"""Writes a message from the catalogue: an email, a call script and a voicemail.

Every sentence is plain text assembled in Python from the application's facts; nothing here
runs a template engine on anybody's words. Each kind follows one order: thanks,
the decision stated plainly, a brief reason, something positive, the door left open, an
offer of help, a warm and short close.
"""

import datetime
from dataclasses import dataclass, field

from messaging.catalogue import STOPPING, Kind, Tone, reason_sentence

F, W = Tone.FORMAL, Tone.WARM
# Honorifics are not first names: “Dr. Priya Nair” is greeted “Hi Priya”.
_TITLES = {"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "sir", "dame"}


@dataclass(frozen=True)
class Facts:
    """What the message is about, taken from the application and its owner."""

    company: str
    job_title: str
    your_name: str
    contact_name: str = ""
    interview_at: datetime.datetime | None = None  # already in the user's time zone

    @property
    def contact_first_name(self) -> str:
        words = [w for w in self.contact_name.split() if w.lower().rstrip(".") not in _TITLES]
        return words[0] if words else ""

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


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    call_script: list[str] = field(default_factory=list)
    voicemail: str = ""


def greeting(facts: Facts, tone: str) -> str:
    if facts.contact_name.strip():
        return (
            f"Dear {facts.contact_name.strip()},"
            if tone == F
            else f"Hi {facts.contact_first_name},"
        )
    return f"Dear {facts.company} hiring team," if tone == F else f"Hello {facts.company} team,"


def _on(facts: Facts) -> str:
    return f" on {facts.interview_date}" if facts.interview_date else ""


def _you(facts: Facts) -> str:
    """Who gave their time: a named contact and their team, or the team being addressed."""
    return "you and the team have" if facts.contact_name.strip() else "you have"


def _pick(tone: str, formal: str, warm: str) -> str:
    return formal if tone == F else warm


# --- The parts of each kind ----------------------------------------------------------------


def _subject(kind: str, t: str, facts: Facts) -> str:
    role = facts.job_title
    return {
        Kind.DECLINE_INTERVIEW: _pick(
            t,
            f"Declining the interview for the {role} role",
            f"Declining the {role} interview",
        ),
        Kind.DEFER_INTERVIEW: _pick(
            t,
            f"Rescheduling the {role} interview",
            f"Could we find another time for the {role} interview?",
        ),
        Kind.WITHDRAW: _pick(
            t,
            f"Withdrawing my application for the {role} role",
            f"Withdrawing from the {role} process",
        ),
        Kind.THANK_YOU_INTERVIEW: _pick(
            t,
            f"Thank you for the {role} interview",
            f"Thanks for the conversation about the {role} role",
        ),
        Kind.THANK_YOU_AFTER_DECLINE: _pick(
            t, f"Thank you for the {role} process", f"Thanks again for the {role} process"
        ),
        Kind.FOLLOW_UP: _pick(
            t,
            f"Following up on my application for the {role} role",
            f"Checking in on the {role} role",
        ),
        Kind.DECLINE_OFFER: _pick(
            t, f"Declining the offer for the {role} role", f"Declining the {role} offer"
        ),
        Kind.ACCEPT_OFFER: _pick(
            t, f"Accepting your offer for the {role} role", f"Happily accepting the {role} offer"
        ),
    }[kind]


def _opening(kind: str, t: str, facts: Facts) -> list[str]:
    """The thanks, then the decision (or the point of the message), in plain words."""
    role = f"the {facts.job_title} role at {facts.company}"
    on = _on(facts)
    return {
        Kind.DECLINE_INTERVIEW: [
            _pick(
                t,
                f"Thank you for inviting me to interview for {role}{on}, and for the time you "
                "have spent on my application.",
                f"Thank you so much for inviting me to interview for {role}{on}, and for the "
                "time you've given my application.",
            ),
            _pick(
                t,
                "I have decided to decline the interview and withdraw my application.",
                "I've decided to decline the interview and withdraw my application.",
            ),
        ],
        Kind.DEFER_INTERVIEW: [
            f"Thank you for inviting me to interview for {role}.",
            _pick(
                t,
                f"I remain very interested, but I am unable to attend{on or ' at the proposed time'}. "
                "Would it be possible to reschedule for a later date? I am glad to fit around "
                "your schedule.",
                f"I'm still very keen, but I can't make it{on or ' at the proposed time'}. "
                "Could we find a later time? I'm happy to fit around your schedule.",
            ),
        ],
        Kind.WITHDRAW: [
            _pick(
                t,
                f"Thank you for the time {_you(facts)} spent with me during the process for {role}.",
                f"Thank you for all the time {_you(facts)} given me during the process for {role}.",
            ),
            _pick(
                t,
                "I am writing to let you know that I have decided to withdraw my application.",
                "I'm writing to let you know that I've decided to withdraw my application.",
            ),
        ],
        Kind.THANK_YOU_INTERVIEW: [
            _pick(
                t,
                f"Thank you for taking the time to speak with me{on} about {role}.",
                f"Thank you for taking the time to talk with me{on} about {role}.",
            ),
            _pick(
                t,
                "I enjoyed our conversation, and it has made me even more interested in joining "
                "the team.",
                "I really enjoyed our conversation, and I'm even more excited about the chance to "
                "join the team.",
            ),
        ],
        Kind.THANK_YOU_AFTER_DECLINE: [
            _pick(
                t,
                f"Thank you once more for considering me for {role}, and for the time you spent "
                "with me during the process.",
                f"Thanks again for considering me for {role}, and for all the time you gave me "
                "during the process.",
            ),
        ],
        Kind.FOLLOW_UP: [
            _pick(
                t,
                f"I hope you are well. I am writing to follow up on my application for {role}"
                f"{' and our conversation' + on if on else ''}.",
                f"I hope you're doing well. I wanted to follow up on my application for {role}"
                f"{' and our conversation' + on if on else ''}.",
            ),
            _pick(
                t,
                "I remain very interested in the role and would be grateful for any update on "
                "the next steps or your timeline.",
                "I'm still very interested in the role and would be grateful for any news on next "
                "steps or timing.",
            ),
        ],
        Kind.DECLINE_OFFER: [
            _pick(
                t,
                f"Thank you very much for offering me {role}, and for the time and care you put "
                "into the process.",
                f"Thank you so much for offering me {role}, and for all the care you put into the "
                "process.",
            ),
            _pick(
                t,
                "After careful consideration, I have decided to decline the offer.",
                "After a lot of thought, I've decided to decline the offer.",
            ),
        ],
        Kind.ACCEPT_OFFER: [
            f"Thank you for offering me {role}.",
            _pick(t, "I am delighted to accept the offer.", "I'm delighted to accept the offer."),
            _pick(
                t,
                "I look forward to receiving the written offer and confirming my start date. "
                "Please let me know anything else you need from me.",
                "I look forward to getting the written offer and settling my start date. Just let "
                "me know anything else you need from me.",
            ),
        ],
    }[kind]


_LIKED = {
    Kind.DECLINE_INTERVIEW: (
        "I was genuinely impressed by {liked}.",
        "I was really impressed by {liked}.",
    ),
    Kind.DEFER_INTERVIEW: (
        "I am looking forward to learning more about {liked}.",
        "I'm looking forward to hearing more about {liked}.",
    ),
    Kind.WITHDRAW: (
        "I have enjoyed learning about {liked}.",
        "I really enjoyed learning about {liked}.",
    ),
    Kind.THANK_YOU_INTERVIEW: (
        "I particularly appreciated hearing about {liked}.",
        "I especially enjoyed hearing about {liked}.",
    ),
    Kind.THANK_YOU_AFTER_DECLINE: (
        "I came away with real respect for {liked}.",
        "I came away with a lot of respect for {liked}.",
    ),
    Kind.FOLLOW_UP: ("I am especially drawn to {liked}.", "I'm especially drawn to {liked}."),
    Kind.DECLINE_OFFER: (
        "I was genuinely impressed by {liked}.",
        "I was really impressed by {liked}.",
    ),
    Kind.ACCEPT_OFFER: (
        "I am especially looking forward to {liked}.",
        "I'm especially looking forward to {liked}.",
    ),
}


def _liked(kind: str, t: str, liked: str) -> str:
    liked = liked.strip().rstrip(".!")
    if not liked:
        return ""
    formal, warm = _LIKED[kind]
    return _pick(t, formal, warm).replace("{liked}", liked)


def _offers(kind: str, t: str, choices: Choices) -> list[str]:
    """The door left open and the help offered, where the kind allows them."""
    parts = []
    if kind in STOPPING and choices.keep_door_open:
        parts.append(
            _pick(
                t,
                "I hope our paths cross again, and I would be glad to be considered for future "
                "openings.",
                "I hope our paths cross again, and I'd love to stay in touch about future openings.",
            )
        )
    if kind == Kind.THANK_YOU_AFTER_DECLINE and choices.keep_door_open:
        parts.append(_pick(t, "I hope we will cross paths again.", "I hope we cross paths again."))
    if kind in (*STOPPING, Kind.THANK_YOU_AFTER_DECLINE) and choices.offer_referral:
        parts.append(
            _pick(
                t,
                "If it would help, I would be happy to suggest someone from my network who may "
                "be a strong fit.",
                "If it helps, I'd be happy to point you to someone in my network who could be a "
                "great fit.",
            )
        )
    if choices.propose_later_call:
        parts.append(
            {
                Kind.DEFER_INTERVIEW: _pick(
                    t,
                    "I would also be happy to have a brief call to find a time that suits you.",
                    "I'm also happy to hop on a quick call to find a time that suits you.",
                ),
                Kind.ACCEPT_OFFER: _pick(
                    t,
                    "I would be glad to have a short call to go over the details.",
                    "I'd be glad to have a quick call to go over the details.",
                ),
                Kind.THANK_YOU_INTERVIEW: _pick(
                    t,
                    "I would be glad to talk again if anything needs a closer look.",
                    "I'd be glad to talk again if anything needs a closer look.",
                ),
                Kind.FOLLOW_UP: _pick(
                    t,
                    "If it is easier, I would be happy to have a quick call.",
                    "If it's easier, I'm happy to have a quick call.",
                ),
            }.get(
                kind,
                _pick(
                    t,
                    "I would also welcome a short call later on to keep in touch.",
                    "I'd also be glad to have a quick call sometime to stay in touch.",
                ),
            )
        )
    return parts


def _closing(kind: str, t: str) -> str:
    if kind in STOPPING:
        return _pick(
            t,
            "Thank you again for your understanding. I wish you and the team every success.",
            "Thanks again for understanding, and all the best to you and the team.",
        )
    return {
        Kind.DEFER_INTERVIEW: _pick(
            t,
            "Thank you for your flexibility. I look forward to hearing from you.",
            "Thanks so much for your flexibility; I look forward to hearing from you.",
        ),
        Kind.THANK_YOU_INTERVIEW: _pick(
            t,
            "Please let me know if I can share anything else. I look forward to hearing about "
            "the next steps.",
            "Let me know if I can share anything else. I look forward to hearing about next steps.",
        ),
        Kind.THANK_YOU_AFTER_DECLINE: _pick(
            t,
            "I wish you and the team every success.",
            "I wish you and the team every success.",
        ),
        Kind.FOLLOW_UP: _pick(
            t,
            "Thank you for your time. I look forward to hearing from you.",
            "Thanks for your time; I look forward to hearing from you.",
        ),
        Kind.ACCEPT_OFFER: _pick(
            t,
            "Thank you again. I look forward to joining the team.",
            "Thanks again. I can't wait to get started with the team.",
        ),
    }[kind]


def _sign_off(t: str, facts: Facts) -> str:
    return f"{_pick(t, 'Kind regards,', 'Best wishes,')}\n{facts.your_name}"


# --- The three formats ---------------------------------------------------------------------


def compose(facts: Facts, choices: Choices) -> Message:
    kind, t = choices.kind, choices.tone
    opening = _opening(kind, t, facts)
    reason = reason_sentence(choices.reason, t) if kind in STOPPING else ""
    liked = _liked(kind, t, choices.liked)
    offers = _offers(kind, t, choices)
    paragraphs = [
        greeting(facts, t),
        " ".join(opening),
        " ".join(filter(None, [reason, liked])),
        " ".join(offers),
        _closing(kind, t),
        _sign_off(t, facts),
    ]
    return Message(
        subject=_subject(kind, t, facts),
        body="\n\n".join(p for p in paragraphs if p),
        call_script=_call_script(kind, opening, reason, liked, offers, _closing(kind, t)),
        voicemail=_voicemail(kind, facts),
    )


def _call_script(kind, opening, reason, liked, offers, closing) -> list[str]:
    """Talking points for a phone call, in the order of the email."""
    first, *decision = opening
    opener = "Thank them" if "thank" in first.lower() else "Open politely"
    points = [f"{opener}: “{first}”"]
    if decision:
        label = (
            "Say your decision plainly"
            if kind in STOPPING or kind == Kind.ACCEPT_OFFER
            else "Say why you are calling"
        )
        points.append(f"{label}: “{' '.join(decision)}”")
    if reason:
        points.append(f"Give your reason in one sentence: “{reason}”")
    if liked:
        points.append(f"Say what you liked: “{liked}”")
    points.extend(f"Offer: “{offer}”" for offer in offers)
    points.append(f"Close warmly and briefly: “{closing}”")
    if kind in STOPPING:
        points.append(
            "If they ask for more, keep it short and positive: you owe them clarity, not a long "
            "explanation."
        )
    return points


_VOICEMAIL_POINT = {
    Kind.DECLINE_INTERVIEW: "I'm calling to let you know that I've decided to decline the "
    "interview and withdraw my application.",
    Kind.DEFER_INTERVIEW: "I'm still very interested, and I'd like to ask whether we could move "
    "the interview to a later date.",
    Kind.WITHDRAW: "I'm calling to let you know that I've decided to withdraw my application.",
    Kind.THANK_YOU_INTERVIEW: "I wanted to thank you for the interview; I enjoyed our "
    "conversation and I'm very interested in the role.",
    Kind.THANK_YOU_AFTER_DECLINE: "I just wanted to thank you again for considering me and for "
    "your time during the process.",
    Kind.FOLLOW_UP: "I'm following up on my application and would be grateful for any update.",
    Kind.DECLINE_OFFER: "I'm calling about your offer: after careful thought, I've decided to "
    "decline it.",
    Kind.ACCEPT_OFFER: "I'm delighted to say that I accept your offer.",
}


def _voicemail(kind: str, facts: Facts) -> str:
    """Under 30 seconds read aloud: who, why, the point, what happens next."""
    hello = f"Hello {facts.contact_first_name}," if facts.contact_first_name else "Hello,"
    thanks = (
        ""
        if kind in (Kind.THANK_YOU_INTERVIEW, Kind.THANK_YOU_AFTER_DECLINE)
        else (" Thank you for your time.")
    )
    return (
        f"{hello} this is {facts.your_name}, calling about the {facts.job_title} role at "
        f"{facts.company}.{thanks} {_VOICEMAIL_POINT[kind]} I'll follow up by email as well. "
        "Thanks again, and have a good day."
    )
