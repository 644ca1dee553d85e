"""Interviews: scheduled, held, cancelled, rescheduled, each on the timeline, and never on an
ended application."""

import datetime

import pytest
from django.utils import timezone

from applications import services
from applications.models import Interview, TimelineEvent
from applications.stages import MoveNotAllowed, Stage
from tests.applications.forms_helper import form_data


def test_a_cancelled_interview_cannot_then_be_held(interview):
    services.interview_cancel(interview=interview)
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    stale = Interview.objects.get(pk=interview.pk)
    stale.state = Interview.State.SCHEDULED  # what an old page would still believe
    with pytest.raises(MoveNotAllowed, match="already cancelled"):
        services.interview_mark_held(interview=stale)
    assert interview.application.events.filter(kind="interview_held").count() == 0


def test_an_ended_application_takes_no_new_interview(logged_in, clock, application):
    services.application_move(application=application, target=Stage.REJECTED, reason="no_reason")
    response = logged_in.post(
        f"/applications/{application.pk}/interviews/new/",
        {
            "round": 1,
            "starts_at": clock.iso(7, 9),
            "duration_minutes": 45,
            "format": "video",
            "state": "scheduled",
        },
        follow=True,
    )
    assert "reopen it first" in response.content.decode()
    assert not Interview.objects.exists()
    with pytest.raises(MoveNotAllowed):
        services.interview_schedule(
            interview=Interview(application=application, starts_at=timezone.now())
        )


def test_an_interview_that_already_took_place_can_be_recorded_as_held(logged_in, application):
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    logged_in.post(
        f"/applications/{application.pk}/interviews/new/",
        {
            "round": 1,
            "starts_at": yesterday.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
            "format": "phone",
            "state": "held",
        },
    )
    assert Interview.objects.get().state == Interview.State.HELD
    assert application.events.first().kind == TimelineEvent.Kind.INTERVIEW_HELD


def test_rescheduling_an_interview_is_recorded(logged_in, clock, interview):
    url = f"/applications/{interview.application_id}/interviews/{interview.pk}/"
    logged_in.post(url, form_data(logged_in, url, starts_at=clock.iso(14, 10), format="onsite"))
    interview.refresh_from_db()
    assert interview.format == Interview.Format.ONSITE
    assert interview.application.events.first().text.startswith("Updated (")
