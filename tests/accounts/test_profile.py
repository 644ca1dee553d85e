import pytest
from django.test import RequestFactory
from django.utils import timezone

from accounts.middleware import UserTimezoneMiddleware

PREFERENCES = {
    "display_name": "Alice Martin",
    "time_zone": "Europe/Paris",
    "reminder_mode": "digest",
    "digest_hour": "8",
    "quiet_hours_start": "22:00",
    "quiet_hours_end": "07:30",
    "thank_you_hours": "12",
    "check_in_business_days": "5",
    "offer_days_before": "3",
    "inactivity_days": "21",
}


def test_it_shows_the_profile_of_the_logged_in_user(client, alice):
    client.force_login(alice)
    response = client.get("/accounts/profile/")
    assert response.status_code == 200
    assert 'value="Alice Martin"' in response.content.decode()
    assert response.context["form"].initial["time_zone"] == "Europe/Paris"


def test_it_saves_name_and_time_zone(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/profile/",
        {**PREFERENCES, "display_name": "Alice M.", "time_zone": "Asia/Tokyo"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone) == ("Alice M.", "Asia/Tokyo")


def test_it_refuses_an_unknown_time_zone_and_keeps_the_old_one(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/profile/", {**PREFERENCES, "display_name": "Alice", "time_zone": "Nowhere"}
    )
    assert "not one of the available choices" in response.content.decode()
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone) == ("Alice Martin", "Europe/Paris")


def test_requests_run_in_the_users_time_zone(alice):
    seen = []
    middleware = UserTimezoneMiddleware(
        lambda request: seen.append(timezone.get_current_timezone_name())
    )
    request = RequestFactory().get("/")
    request.user = alice
    middleware(request)
    assert seen == ["Europe/Paris"]
    assert timezone.get_current_timezone_name() == "UTC", (
        "the zone must not leak to the next request"
    )


def test_it_saves_reminder_preferences_and_due_times(client, alice):
    client.force_login(alice)
    client.post("/accounts/profile/", PREFERENCES)
    alice.refresh_from_db()
    assert (alice.reminder_mode, alice.digest_hour, str(alice.quiet_hours_end)) == (
        "digest",
        8,
        "07:30:00",
    )
    assert (alice.thank_you_hours, alice.check_in_business_days) == (12, 5)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quiet_hours_end": ""}, "Give both ends of your quiet hours"),
        ({"quiet_hours_end": "22:00"}, "start and end at the same time"),
        ({"quiet_hours_start": "25:00"}, "Enter a valid time"),
        ({"thank_you_hours": "0"}, "greater than or equal to 1"),
        ({"digest_hour": "24"}, "less than or equal to 23"),
        ({"digest_hour": "6"}, "falls in your quiet hours"),
    ],
)
def test_it_refuses_impossible_preferences_and_keeps_the_old_ones(client, alice, change, message):
    client.force_login(alice)
    response = client.post("/accounts/profile/", {**PREFERENCES, **change})
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.reminder_mode == "each"


@pytest.mark.parametrize(
    "name", ["Alice\nBcc: all@example.com", "Alice\r\nMartin", "Alice\tMartin", "Alice\x0bM"]
)
def test_it_refuses_a_name_with_a_line_break_or_control_character(client, alice, name):
    # The name goes into the From of every message sent; a line break there broke every send.
    client.force_login(alice)
    response = client.post("/accounts/profile/", {**PREFERENCES, "display_name": name})
    assert response.status_code == 200
    assert "Your name must be one line" in response.content.decode()
    alice.refresh_from_db()
    assert alice.display_name == "Alice Martin"


def test_the_currency_is_chosen_on_the_profile(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/profile/").content.decode()
    assert 'name="currency" value="EUR"' in page
    client.post("/accounts/profile/", {**PREFERENCES, "currency": "chf"})
    alice.refresh_from_db()
    assert alice.currency == "CHF"
    response = client.post("/accounts/profile/", {**PREFERENCES, "currency": "€"})
    assert "three-letter code" in response.content.decode()
    alice.refresh_from_db()
    assert alice.currency == "CHF"


def test_a_new_user_gets_the_currency_of_their_time_zone(client, db):
    from accounts.models import User, currency_for_time_zone

    client.post(
        "/accounts/signup/",
        {
            "display_name": "Lee Hart",
            "email": "lee@example.com",
            "password1": "violet-harbour-lantern",
            "password2": "violet-harbour-lantern",
            "time_zone": "Europe/London",
        },
    )
    assert User.objects.get(email="lee@example.com").currency == "GBP"
    assert [
        currency_for_time_zone(zone)
        for zone in ("Europe/Paris", "America/Chicago", "America/Indiana/Knox", "Australia/Perth")
    ] == ["EUR", "USD", "USD", "AUD"]


def test_the_digest_hour_is_ignored_unless_digest_mode_is_chosen(client, alice):
    client.force_login(alice)
    alice.digest_hour = 9
    alice.save()
    # Single emails: a junk hour (a hidden field the browser still sent) is no error.
    response = client.post(
        "/accounts/profile/", {**PREFERENCES, "reminder_mode": "each", "digest_hour": "99"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.reminder_mode, alice.digest_hour) == ("each", 9)
    # A digest: the hour counts, and is checked.
    response = client.post(
        "/accounts/profile/", {**PREFERENCES, "reminder_mode": "digest", "digest_hour": "99"}
    )
    assert response.status_code == 200
    assert "less than or equal to 23" in response.content.decode()
    client.post(
        "/accounts/profile/", {**PREFERENCES, "reminder_mode": "digest", "digest_hour": "10"}
    )
    alice.refresh_from_db()
    assert (alice.reminder_mode, alice.digest_hour) == ("digest", 10)


def test_the_digest_hour_is_marked_to_show_only_beside_digest_mode(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/profile/").content.decode()
    assert 'data-shown-when="reminder_mode=digest"' in page
    assert 'id="div_id_digest_hour"' in page, "the wrapper the script hides"
