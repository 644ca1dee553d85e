"""What Bridges can help a candidate say, and when.

The kinds of message, which of them fit each stage of an application, the tones, and how each
reason for stopping is phrased: short, honest, never critical of the employer.
"""

from dataclasses import dataclass

from django.db import models

from applications.models import EndReason
from applications.stages import Stage


class Kind(models.TextChoices):
    DECLINE_INTERVIEW = "decline_interview", "Decline the interview"
    DEFER_INTERVIEW = "defer_interview", "Ask for a later interview time"
    WITHDRAW = "withdraw", "Withdraw from the process"
    THANK_YOU_INTERVIEW = "thank_you_interview", "Thank you after an interview"
    THANK_YOU_AFTER_DECLINE = "thank_you_after_decline", "Thank you after declining"
    FOLLOW_UP = "follow_up", "Polite follow-up"
    DECLINE_OFFER = "decline_offer", "Decline the offer"
    ACCEPT_OFFER = "accept_offer", "Accept the offer"


class Tone(models.TextChoices):
    FORMAL = "formal", "Formal"
    WARM = "warm", "Warm"


@dataclass(frozen=True)
class StageMessages:
    """What Bridges offers to say at one stage of an application."""

    fitting: tuple[Kind, ...] = ()  # the messages that fit, most likely first
    # Saying no from here (the detail page's “Not interested”): declining an offer or an
    # invitation to screen, withdrawing from a process under way.
    not_interested: Kind | None = None
    # Stepping out of this process after accepting an offer elsewhere (the close-out page).
    close_out: Kind | None = None


# One row per stage: a stage without a row is a test failure (tests/test_rule_tables.py).
STAGE_MESSAGES: dict[str, StageMessages] = {
    Stage.SAVED: StageMessages(),
    Stage.APPLIED: StageMessages(
        fitting=(Kind.FOLLOW_UP, Kind.DECLINE_INTERVIEW, Kind.DEFER_INTERVIEW, Kind.WITHDRAW),
        not_interested=Kind.WITHDRAW,
        close_out=Kind.WITHDRAW,
    ),
    Stage.SCREENING: StageMessages(
        fitting=(Kind.DECLINE_INTERVIEW, Kind.DEFER_INTERVIEW, Kind.WITHDRAW, Kind.FOLLOW_UP),
        not_interested=Kind.DECLINE_INTERVIEW,
        close_out=Kind.WITHDRAW,
    ),
    Stage.INTERVIEWING: StageMessages(
        fitting=(
            Kind.THANK_YOU_INTERVIEW,
            Kind.WITHDRAW,
            Kind.DECLINE_INTERVIEW,
            Kind.DEFER_INTERVIEW,
            Kind.FOLLOW_UP,
        ),
        not_interested=Kind.WITHDRAW,
        close_out=Kind.WITHDRAW,
    ),
    Stage.OFFER: StageMessages(
        fitting=(Kind.ACCEPT_OFFER, Kind.DECLINE_OFFER, Kind.FOLLOW_UP),
        not_interested=Kind.DECLINE_OFFER,
        close_out=Kind.DECLINE_OFFER,
    ),
    Stage.ACCEPTED: StageMessages(),
    Stage.DECLINED: StageMessages(fitting=(Kind.THANK_YOU_AFTER_DECLINE,)),
    Stage.WITHDRAWN: StageMessages(fitting=(Kind.THANK_YOU_AFTER_DECLINE,)),
    Stage.REJECTED: StageMessages(),
    Stage.CLOSED: StageMessages(),
}


def not_interested_kind(stage: str) -> Kind | None:
    """The message that says no from this stage, or None where there is nobody to tell."""
    return STAGE_MESSAGES[stage].not_interested


def close_out_kind(stage: str) -> Kind:
    """How to step out of a process at this stage after accepting an offer elsewhere."""
    kind = STAGE_MESSAGES[stage].close_out
    if kind is None:
        raise ValueError(f"Nothing to close out at the {stage} stage.")
    return kind


# Sending one of these ends the application: the stage it moves to.
ENDS_APPLICATION: dict[str, str] = {
    Kind.DECLINE_INTERVIEW: Stage.DECLINED,
    Kind.WITHDRAW: Stage.WITHDRAWN,
    Kind.DECLINE_OFFER: Stage.DECLINED,
    Kind.ACCEPT_OFFER: Stage.ACCEPTED,
}

# Kinds that stop a process, and so may give a reason.
STOPPING = (Kind.DECLINE_INTERVIEW, Kind.WITHDRAW, Kind.DECLINE_OFFER)

# Kinds that answer an invitation to interview.
ANSWERS_TO_INVITATION = (Kind.DECLINE_INTERVIEW, Kind.DEFER_INTERVIEW)


def kinds_in_order(stage: str, invitation_pending: bool = False) -> tuple[list[Kind], list[Kind]]:
    """(the kinds that fit the stage, every other kind): fitting ones are offered first.

    While an invitation waits for its answer (due the same day), the answers come first.
    """
    fitting = list(STAGE_MESSAGES.get(stage, StageMessages()).fitting)
    if invitation_pending and fitting:
        fitting = [*ANSWERS_TO_INVITATION, *(k for k in fitting if k not in ANSWERS_TO_INVITATION)]
    return fitting, [kind for kind in Kind if kind not in fitting]


# One short, honest sentence per reason. Sensitive reasons stay vague; money is the
# candidate's own need; culture is about the match, never a judgement of the company.
REASON_SENTENCES: dict[str, dict[str, str]] = {
    EndReason.OTHER_OFFER: {
        Tone.FORMAL: "I have accepted another offer that fits my plans closely.",
        Tone.WARM: "I've accepted another offer that lines up well with where I want to go next.",
    },
    EndReason.NOT_A_FIT: {
        Tone.FORMAL: "After careful thought, I believe the role is not the right match for my "
        "skills and goals at this point.",
        Tone.WARM: "After thinking it over carefully, I don't think the role is the right match "
        "for my skills and goals right now.",
    },
    EndReason.CULTURE: {
        Tone.FORMAL: "Having learned more about the team, I do not think I would be the best "
        "match for it, and it is fairer to say so now.",
        Tone.WARM: "Having learned more about the team, I don't think I'd be the best match for "
        "it, and I'd rather say so now.",
    },
    EndReason.LOCATION: {
        Tone.FORMAL: "The location does not suit my circumstances at the moment.",
        Tone.WARM: "The location doesn't work for my circumstances at the moment.",
    },
    EndReason.COMPENSATION: {
        Tone.FORMAL: "I am looking for a package that gives me a little more financial security "
        "at this stage of my career.",
        Tone.WARM: "I'm looking for a package that gives me a bit more financial security at "
        "this stage of my career.",
    },
    EndReason.PERSONAL: {
        Tone.FORMAL: "A change in my personal circumstances means I need to step back.",
        Tone.WARM: "A change in my personal circumstances means I need to step back.",
    },
    EndReason.LOST_INTEREST: {
        Tone.FORMAL: "My priorities have shifted, and this is no longer the right next step for me.",
        Tone.WARM: "My priorities have shifted, and this isn't the right next step for me anymore.",
    },
    EndReason.NO_REASON: {Tone.FORMAL: "", Tone.WARM: ""},
}

# The reasons a candidate can give for stopping (the employer's reasons are not theirs to give).
CANDIDATE_REASONS = tuple(REASON_SENTENCES)


def reason_sentence(reason: str, tone: str) -> str:
    return REASON_SENTENCES.get(reason, REASON_SENTENCES[EndReason.NO_REASON])[tone]
