"""What a matched email says, by rules a person can read: each names the phrase that decided.

The kinds are tried in this order, and the first rule that finds its phrase decides:
rejection, offer, invitation (a calendar invitation first, then the words), request for
information, automatic acknowledgement. The order matters: a rejection thanks you for your
interest like an acknowledgement does, an offer asks you to sign like a request does. An
invitation or a request in a conditional sentence ("if your profile fits, we may invite you
to an interview") does not count. Quoted text of earlier messages in a reply is not read.
A message no rule fits is not kept.
"""

import datetime
import re
from dataclasses import dataclass

import icalendar

from applications.models import EndReason
from inbox.deadlines import deadline

REJECTION, OFFER, INVITATION, REQUEST, ACKNOWLEDGEMENT = (
    "rejection",
    "offer",
    "invitation",
    "request",
    "acknowledgement",
)


@dataclass(frozen=True)
class Rule:
    kind: str
    name: str
    pattern: re.Pattern
    conditional_guard: bool = False  # ignored in a conditional sentence
    end_reason: str = ""


def _rule(kind: str, name: str, pattern: str, **options) -> Rule:
    return Rule(kind, name, re.compile(pattern, re.IGNORECASE), **options)


_WHO = r"(?:candidates?|applicants?|profiles?|people|individuals)"
_MEETING = (
    r"(?:interview|call|chat|conversation|meeting|screen(?:ing)?|video call|phone call|"
    r"onsite|on-site|assessment day|coffee)"
)
NOT_SELECTED = EndReason.NOT_SELECTED
POSITION_CLOSED = EndReason.POSITION_CLOSED

