"""Site-wide rules: NUL bytes never reach a query, and private pages are never cached."""

import pytest
from django.test import Client

from dataio.models import CalendarFeed

# Query strings that reach a query, a form or a filter on pages a user can open.
NUL_QUERIES = [
    "/applications/?q=%00",
    "/applications/?stage=%00&sort=%00",
    "/applications/?tag=1%00",
    "/applications/company-history/?company=Acme&exclude=1%00",
    "/applications/board/?q=%00",
    "/followups/?kind=%00",
    "/contacts/?q=%00",
    "/inbox/?page=%00",
    "/?%00=1",
    "/accounts/login/?next=/%00",
]


@pytest.mark.parametrize("url", NUL_QUERIES)
def test_a_nul_byte_in_the_query_string_is_a_bad_request_not_a_server_error(
    alice, application, url
):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not understand that request" in page
    assert "NUL character (%00)" in page, "says what to remove"


@pytest.mark.parametrize("url", ["/calendar/abc%00def.ics", "/applications/%00/"])
def test_a_nul_byte_in_the_address_is_not_found(alice, url):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    assert client.get(url).status_code == 404


def no_store(response) -> bool:
    value = response.headers.get("Cache-Control", "")
    return "no-store" in value and "private" in value


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/applications/",
        "/applications/board/",
        "/followups/",
        "/contacts/",
        "/accounts/profile/",
        "/accounts/calendar/",
        "/export/applications.csv",
        "/export/everything.json",
    ],
)
def test_private_pages_and_exports_are_never_stored_by_a_cache(client, alice, application, url):
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert no_store(response), f"{url}: Cache-Control is {response.get('Cache-Control')!r}"


def test_the_calendar_feed_is_never_stored_by_a_cache(client, alice):
    feed = CalendarFeed.objects.create(owner=alice)
    response = client.get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert no_store(response)


def test_the_public_home_page_may_be_cached(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Sign up" in response.content.decode() or "Log in" in response.content.decode()
    assert not no_store(response)


def test_static_files_keep_their_own_caching(client, db, settings):
    # WhiteNoise serves straight from the source folders, as `make run` does.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = client.get("/static/css/bridges.css")
    assert response.status_code == 200
    assert not no_store(response)
