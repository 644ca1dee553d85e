import datetime
from unittest import mock

import pytest
from django.utils import timezone

from applications import services
from applications.models import Application, EndedBy, EndReason, Interview, TimelineEvent
from applications.stages import MoveNotAllowed, Stage

Kind = TimelineEvent.Kind


def kinds(application) -> list[str]:
    return list(application.events.order_by("at", "id").values_list("kind", flat=True))


def test_a_new_application_opens_its_timeline(application):
    event = application.events.get()
    assert (event.kind, event.to_stage) == (Kind.CREATED, Stage.APPLIED)
    assert application.applied_on == timezone.localdate(), "sent applications get a date"


def test_a_move_changes_the_stage_and_records_it(application):
    services.application_move(
        application=application, target=Stage.SCREENING, note="Recruiter call"
    )
    application.refresh_from_db()
    event = application.events.first()
    assert application.stage == Stage.SCREENING
    assert (event.from_stage, event.to_stage, event.text) == (
        "applied",
        "screening",
        "Recruiter call",
    )


def test_a_refused_move_changes_nothing(application):
    with pytest.raises(MoveNotAllowed):
        services.application_move(application=application, target=Stage.ACCEPTED)
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED
    assert kinds(application) == [Kind.CREATED]


def test_an_end_needs_a_reason_it_accepts(application):
    with pytest.raises(MoveNotAllowed, match="Say why"):
        services.application_move(application=application, target=Stage.DECLINED)
    with pytest.raises(MoveNotAllowed, match="Say why"):
        services.application_move(
            application=application, target=Stage.DECLINED, reason=EndReason.NOT_SELECTED
        )
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_an_end_records_who_ended_it_and_why(application):
    services.application_move(
        application=application, target=Stage.WITHDRAWN, reason=EndReason.LOCATION
    )
    application.refresh_from_db()
    assert (application.ended_by, application.end_reason) == (EndedBy.CANDIDATE, "location")
    assert "Reason: Location, relocation or commute." in application.events.first().text


def test_an_employer_reason_means_the_employer_ended_it(application):
    services.application_move(
        application=application, target=Stage.CLOSED, reason=EndReason.NO_RESPONSE
    )
    application.refresh_from_db()
    assert application.ended_by == EndedBy.EMPLOYER


def test_reopening_is_recorded_and_clears_the_reason(application):
    services.application_move(application=application, target=Stage.REJECTED, reason="not_selected")
    services.application_move(
        application=application, target=Stage.INTERVIEWING, from_stage=Stage.REJECTED
    )
    application.refresh_from_db()
    assert (application.stage, application.end_reason, application.ended_by) == (
        Stage.INTERVIEWING,
        "",
        "",
    )
    assert application.events.first().kind == Kind.REOPENED


def test_a_move_backwards_is_recorded_as_such(application):
    services.application_move(application=application, target=Stage.INTERVIEWING)
    services.application_move(application=application, target=Stage.SCREENING)
    assert application.events.first().text == "Moved back."
    assert application.events.count() == 3, "no earlier event is rewritten"


def test_an_invitation_to_interview_moves_the_application_forward(application):
    services.application_record_invitation(application=application, to_interview=True)
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEWING
    assert kinds(application)[-2:] == [Kind.INVITATION_RECEIVED, Kind.STAGE_MOVED], "cause first"


def test_an_invitation_never_moves_an_application_back(application):
    services.application_move(application=application, target=Stage.OFFER)
    services.application_record_invitation(application=application, to_interview=False)
    application.refresh_from_db()
    assert application.stage == Stage.OFFER


def test_scheduling_an_interview_records_it_in_the_users_time_zone(clock, application, alice):
    march = clock.next_date(3, 4)  # winter time in Paris: UTC+1
    starts = datetime.datetime.combine(march, datetime.time(9, 30), datetime.UTC)
    with timezone.override(alice.zoneinfo):
        services.interview_schedule(interview=Interview(application=application, starts_at=starts))
    event = application.events.first()
    assert event.kind == Kind.INTERVIEW_SCHEDULED
    assert f"{march:%a %d %b %Y} 10:30 (CET)" in event.text
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEWING


def test_an_interview_can_be_held_only_once_it_has_started(interview):
    with pytest.raises(MoveNotAllowed, match="not started yet"):
        services.interview_mark_held(interview=interview)
    Interview.objects.filter(pk=interview.pk).update(starts_at=timezone.now())
    interview.refresh_from_db()
    services.interview_mark_held(interview=interview)
    assert interview.application.events.first().kind == Kind.INTERVIEW_HELD


def test_a_cancelled_interview_stays_on_record(interview):
    services.interview_cancel(interview=interview)
    interview.refresh_from_db()
    assert interview.state == Interview.State.CANCELLED
    with pytest.raises(MoveNotAllowed, match="already cancelled"):
        services.interview_cancel(interview=interview)


def test_recording_an_offer_moves_to_the_offer_stage(clock, offer):
    application = Application.objects.get(pk=offer.application_id)
    assert application.stage == Stage.OFFER
    deadline = clock.day(21)
    recorded = application.events.get(kind=Kind.OFFER_RECORDED)
    assert recorded.text == f"Offer of 60,000 EUR — answer by {deadline:%d %b %Y}."
    assert application.events.first().kind == Kind.STAGE_MOVED, "the move it caused comes after"


def test_the_timeline_is_append_only(application):
    event = application.events.get()
    event.text = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_editing_details_leaves_a_trace(application):
    application.location = "Lisbon"
    services.application_update(
        application=application, changed_fields=["location"], tag_names=["remote"], contacts=[]
    )
    assert application.events.first().text == "Changed: location."
    assert list(application.tags.values_list("name", flat=True)) == ["remote"]


def test_a_failed_timeline_write_leaves_the_stage_as_it_was(application):
    broken = mock.patch.object(
        TimelineEvent.objects, "create", side_effect=RuntimeError("disk full")
    )
    with broken, pytest.raises(RuntimeError):
        services.application_move(application=application, target=Stage.SCREENING)
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_skipping_applied_still_dates_the_application(alice, make_application):
    saved = make_application(alice, stage=Stage.SAVED)
    assert saved.applied_on is None
    services.application_move(application=saved, target=Stage.INTERVIEWING)
    saved.refresh_from_db()
    assert saved.applied_on == timezone.localdate()


def test_only_a_never_sent_application_goes_back_to_the_wishlist(alice, make_application):
    wish = make_application(alice, stage=Stage.SAVED)
    services.application_move(application=wish, target=Stage.CLOSED, reason="lost_interest")
    services.application_move(application=wish, target=Stage.SAVED, from_stage=Stage.CLOSED)
    sent = make_application(alice, company="Sent Co")
    services.application_move(application=sent, target=Stage.CLOSED, reason="no_response")
    with pytest.raises(MoveNotAllowed, match="cannot go back to Saved"):
        services.application_move(application=sent, target=Stage.SAVED, from_stage=Stage.CLOSED)
