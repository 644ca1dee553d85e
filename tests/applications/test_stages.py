"""The whole table of moves: every pair of stages is either allowed (and of which kind) or refused."""

import itertools

import pytest

from applications.stages import MoveKind, MoveNotAllowed, Stage, check_move

S = Stage
F, B, E, R = MoveKind.FORWARD, MoveKind.BACKWARD, MoveKind.END, MoveKind.REOPEN
ACTIVE = [S.SAVED, S.APPLIED, S.SCREENING, S.INTERVIEWING, S.OFFER]

ALLOWED = {
    S.SAVED: {S.APPLIED: F, S.SCREENING: F, S.INTERVIEWING: F, S.OFFER: F, S.CLOSED: E},
    S.APPLIED: {
        **{S.SCREENING: F, S.INTERVIEWING: F, S.OFFER: F},
        **{S.DECLINED: E, S.WITHDRAWN: E, S.REJECTED: E, S.CLOSED: E},
    },
    S.SCREENING: {
        **{S.APPLIED: B, S.INTERVIEWING: F, S.OFFER: F},
        **{S.DECLINED: E, S.WITHDRAWN: E, S.REJECTED: E, S.CLOSED: E},
    },
    S.INTERVIEWING: {
        **{S.APPLIED: B, S.SCREENING: B, S.OFFER: F},
        **{S.DECLINED: E, S.WITHDRAWN: E, S.REJECTED: E, S.CLOSED: E},
    },
    S.OFFER: {
        **{S.APPLIED: B, S.SCREENING: B, S.INTERVIEWING: B},
        **{S.ACCEPTED: E, S.DECLINED: E, S.REJECTED: E, S.CLOSED: E},
    },
    # Reopening: to any active stage, and back to the wishlist only from Closed (the one end
    # a never-sent application can reach).
    **{
        end: dict.fromkeys(ACTIVE[1:], R)
        for end in (S.ACCEPTED, S.DECLINED, S.WITHDRAWN, S.REJECTED)
    },
    S.CLOSED: dict.fromkeys(ACTIVE, R),
}
ALL_PAIRS = list(itertools.product(Stage, Stage))


@pytest.mark.parametrize(
    ("source", "target"), [pair for pair in ALL_PAIRS if pair[1] in ALLOWED[pair[0]]]
)
def test_it_allows_the_sensible_moves(source, target):
    move = check_move(source, target)
    assert move.kind == ALLOWED[source][target], f"{source} → {target}"


@pytest.mark.parametrize(
    ("source", "target"), [pair for pair in ALL_PAIRS if pair[1] not in ALLOWED[pair[0]]]
)
def test_it_refuses_every_other_move_with_a_reason(source, target):
    with pytest.raises(MoveNotAllowed) as refusal:
        check_move(source, target)
    assert len(str(refusal.value)) > 20, "a refusal must explain itself"


def test_it_refuses_a_stage_that_does_not_exist():
    with pytest.raises(MoveNotAllowed, match="“hired” is not a stage"):
        check_move(S.APPLIED, "hired")


@pytest.mark.parametrize("target", [S.DECLINED, S.WITHDRAWN, S.REJECTED, S.CLOSED])
def test_ends_other_than_acceptance_ask_why(target):
    source = S.OFFER if target != S.WITHDRAWN else S.INTERVIEWING
    assert check_move(source, target).needs_reason


def test_accepting_an_offer_is_its_own_reason():
    assert not check_move(S.OFFER, S.ACCEPTED).needs_reason
