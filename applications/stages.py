"""The pipeline's stages and the one table of moves between them.

Every rule about which stage may follow which lives here, so that views, forms, the board and
the services all ask the same question: `check_move(current, target)`.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from django.db import models


class Stage(models.TextChoices):
    SAVED = "saved", "Saved"
    APPLIED = "applied", "Applied"
    SCREENING = "screening", "Screening"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REJECTED = "rejected", "Rejected"
    CLOSED = "closed", "Closed"


ACTIVE_STAGES = (Stage.SAVED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER)
END_STAGES = (Stage.ACCEPTED, Stage.DECLINED, Stage.WITHDRAWN, Stage.REJECTED, Stage.CLOSED)
STAGE_ORDER = {stage: position for position, stage in enumerate(Stage)}

# Which active stages each end can be reached from.
_ENDS_FROM = {
    # Only an offer can be accepted.
    Stage.ACCEPTED: {Stage.OFFER},
    # The candidate turns down an invitation (to screen or interview) or an offer.
    Stage.DECLINED: {Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER},
    # The candidate steps out mid-process; at the offer stage that is a decline.
    Stage.WITHDRAWN: {Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING},
    # The employer says no, at any point after the application (an offer can be rescinded).
    Stage.REJECTED: {Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER},
    # No answer, or abandoned: possible from anywhere, including the wishlist.
    Stage.CLOSED: set(ACTIVE_STAGES),
}


class MoveKind(StrEnum):
    FORWARD = "forward"
    BACKWARD = "backward"
    END = "end"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Move:
    source: Stage
    target: Stage
    kind: MoveKind

    @property
    def needs_reason(self) -> bool:
        # Accepting an offer is its own reason; every other end asks why.
        return self.kind == MoveKind.END and self.target != Stage.ACCEPTED


class MoveNotAllowed(Exception):
    """A move the pipeline does not allow; the message says why, in the user's words."""


def is_active(stage: str) -> bool:
    return stage in ACTIVE_STAGES


def check_move(source: str, target: str) -> Move:
    """The move from `source` to `target`, or MoveNotAllowed saying why it is refused."""
    if target not in Stage.values:
        raise MoveNotAllowed(f"“{target}” is not a stage.")
    source, target = Stage(source), Stage(target)
    if source == target:
        raise MoveNotAllowed(f"The application is already at {target.label}.")
    if not is_active(source):
        # Only an application closed from the wishlist can go back to it.
        if is_active(target) and (target != Stage.SAVED or source == Stage.CLOSED):
            return Move(source, target, MoveKind.REOPEN)
        if target == Stage.SAVED:
            raise MoveNotAllowed("An application that was sent cannot go back to Saved.")
        raise MoveNotAllowed(
            f"The application has ended ({source.label}). Reopen it before moving it again."
        )
    if is_active(target):
        if target == Stage.SAVED:
            raise MoveNotAllowed("An application that was sent cannot go back to Saved.")
        forward = STAGE_ORDER[target] > STAGE_ORDER[source]
        return Move(source, target, MoveKind.FORWARD if forward else MoveKind.BACKWARD)
    if source not in _ENDS_FROM[target]:
        raise MoveNotAllowed(_refusal(source, target))
    return Move(source, target, MoveKind.END)


def check_named_move(source: str, target: str, named: str | None) -> Move:
    """A move that names the stage it moves from (`named`: where the user saw it).

    Refused when the application is no longer there (a stale board or page): it moved
    meanwhile, and the user chose this move for the stage they saw. A reopening only ever
    happens when asked for, by naming the ended stage; never as the side effect of a move
    chosen for an active stage, nor of one that names no stage.
    """
    if named is not None and named != source:
        seen = Stage(named).label if named in Stage.values else named
        raise MoveNotAllowed(
            f"It moved meanwhile: it is at {Stage(source).label} now, not {seen}. "
            "Nothing was changed; choose again."
        )
    move = check_move(source, target)
    if move.kind == MoveKind.REOPEN and named != source:
        raise MoveNotAllowed(
            f"The application has ended ({Stage(source).label}). Reopen it from its page."
        )
    return move


def _refusal(source: Stage, target: Stage) -> str:
    if source == Stage.SAVED:
        return (
            f"You have not applied yet, so it cannot be {target.label.lower()}; close it instead."
        )
    if target == Stage.ACCEPTED:
        return "Only an offer can be accepted. Record the offer first."
    # The one case left: withdrawing at the offer stage.
    return "At the offer stage you decline the offer rather than withdraw."


def allowed_targets(source: str) -> tuple[Stage, ...]:
    """Every stage the application can move to from `source`, in pipeline order (`check_move`
    decides; worked out once per stage, since the board asks for every column each drawing)."""
    return _allowed_targets(str(source))


@cache
def _allowed_targets(source: str) -> tuple[Stage, ...]:
    targets = []
    for stage in Stage:
        try:
            check_move(source, stage)
        except MoveNotAllowed:
            continue
        targets.append(stage)
    return tuple(targets)