RULES = [
    # --- Rejections -------------------------------------------------------------------------
    _rule(
        REJECTION,
        "the role is closed",
        r"\b(?:position|role|vacancy|opening|requisition|job)s? (?:has|have|was|were|is|are) "
        r"(?:now |since |just )?(?:been )?(?:filled|closed|cancell?ed|put on hold|on hold|"
        r"no longer (?:open|available))",
        end_reason=POSITION_CLOSED,
    ),
    _rule(
        REJECTION,
        "the role is closed",
        r"\b(?:closed|cancell?ed|paused|frozen) (?:the|this|our) (?:position|role|vacancy|"
        r"opening|search|hiring)|\bno longer hiring for\b|\bhiring freeze\b",
        end_reason=POSITION_CLOSED,
    ),
    _rule(
        REJECTION,
        "not moving forward",
        r"(?:\bnot|n't|\bno longer) (?:be )?(?:to )?(?:mov(?:e|ing)|go(?:ing)?|proceed(?:ing)?|"
        r"progress(?:ing)?|advanc(?:e|ing)|tak(?:e|ing) (?:it|your application|things)) "
        r"(?:forward|ahead|further)",
        end_reason=NOT_SELECTED,
    ),
    _rule(
        REJECTION,
        "not moving forward",
        r"(?:\bnot|n't) (?:to )?(?:be )?(?:proceed(?:ing)?|continu(?:e|ing)|progress(?:ing)?) "
        r"with your (?:application|candidacy)",
        end_reason=NOT_SELECTED,
    ),
    _rule(
        REJECTION,
        "other candidates chosen",
        rf"\b(?:mov(?:e|ing) forward|proceed(?:ing)?|continu(?:e|ing)|go(?:ing)? ahead) with "
        rf"(?:other|another|a different|(?:a )?more suitable) {_WHO}|"
        rf"\b(?:decided|chosen|chose|opted|elected) to (?:pursue|proceed with|go with|move "
        rf"(?:ahead|forward) with|progress with|focus on) (?:other|another|a different)|"
        rf"\bother {_WHO} (?:whose|who)|\b(?:go(?:ing)?|mov(?:e|ing)|head(?:ing)?) in (?:a|another) "
        rf"(?:different )?direction",
        end_reason=NOT_SELECTED,
    ),
    _rule(
        REJECTION,
        "not successful",
        r"\b(?:has|have|was|were) not been (?:successful|selected|shortlisted)|\bwere(?: not|n't) "
        r"successful|\b(?:was|were|been|is) unsuccessful\b|\bnot (?:been )?selected (?:for|to)\b",
        end_reason=NOT_SELECTED,
    ),
    _rule(
        REJECTION,
        "regret to inform",
        r"\b(?:regret|sorry) to (?:inform|let you know|tell you|say)\b",
        end_reason=NOT_SELECTED,
    ),
    _rule(
        REJECTION,
        "cannot offer",
        r"\b(?:unable|not (?:be )?able|cannot|can't|won't be able) to (?:offer|extend) you\b|"
        r"\b(?:will|would) not be (?:offering|extending) you\b",
        end_reason=NOT_SELECTED,
    ),
    # --- Offers ------------------------------------------------------------------------------
    _rule(
        OFFER,
        "an offer",
        r"\b(?:pleased|delighted|happy|thrilled|excited|glad) to (?:formally )?(?:offer you|"
        r"extend (?:to you )?(?:you )?(?:an|this|the|a formal|a written|our) offer|make you an offer)|"
        r"\bextend(?:ing)? (?:you )?(?:an|a formal|a written|our) (?:job |employment )?offer|"
        r"\boffer of employment\b|\b(?:your|the|an|attached|formal) offer letter\b|"
        r"\boffer you the (?:position|role|job)\b|\bjob offer\b|\bemployment offer\b",
    ),
    # --- Invitations (a calendar invitation is looked at before these) -----------------------
    _rule(
        INVITATION,
        "an invitation",
        rf"\binvit(?:e|ing) you (?:to|for) (?:an? |the |our |a short |a quick )?(?:[\w-]+ ){{0,3}}"
        rf"{_MEETING}|\b(?:invitation|invite) (?:to|for) (?:an? |the )?(?:[\w-]+ ){{0,2}}{_MEETING}|"
        rf"\binterview (?:invitation|invite|request)\b",
        conditional_guard=True,
    ),
    _rule(
        INVITATION,
        "asks to schedule",
        rf"\b(?:like|love|want|keen|happy) to (?:schedule|set up|arrange|book|organi[sz]e|"
        rf"line up) (?:an? |some |the |your )?(?:[\w-]+ ){{0,2}}(?:{_MEETING}|time)|"
        rf"\b(?:schedule|set up|arrange|book) (?:an?|your|the|a time for (?:an?|your|the)) "
        rf"(?:[\w-]+ ){{0,2}}{_MEETING}|\b(?:book|pick|choose|select|find|grab) a (?:time|slot)\b|"
        r"\b(?:calendly\.com|cal\.com|goodtime\.io)/",
        conditional_guard=True,
    ),
    _rule(
        INVITATION,
        "asks when you are free",
        r"\b(?:your|share your|send (?:me|us) your|let (?:me|us) know your|what is your|what's "
        r"your) availability\b|\bwhen (?:are|would) you (?:be )?(?:free|available)\b|"
        r"\b(?:are|would) you (?:be )?(?:free|available) (?:for|on|this|next|to)\b|"
        r"\b(?:does|would) (?:monday|tuesday|wednesday|thursday|friday|tomorrow) (?:\w+ ){0,3}work\b",
        conditional_guard=True,
    ),
    _rule(
        INVITATION,
        "the next step",
        rf"\bnext step (?:is|will be|would be) (?:an?|the|your) (?:[\w-]+ ){{0,3}}{_MEETING}|"
        r"\bmov(?:e|ing) (?:you )?(?:forward )?to (?:the )?(?:next (?:round|stage|step)|final "
        r"(?:round|stage)|technical|onsite|on-site|interview)|"
        r"\b(?:like|love) to (?:speak|talk|chat|meet) (?:with|to) you\b",
        conditional_guard=True,
    ),
    # --- Requests for information -------------------------------------------------------------
    _rule(
        REQUEST,
        "asks for something",
        r"\b(?:could|can|would) you (?:please |kindly )?(?:send|share|provide|forward|upload|"
        r"complete|fill (?:in|out)|confirm your|let (?:me|us) know your|tell us)\b|"
        r"\bplease (?:send|share|provide|upload|complete|fill (?:in|out)|submit|forward|"
        r"confirm your|return)\b|\b(?:we|i) (?:need|require|would need) (?:a |your |some |the "
        r"|a few |an )(?!moment)|\b(?:additional|more|further) (?:information|details|"
        r"documents|documentation) (?:from you|about|on|regarding)\b",
        conditional_guard=True,
    ),
    # --- Acknowledgements ------------------------------------------------------------------------
    _rule(
        ACKNOWLEDGEMENT,
        "an acknowledgement",
        r"\b(?:thank you|thanks) (?:so much |very much )?for (?:applying|your application|"
        r"submitting your application|your interest in (?:the|our|joining|working))|"
        r"\b(?:we(?:'ve| have)?|have) (?:successfully )?received your application\b|"
        r"\byour application (?:has been|was|is) (?:successfully )?(?:received|submitted)\b|"
        r"\bapplication (?:received|confirmation)\b|\bwe will (?:now )?(?:carefully )?review "
        r"your (?:application|profile|resume|cv)\b",
    ),
]

