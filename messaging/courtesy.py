"""The courtesy check: does a message do what a courteous candidate's message does?

Each finding passes or warns, with one sentence a user understands. It looks for what a
courteous message does: thanks, a plain decision, brevity, no excuses, nothing critical, a positive close, no
unfilled placeholder, the right company and role, and an answer in good time.
"""

import datetime
import functools
import re
from dataclasses import dataclass

from django.utils import timezone

from applications.business_days import end_of_business_day
from messaging import facts
from messaging.catalogue import ANSWERS_TO_INVITATION, Kind

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

_NOT = r"(will not|won't|wouldn't|cannot|can't|can not|do not|don't|am not|not)"
# Stepping out, in the many ways people say it: withdraw, step back or away, pull out, bow
# out, no longer pursue, not continue or proceed, pass on, decline, take myself out…
_STEPPING_OUT = (
    r"\b(declin\w*|withdraw\w*|with-?drawing|step(ping)? (back|away|aside|out)|stepped (back|"
    r"away|aside|out)|pull(ing|ed)? out|bow(ing|ed)? out|"
    r"no longer (be )?(pursu|consider|interest|continu|proceed|mov|available|tak)\w*|"
    rf"{_NOT} (be )?(attend|continu|proceed|mov(e|ing) forward|mov|tak|pursu|go(ing)? ahead)\w*|"
    r"decided not to (attend|continue|proceed|move|take|pursue|go ahead)\w*|"
    r"pass(ing)? on (the|this|your)|tak(e|ing) myself out|remov(e|ing) myself|"
    r"(end|close|retract)(ing)? my (application|candidacy))"
)
_DECISIONS = {
    Kind.DECLINE_INTERVIEW: _STEPPING_OUT,
    Kind.WITHDRAW: _STEPPING_OUT,
    Kind.DECLINE_OFFER: (
        rf"\b(declin\w*|turn(ing|ed)? (it |the offer |your offer )?down|{_NOT} (be )?accept\w*|"
        r"decided not to accept|not to (accept|take)|say(ing)? no to|pass(ing)? on (the|this|your) offer|"
        rf"{_NOT} (be )?tak(e|ing) (up )?(the|this|your) (offer|role|position)|"
        r"no longer (be )?(pursu|tak|accept)\w*)"
    ),
    Kind.ACCEPT_OFFER: r"\b(accept\w*|(happy|delighted|glad|thrilled|pleased) to say yes|"
    r"(say|saying) yes)",
    Kind.DEFER_INTERVIEW: (
        r"\b(reschedul\w*|re-?arrang\w*|postpon\w*|push (it|the interview) back|later (date|time|"
        r"slot|day)|another (date|time|day|slot)|different (date|time|day|slot)|"
        r"move (the|our) (interview|meeting)|new (date|time))"
    ),
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
# Personal reasons: one is honest, a list of them reads as excuses.
_PERSONAL = (
    r"\b(my (kids?|children|son|daughter|family|partner|wife|husband|parents?|mother|father|"
    r"mum|mom|dad|health|doctor|car|landlord|visa|exams?|studies|dog|cat|house|flat|"
    r"apartment|lease|commute|schedule|workload|current (job|boss|manager|employer)|boss)|"
    r"i('m| am) (also )?(so |really |very )?(busy|swamped|exhausted|tired|sick|ill|unwell)|"
    r"moving (house|flat|home|city|country|abroad)|on top of (that|this|everything)|"
    r"childcare|wedding|renovat\w+|jet ?lag|too (busy|much going on))"
)
# The employer's pay, people, process or culture, and the words that judge them badly.
_EMPLOYER = (
    r"\b(?<!my )(?<!my own )(pay|salary|salaries|compensation|package|offer|bonus|benefits|"
    r"equity|rate|team|teams|manager|managers|management|leadership|recruiters?|interviewers?|"
    r"hiring manager|people|staff|colleagues|hr|process|interviews?|communication|"
    r"feedback|culture|environment|atmosphere|company|office|organi[sz]ation|"
    r"questions|tasks?|assignment|test)\b"
)
_JUDGED = (
    r"\b(not (very |that |particularly |at all |really )?(competitive|professional|"
    r"organi[sz]ed|friendly|welcoming|respectful|fair|clear|great|good|impressive|serious|"
    r"well[- ]run|structured|transparent|attractive|enough|appealing)|"
    r"un(competitive|professional|organi[sz]ed|friendly|welcoming|clear|fair|impressive|"
    r"structured|inspiring|appealing|acceptable|realistic|reasonable|pleasant|responsive)|"
    r"poor(ly)?|bad(ly)?|terrible|awful|horrible|dreadful|slow|disappointing|confusing|"
    r"worst|mediocre|weak|low|lower|below|lacking|lacked|lacks|dysfunctional|"
    r"disorgani[sz]ed|chaotic|messy|rude|cold|arrogant|dismissive|condescending|hostile|"
    r"toxic|boring|outdated|stingy|cheap|insulting|pointless|excessive|ridiculous|"
    r"unreasonable|amateurish|incompetent|a joke|a mess|a shambles)\b"
)
# Words that judge the employer whatever they are said about.
_CRITICAL = (
    r"\b(low-?ball\w*|underpa(id|ying)|below (the )?market|disorgani[sz]ed|dysfunctional|"
    r"unprofessional|rude|toxic|chaotic|insulting|incompetent|a mess|red flags?|waste of|"
    r"disrespectful|condescending|arrogant|a shambles|amateurish)\b"
)
_POSITIVE = (
    r"\b(hope|future|in touch|cross paths|wish\w*|best|look(ing)? forward|success|grateful|"
    r"thank\w*|excited|delighted|pleasure|pleased|glad|can'?t wait|speak soon|lovely|"
    r"take care|warm\w*|welcome|wonderful|luck)"
)
# Blanks left to fill: {braces}, [Company Name], <name>, XXX, TBD, a “Dear ,” with no name.
# An address in angle brackets and a [link](…) are not blanks.
_PLACEHOLDERS = (
    r"\{[^{}\n]*\}|\[[^\[\]\n]{1,40}\](?!\()|<[^<>@\n]{2,40}>|\bX{3,}\b|\bTBD\b|\bTBC\b|"
    r"_{3,}|\.{4,}|^\s*Dear\s*,|\b(Dear|Hi|Hello) ,|"
    r"\((your |their |the |first |last |full |contact |company |hiring )*(name|company|"
    r"role|job title|title|position|date|contact|manager|recruiter|surname)( name| here)?\)"
)
# Capitals left by a template: “INSERT NAME”, “COMPANY NAME”, “NAME HERE” (case matters).
_SHOUTED_BLANKS = re.compile(
    r"\b(INSERT|ADD|PUT)\b[^.\n]{0,30}|\b([A-Z]{2,} )*NAME\b|\b(COMPANY|ROLE|DATE|TITLE) HERE\b"
)
_SIGN_OFF = (
    r"^\s*(kind regards|regards|best|best wishes|best regards|all the best|sincerely|yours|"
    r"thanks|thank you|many thanks|cheers|warm regards|warmly|with thanks)\b[^\n]{0,20}$"
)


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


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    # Matched against the lower-cased text: several times faster than IGNORECASE. The
    # patterns use no upper-case escapes (\S, \W…), so lowering them keeps their meaning.
    return re.compile(pattern.lower(), re.MULTILINE)


@functools.lru_cache(maxsize=16)
def _texts(text: str) -> tuple[str, str]:
    """The text with plain apostrophes, and the same lower-cased (for matching)."""
    plain = text.replace("\u2019", "'").replace("\u2018", "'")
    lowered = plain.lower()
    return plain, lowered if len(lowered) == len(plain) else plain


def _find(pattern: str, text: str) -> list[str]:
    """Every match of `pattern` in `text`, whatever the case, quoted as the user wrote it."""
    plain, lowered = _texts(text)
    compiled = _compiled(pattern) if lowered is not plain else _compiled_any_case(pattern)
    return [plain[m.start() : m.end()] for m in compiled.finditer(lowered)]


@functools.lru_cache(maxsize=64)
def _compiled_any_case(pattern: str) -> re.Pattern:
    """For the rare text whose lower case changes its length (“İ”)."""
    return re.compile(pattern, re.IGNORECASE | re.MULTILINE)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _closing(paragraphs: list[str]) -> str:
    """The paragraph just before the sign-off (“Kind regards, …”), or the last but one."""
    # The last sign-off counts: a close such as “All the best.” may look like one too.
    for index in range(len(paragraphs) - 1, 0, -1):
        if _find(_SIGN_OFF, paragraphs[index].splitlines()[0]):
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
    personal = list(dict.fromkeys(m.lower() for m in _find(_PERSONAL, body)))
    if len(apologies) < 2 and not excuses and len(personal) < 3:
        return Finding("no_excuses", "No excuses", True, "No excuses or over-apologising.")
    if excuses:
        said = f"“{excuses[0]}”: one short, honest sentence is enough"
    elif len(personal) >= 3:
        listed = ", ".join(f"“{p}”" for p in personal[:3])
        said = (
            f"{len(personal)} personal reasons ({listed}) read as a list of excuses: one short, "
            "honest sentence is enough"
        )
    else:
        said = f"{len(apologies)} apologies: one short, honest sentence is enough"
    return Finding(
        "no_excuses",
        "No excuses",
        False,
        f"{said}; no need to apologise again and again.",
    )


def _criticism(body: str) -> str:
    """The first phrase that judges the employer: a harsh word on its own, or their pay,
    people, process or culture said to be poor (“the pay is not competitive”)."""
    harsh = _find(_CRITICAL, body)
    if harsh:
        return harsh[0]
    if not _find(_JUDGED, body):  # most messages: no judging word at all
        return ""
    judging, employer = _compiled_any_case(_JUDGED), _compiled_any_case(_EMPLOYER)
    for sentence in _sentences(_texts(body)[0]):
        if not judging.search(sentence):
            continue
        target = employer.search(sentence)
        if not target:
            continue
        judged = judging.search(sentence, target.start()) or judging.search(
            sentence, 0, target.start()
        )
        # “Poor timing on my part”, “too low for my needs”: said of oneself, not of them.
        if judged and not re.search(
            r"\b(on my (side|part|end)|my own|for (me|my))\b", sentence, re.I
        ):
            low, high = sorted((target.start(), judged.start()))
            end = max(target.end(), judged.end() + (judged.start() < target.start()) * 0)
            phrase = sentence[low : max(high + len(judged.group(0)), end)]
            return phrase.strip(" ,.;")
    return ""


def _not_critical(body: str) -> Finding:
    critical = _criticism(body)
    return Finding(
        "not_critical",
        "Nothing critical",
        not critical,
        "Nothing critical of the employer."
        if not critical
        else f"“{critical}” sounds critical of them; say what you need instead.",
    )


_BLANK_HINTS = re.compile(
    r"[{}\[\]<>_(]|[xX]{3}|[tT][bB][dDcC]|\.{4}| ,|[dD][eE][aA][rR]\s*,|[A-Z]{2}"
)


def _placeholders(text: str) -> Finding:
    # Most messages have none of a blank's marks: the long pattern is skipped for them.
    hinted = _BLANK_HINTS.search(text)
    left = (
        _find(_PLACEHOLDERS, text) + [m.group(0) for m in _SHOUTED_BLANKS.finditer(text)]
        if hinted
        else []
    )
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
    if context.kind in ANSWERS_TO_INVITATION and context.invited_at:
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
