from django.test import RequestFactory
from django.utils import timezone

from accounts.middleware import UserTimezoneMiddleware


def test_it_shows_the_profile_of_the_logged_in_user(client, alice):
    client.force_login(alice)
    response = client.get("/accounts/profile/")
    assert response.status_code == 200
    assert 'value="Alice Martin"' in response.content.decode()
    assert response.context["form"].initial["time_zone"] == "Europe/Paris"


def test_it_saves_name_and_time_zone(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/profile/", {"display_name": "Alice M.", "time_zone": "Asia/Tokyo"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone) == ("Alice M.", "Asia/Tokyo")


def test_it_refuses_an_unknown_time_zone_and_keeps_the_old_one(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/profile/", {"display_name": "Alice", "time_zone": "Nowhere"})
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
