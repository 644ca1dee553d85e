"""The product's rule tables have a row for every stage and every kind, and their rows name
things that exist: a new stage, message or follow-up without a row fails here."""

from applications.followups import OWING
from applications.models import FollowUp
from applications.stages import ACTIVE_STAGES, END_STAGES, Stage
from messaging.catalogue import (
    ENDS_APPLICATION,
    STAGE_MESSAGES,
    STOPPING,
    Kind,
    close_out_kind,
    not_interested_kind,
)

# Where an employer is waiting on the candidate: every active stage but the wishlist.
UNDER_WAY = [stage for stage in ACTIVE_STAGES if stage != Stage.SAVED]


def test_every_stage_has_a_row_of_messages():
    assert set(STAGE_MESSAGES) == set(Stage)


def test_saying_no_and_closing_out_are_possible_wherever_an_employer_waits():
    for stage in UNDER_WAY:
        assert not_interested_kind(stage) in STOPPING, stage
        assert close_out_kind(stage) in STOPPING, stage


def test_nobody_is_told_no_where_nobody_waits():
    for stage in (Stage.SAVED, *END_STAGES):
        assert not_interested_kind(stage) is None, stage
        assert STAGE_MESSAGES[stage].close_out is None, stage


def test_the_stage_rows_offer_each_kind_once():
    for stage, row in STAGE_MESSAGES.items():
        assert len(set(row.fitting)) == len(row.fitting), stage


def test_a_message_that_ends_an_application_ends_it_in_an_end_stage():
    assert set(ENDS_APPLICATION.values()) <= set(END_STAGES)


def test_every_follow_up_kind_has_a_row():
    assert set(OWING) == set(FollowUp.Kind)


def test_the_follow_up_rows_name_real_messages():
    # The pipeline holds messaging's kinds as values (it sits below messaging): each one must
    # be a kind messaging knows, and the one-click message must be one that settles it.
    for kind, owing in OWING.items():
        assert owing.settled_by <= set(Kind.values), kind
        if owing.write is not None:
            assert owing.write in owing.settled_by, kind
