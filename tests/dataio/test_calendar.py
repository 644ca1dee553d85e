"""The private calendar feed: a secret address, parsed back with icalendar."""

import datetime
import zoneinfo

import pytest
from icalendar import Calendar

from applications import services
from applications.models import Interview, Offer
from dataio.models import CalendarFeed
from tests.pages import page_text


@pytest.fixture
def feed_url(client, alice):
    client.force_login(alice)
    client.post("/accounts/calendar/", {"action": "create"})
    return f"/calendar/{CalendarFeed.objects.get(owner=alice).token}.ics"


def parse(client, url) -> Calendar:
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_it_has_interviews_in_their_time_zone_deadlines_and_what_is_owed(
    client, clock, alice, application, feed_url
):
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    starts = clock.at(14, 14, 30, tz=paris)
    interview = services.interview_schedule(
        interview=Interview(application=application, starts_at=starts, location="Room 4")
    )
    offer = services.offer_record(offer=Offer(application=application, deadline=clock.day(28)))
    calendar = parse(client, feed_url)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    meeting = events[f"interview-{interview.pk}@bridges"]
    assert meeting.decoded("dtstart") == starts
    assert meeting["dtstart"].params["TZID"] == "Europe/Paris"
    assert meeting.decoded("dtend") - meeting.decoded("dtstart") == datetime.timedelta(hours=1)
    assert str(meeting["location"]) == "Room 4"
    assert "Backend Engineer at Acme" in str(meeting["summary"])
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    deadline = events[f"offer-deadline-{offer.pk}@bridges"]
    assert deadline.decoded("dtstart") == clock.day(28), "an all-day event"
    owed = [e for uid, e in events.items() if uid.startswith("followup-")]
    assert any("Decide and answer the offer" in str(e["summary"]) for e in owed)
    assert parse(client, feed_url).to_ical() != b"", "the same UIDs on every fetch"
    assert {str(e["uid"]) for e in parse(client, feed_url).walk("VEVENT")} == set(events)


def test_a_cancelled_interview_leaves_the_calendar(client, alice, interview, feed_url):
    services.interview_cancel(interview=interview)
    uids = {str(e["uid"]) for e in parse(client, feed_url).walk("VEVENT")}
    assert f"interview-{interview.pk}@bridges" not in uids


def test_it_shows_only_the_owners_events(client, clock, bob, make_application, feed_url):
    other = make_application(bob, company="Bob Corp")
    services.interview_schedule(interview=Interview(application=other, starts_at=clock.at(7)))
    assert "Bob Corp" not in parse(client, feed_url).to_ical().decode()


def test_a_wrong_or_regenerated_or_revoked_address_is_not_found(client, alice, feed_url):
    assert client.get(feed_url.replace(".ics", "x.ics")).status_code == 404
    assert client.get("/calendar/" + "a" * 500 + ".ics").status_code == 404
    client.force_login(alice)
    client.post("/accounts/calendar/", {"action": "create"})
    client.logout()
    assert client.get(feed_url).status_code == 404, "the old address is retired"
    new_url = f"/calendar/{CalendarFeed.objects.get(owner=alice).token}.ics"
    assert client.get(new_url).status_code == 200
    client.force_login(alice)
    page = page_text(client, "/accounts/calendar/")
    assert new_url in page
    client.post("/accounts/calendar/", {"action": "revoke"})
    client.logout()
    assert client.get(new_url).status_code == 404


def test_tokens_are_long_and_random(alice, bob):
    first = CalendarFeed.objects.create(owner=alice).token
    second = CalendarFeed.objects.create(owner=bob).token
    assert len(first) >= 40
    assert first != second


def test_a_nul_byte_in_the_address_is_not_found(client, alice, feed_url):
    # PostgreSQL refuses NUL in a query; that was a server error.
    client.raise_request_exception = False
    assert client.get(feed_url.replace(".ics", "%00.ics")).status_code == 404
    assert client.get("/calendar/%00.ics").status_code == 404


def test_switching_the_feed_on_the_first_time_retires_nothing(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/calendar/", {"action": "create"}, follow=True)
    page = response.content.decode()
    assert "Your calendar feed is on" in page
    assert "retired" not in page and "no longer works" not in page, "there was no old address"
    response = client.post("/accounts/calendar/", {"action": "create"}, follow=True)
    assert "the old one no longer works" in response.content.decode()
    client.post("/accounts/calendar/", {"action": "revoke"})
    response = client.post("/accounts/calendar/", {"action": "create"}, follow=True)
    assert "no longer works" not in response.content.decode(), "off, then on: nothing to retire"


def test_the_address_has_a_copy_button(client, alice):
    client.force_login(alice)
    client.post("/accounts/calendar/", {"action": "create"})
    page = page_text(client, "/accounts/calendar/")
    assert (
        '<button class="btn btn-outline-secondary" type="button" data-copy-target="feed-url"'
        in (page)
    )
    assert 'id="feed-url"' in page
