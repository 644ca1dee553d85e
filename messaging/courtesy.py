"""The courtesy check: does a message do what a courteous candidate's message does?

Each finding passes or warns, with one sentence a user understands. It looks for what a
courteous message does: thanks, a plain decision, brevity, no excuses, nothing critical, a positive close, no
unfilled placeholder, the right company and role, and an answer in good time.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from applications.business_days import end_of_business_day
from messaging import facts
from messaging.catalogue import Kind

WORD_LIMITS = {
    Kind.DECLINE_INTERVIEW: 180,
    Kind.DEFER_INTERVIEW: 150,
    Kind.WITHDRAW: 180,
    Kind.THANK_YOU_INTERVIEW: 170,
    Kind.THANK_YOU_AFTER_DECLINE: 140,
    Kind.FOLLOW_UP: 150,
    Kind.DECLINE_OFFER: 180,
    Kind.ACCEPT_OFFER: 170,
}

_NOT = r"(will not|won't|cannot|can't|can not|do not|don't|am not|not)"
_STEPPING_OUT = (
    rf"\b(declin\w*|withdraw\w*|{_NOT} (be )?(attend|continu|proceed|mov|tak)\w*|"
    r"decided not to (attend|continue|proceed|move|take)\w*)"
)
_DECISIONS = {
    Kind.DECLINE_INTERVIEW: _STEPPING_OUT,
    Kind.WITHDRAW: _STEPPING_OUT,
    Kind.DECLINE_OFFER: rf"\b(declin\w*|{_NOT} (be )?accept\w*|decided not to accept)",
    Kind.ACCEPT_OFFER: r"\baccept",
    Kind.DEFER_INTERVIEW: r"\b(reschedul\w*|later (date|time)|another (date|time)|move the interview)",
}
# Said the other way round, the decision reads as its opposite.
_CONTRADICTIONS = {
    Kind.ACCEPT_OFFER: rf"\b{_NOT} (be )?(able to )?accept",
    Kind.WITHDRAW: rf"\b{_NOT} (be )?withdraw",
}
_HEDGES = r"\b(maybe|perhaps|not sure|might not|probably|kind of|sort of|for now|i guess)\b"
_THANKS = r"\b(thank\w*|grateful|appreciat\w*)"
_APOLOGIES = r"\b(sorry|apolog\w*)"
_EXCUSES = (
    r"\b(i feel (terrible|awful|bad)|please forgive|it'?s not my fault|i know this is "
    r"(bad|awful|terrible)|i hate to|excuse)"
)
# Words that judge the employer, and judgements of “your/the process, offer, team…”. Plain
# words like “poor” or “terrible” pass on their own (“poor timing on my part”).
_CRITICAL = (
    r"\b(low-?ball\w*|underpa(id|ying)|too low|below (the )?market|disorgani[sz]ed|"
    r"unprofessional|rude|toxic|chaotic|insulting|incompetent|a mess|red flags?|waste of)\b|"
    r"\b(your|the) (\w+ ){0,2}(process|offer|salary|pay|package|team|company|interview\w*|"
    r"culture|management|recruit\w*) (is|was|were|seems|seemed|felt|looked) (\w+ ){0,2}"
    r"(poor|bad|terrible|awful|slow|unclear|disappointing|confusing|worst)\b"
)
_POSITIVE = (
    r"\b(hope|future|in touch|cross paths|wish\w*|best|look(ing)? forward|success|grateful|"
    r"thank\w*|excited|delighted|pleasure|pleased|glad|can'?t wait|speak soon|lovely|"
    r"take care|warm\w*|welcome|wonderful)"
)
# Blanks left to fill: {braces}, [Company Name], <name>, XXX, TBD, a “Dear ,” with no name.
# An address in angle brackets and a [link](…) are not blanks.
_PLACEHOLDERS = (
    r"\{[^{}\n]*\}|\[[^\[\]\n]{2,40}\](?!\()|<[^<>@\n]{2,40}>|\bX{3,}\b|\bTBD\b|"
    r"^\s*Dear\s*,|\b(Dear|Hi|Hello) ,"
)
_SIGN_OFF = (
    r"^\s*(kind regards|regards|best|best wishes|best regards|all the best|sincerely|yours|"
    r"thanks|thank you|many thanks|cheers|warm regards|warmly|with thanks)\b[^\n]{0,20}$"
)
_STOPPING = (Kind.DECLINE_INTERVIEW, Kind.WITHDRAW, Kind.DECLINE_OFFER)
_ANSWERS_INVITATION = (Kind.DECLINE_INTERVIEW, Kind.DEFER_INTERVIEW)


@dataclass(frozen=True)
class Finding:
    name: str
    label: str
    ok: bool
    explanation: str

    @property
    def level(self) -> str:
        return "pass" if self.ok else "warn"


@dataclass(frozen=True)
class Context:
    """What the check needs to know besides the words."""

    kind: str
    company: str
    job_title: str
    invited_at: datetime.datetime | None = None
    interview_held_at: datetime.datetime | None = None
    time_zone: datetime.tzinfo = datetime.UTC


def _find(pattern: str, text: str) -> list[str]:

    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return [m.group(0) for m in re.finditer(pattern, text, re.IGNORECASE | re.MULTILINE)]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _closing(paragraphs: list[str]) -> str:
    """The paragraph just before the sign-off (“Kind regards, …”), or the last but one."""
    for index, paragraph in enumerate(paragraphs):
        if index and _find(_SIGN_OFF, paragraph.splitlines()[0]):
            return paragraphs[index - 1]
    return paragraphs[-2] if len(paragraphs) >= 2 else "\n".join(paragraphs)


def check(
    subject: str, body: str, context: Context, now: datetime.datetime | None = None
) -> list[Finding]:
    now = now or timezone.now()
    kind = context.kind
    text = f"{subject}\n{body}"
    words = len(body.split())
    paragraphs = [p for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    closing = _closing(paragraphs)
    findings = [
        _thanks(text),
        _decision(kind, body),
        Finding(
            "brief",
            "Brief",
            words <= WORD_LIMITS[kind],
            f"{words} words: short and clear."
            if words <= WORD_LIMITS[kind]
            else f"{words} words: try to stay under {WORD_LIMITS[kind]}; a long explanation does "
            "more harm than good.",
        ),
        _no_excuses(body),
        _not_critical(body),
        Finding(
            "positive_close",
            "Positive close",
            bool(_find(_POSITIVE, closing)),
            "It ends on a warm note."
            if _find(_POSITIVE, closing)
            else "End warmly: a wish for the team, or a hope to cross paths again.",
        ),
        _placeholders(text),
        _names(text, context),
        _timeliness(context, now),
    ]
    return findings


def _thanks(text: str) -> Finding:
    ok = bool(_find(_THANKS, text))
    return Finding(
        "thanks",
        "Thanks",
        ok,
        "You thank them for their time." if ok else "Thank them for their time and consideration.",
    )


def _decision(kind: str, body: str) -> Finding:
    if kind not in _DECISIONS:
        return Finding("decision", "Clear decision", True, "This message has no decision to state.")
    contradiction = _find(_CONTRADICTIONS.get(kind, r"(?!x)x"), body)
    if contradiction:
        return Finding(
            "decision",
            "Clear decision",
            False,
            f"“{contradiction[0]}” reads as the opposite of {Kind(kind).label.lower()}.",
        )
    # Hedging matters where the decision is said, not in a hope to cross paths later.
    deciding = [s for s in _sentences(body) if _find(_DECISIONS[kind], s)]
    hedges = _find(_HEDGES, " ".join(deciding))
    if hedges:
        return Finding(
            "decision",
            "Clear decision",
            False,
            f"“{hedges[0]}” leaves them guessing: state your decision plainly.",
        )
    ok = bool(deciding)
    return Finding(
        "decision",
        "Clear decision",
        ok,
        "Your decision is stated plainly."
        if ok
        else "Say your decision in so many words, e.g. “I have decided to withdraw my application.”",
    )


def _no_excuses(body: str) -> Finding:
    apologies, excuses = _find(_APOLOGIES, body), _find(_EXCUSES, body)
    ok = len(apologies) < 2 and not excuses
    if ok:
        return Finding("no_excuses", "No excuses", True, "No excuses or over-apologising.")
    said = excuses[0] if excuses else f"{len(apologies)} apologies"
    return Finding(
        "no_excuses",
        "No excuses",
        False,
        f"{said[0].upper()}{said[1:]}: one short, honest sentence is enough; no need to apologise "
        "again and again.",
    )


def _not_critical(body: str) -> Finding:
    critical = _find(_CRITICAL, body)
    return Finding(
        "not_critical",
        "Nothing critical",
        not critical,
        "Nothing critical of the employer."
        if not critical
        else f"“{critical[0]}” sounds critical of them; say what you need instead.",
    )


def _placeholders(text: str) -> Finding:
    left = _find(_PLACEHOLDERS, text)
    return Finding(
        "no_placeholders",
        "Nothing left to fill in",
        not left,
        "Every blank is filled in."
        if not left
        else f"Fill in or remove “{left[0].strip()}” before sending.",
    )


def _names(text: str, context: Context) -> Finding:
    """The company is named with or without its legal form (“Inc.”), the role with or without
    a trailing “role” or “position”."""
    lowered = " ".join(text.lower().split())
    wanted = [
        (context.company, facts.without_legal_suffix(context.company)),
        (context.job_title, facts.job_title(context.job_title)),
    ]
    missing = [
        typed
        for typed, short in wanted
        if typed.strip() and " ".join(short.lower().split()) not in lowered
    ]
    return Finding(
        "names",
        "Right company and role",
        not missing,
        f"It names {context.company} and the {context.job_title} role."
        if not missing
        else f"It does not mention {' or '.join(missing)}: check it is the right message.",
    )


def elapsed(delta: datetime.timedelta) -> str:
    """A span as a person says it: minutes within the hour, hours within two days, then days."""
    minutes = max(0, round(delta.total_seconds() / 60))
    if minutes < 60:
        return "under an hour" if minutes < 2 else f"{minutes} minutes"
    hours = round(minutes / 60)
    if hours < 48:
        return "1 hour" if hours == 1 else f"{hours} hours"
    days = round(hours / 24)
    return f"{days} days"


def _timeliness(context: Context, now: datetime.datetime) -> Finding:
    if context.kind in _ANSWERS_INVITATION and context.invited_at:
        since = elapsed(now - context.invited_at)
        deadline = end_of_business_day(context.invited_at, context.time_zone)
        ok = now <= deadline
        return Finding(
            "timely",
            "Sent promptly",
            ok,
            f"{since.capitalize()} since the invitation: within the same business day."
            if ok
            else f"{since.capitalize()} since the invitation: they hoped for an answer the same "
            "business day, so send it now.",
        )
    if context.kind == Kind.THANK_YOU_INTERVIEW and context.interview_held_at:
        held = now - context.interview_held_at
        after = elapsed(held).capitalize()
        ok = held <= datetime.timedelta(hours=24)
        return Finding(
            "timely",
            "Sent promptly",
            ok,
            f"{after} after the interview: a thank-you within a day is ideal."
            if ok
            else f"{after} after the interview: later than ideal, but still worth sending.",
        )
    return Finding("timely", "Sent promptly", True, "Nothing here is waiting on the clock.")