_CONDITIONAL = re.compile(
    r"\b(?:if|should (?:you|your|we|there)|may|might|in case|in the event|once|whether|"
    r"unless|would you like to be considered)\b",
    re.IGNORECASE,
)
_QUOTE_START = re.compile(
    r"^(?:on .{0,300}wrote:|le .{0,300}a écrit\s?:|am .{0,300}schrieb .{0,100}:|"
    r"-{2,}\s*(?:original message|forwarded message)\s*-*|_{5,})\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Verdict:
    kind: str
    rule: str
    phrase: str  # the words that decided, as the email has them
    sentence: str  # the sentence around them
    to_interview: bool = False
    starts_at: datetime.datetime | None = None
    deadline: datetime.date | None = None
    end_reason: str = ""


def without_quotes(text: str) -> str:
    """The new text of a reply: quoted lines and the quoted earlier message left out."""
    kept = []
    for n, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if _QUOTE_START.match(stripped) or (n > 2 and re.match(r"^from: .+@", stripped, re.I)):
            break
        if not stripped.startswith(">"):
            kept.append(line)
    return "\n".join(kept)


def _clean(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def sentences(subject: str, text: str) -> list[str]:
    body = _clean(without_quotes(text))
    return [s for s in [_clean(subject), *_SENTENCE_END.split(body)] if s.strip()]


def excerpt(text: str, length: int) -> str:
    return " ".join(_clean(without_quotes(text)).split())[:length]


def classify(message, zone: datetime.tzinfo) -> Verdict | None:
    """The verdict on one email (subject, text and calendar part), or None."""
    parts = sentences(message.subject, message.text)
    found = _first(parts, [r for r in RULES if r.kind in (REJECTION, OFFER)])
    if found and found[0].kind == REJECTION:
        rule, phrase, sentence = found
        return Verdict(REJECTION, rule.name, phrase, sentence, end_reason=rule.end_reason)
    if found:
        rule, phrase, sentence = found
        return Verdict(
            OFFER, rule.name, phrase, sentence, deadline=deadline(parts, message.sent_at)
        )
    if invitation := calendar_invitation(message.calendar, zone):
        return invitation
    found = _first(parts, [r for r in RULES if r.kind not in (REJECTION, OFFER)])
    if not found:
        return None
    rule, phrase, sentence = found
    return Verdict(
        rule.kind,
        rule.name,
        phrase,
        sentence,
        to_interview=rule.kind == INVITATION and _is_interview(f"{message.subject} {sentence}"),
    )


def _first(parts: list[str], rules: list[Rule]):
    for rule in rules:
        for sentence in parts:
            match = rule.pattern.search(sentence)
            if not match:
                continue
            if rule.conditional_guard and _CONDITIONAL.search(sentence):
                continue
            return rule, match.group(0), sentence[:300]
    return None


def _is_interview(text: str) -> bool:
    """An interview rather than a screening call, by its words."""
    text = text.lower()
    if re.search(
        r"\b(?:screen(?:ing)?|intro(?:ductory)?|recruiter call|get to know|coffee|"
        r"quick (?:call|chat)|short (?:call|chat))\b",
        text,
    ):
        return False
    return bool(re.search(r"\b(?:interview|onsite|on-site|technical|panel|final round)\b", text))


def calendar_invitation(data: bytes, zone: datetime.tzinfo) -> Verdict | None:
    """An invitation with its time, from an .ics part that asks for an answer."""
    if not data:
        return None
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError):
        return None
    method = str(calendar.get("METHOD", "REQUEST")).upper()
    if method not in ("REQUEST", "PUBLISH"):
        return None  # a cancellation or a reply is not an invitation
    for event in calendar.walk("VEVENT"):
        start = event.get("DTSTART")
        if start is None:
            continue
        when = start.dt
        if not isinstance(when, datetime.datetime):
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=zone)  # a floating time is the user's own
        summary = " ".join(str(event.get("SUMMARY", "an event")).split())[:150]
        local = when.astimezone(zone)
        return Verdict(
            INVITATION,
            "a calendar invitation",
            f"calendar invitation: {summary}",
            f"{summary}, {local:%a %d %b %Y %H:%M} ({local.tzname()})",
            to_interview=_is_interview(summary) or "call" not in summary.lower(),
            starts_at=when,
        )
    return None
