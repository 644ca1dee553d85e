"""The private iCalendar feed: interviews, offer deadlines and what the user owes, built with
the icalendar package so that calendar apps read it as they read any other."""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from applications.models import FollowUp, Interview, Offer
from applications.stages import Stage

# Past interviews stay for a while, so the calendar still shows last month's.
KEEP_PAST = datetime.timedelta(days=90)
FOLLOWUP_MINUTES = 15


def _uid(kind: str, pk: int) -> str:
    # Stable across fetches, so a calendar app updates an event instead of adding a copy.
    return f"{kind}-{pk}@bridges"


def feed(*, user) -> bytes:
    """The user's calendar: interviews, offer deadlines and the answers they owe."""
    now = timezone.now()
    calendar = _calendar(user)
    for event in (*_interviews(user, now), *_offer_deadlines(user, now), *_owed(user, now)):
        calendar.add_component(event)
    # A VTIMEZONE for every TZID used, so apps that do not know the zone's name still place
    # the interviews at the right time.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _calendar(user) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Bridges//Job applications//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Bridges: interviews and answers owed")
    calendar.add("x-wr-timezone", user.time_zone)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar


def _interviews(user, now: datetime.datetime) -> Iterator[Event]:
    zone = user.zoneinfo
    interviews = (
        Interview.objects.filter(application__owner=user, starts_at__gte=now - KEEP_PAST)
        .exclude(state=Interview.State.CANCELLED)
        .select_related("application")
    )
    for interview in interviews:
        application = interview.application
        starts = interview.starts_at.astimezone(zone)
        event = _event(_uid("interview", interview.pk), now)
        event.add("summary", f"Interview (round {interview.round}): {application}")
        event.add("dtstart", starts)
        event.add("dtend", starts + datetime.timedelta(minutes=interview.duration_minutes))
        event.add("status", "TENTATIVE" if interview.state == "proposed" else "CONFIRMED")
        if interview.location:
            event.add("location", interview.location)
        event.add(
            "description",
            f"{interview.get_format_display()} interview. {_link(application.pk)}",
        )
        yield event


def _offer_deadlines(user, now: datetime.datetime) -> Iterator[Event]:
    offers = Offer.objects.filter(
        application__owner=user,
        application__stage=Stage.OFFER,
        deadline__isnull=False,
        application__archived_at__isnull=True,
    ).select_related("application")
    for offer in offers:
        event = _event(_uid("offer-deadline", offer.pk), now)
        event.add("summary", f"Offer deadline: {offer.application}")
        # An all-day event on the deadline's date.
        event.add("dtstart", offer.deadline)
        event.add("dtend", offer.deadline + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("description", f"Answer the offer by today. {_link(offer.application_id)}")
        yield event


def _owed(user, now: datetime.datetime) -> Iterator[Event]:
    owed = (
        FollowUp.objects.for_user(user)
        .owed()
        .filter(application__archived_at__isnull=True)
        .filter(Q(state=FollowUp.State.OPEN) | Q(snoozed_until__isnull=False))
        .select_related("application")
    )
    for followup in owed:
        due = followup.effective_due.astimezone(datetime.UTC)
        event = _event(_uid("followup", followup.pk), now)
        event.add("summary", f"{followup.get_kind_display()}: {followup.application}")
        event.add("dtstart", due)
        event.add("dtend", due + datetime.timedelta(minutes=FOLLOWUP_MINUTES))
        event.add("transp", "TRANSPARENT")
        event.add("description", f"Owed to the employer. {_link(followup.application_id)}")
        yield event


def _event(uid: str, now: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(datetime.UTC))
    return event


def _link(application_pk: int) -> str:
    return f"{settings.SITE_URL}/applications/{application_pk}/"
