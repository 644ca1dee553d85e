import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver
from django.views.defaults import server_error

from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_the_landing_page_tells_a_visitor_what_bridges_does(client):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Never leave an employer waiting" in page
    assert 'href="/accounts/signup/"' in page
    assert 'href="/accounts/login/"' in page


def test_the_landing_page_greets_a_logged_in_user(client, alice):
    client.force_login(alice)
    page = page_text(client, "/")
    assert "<title>Home · Bridges</title>" in page
    assert page.count("Welcome, Alice") == 1
    assert 'href="/applications/board/"' in page
    assert 'href="/accounts/signup/"' not in page
    assert "Funnel" in page or "Start here" in page, "a logged-in user's home is the dashboard"


PUBLIC = {"/", "/healthz/"}
# Views that answer without a login although their URL takes a parameter: the parameter is
# the key (a signed reminder link, the calendar feed's secret token, the signed links in the
# sharing reminder and the recruiter's digest).
PUBLIC_BY_TOKEN = {
    "messaging.reminder_views.reminder_action",
    "dataio.views.calendar_feed",
    "agencies.views.renew_link",
    "agencies.views.digest_off",
}


def plain_routes(resolver=None, prefix=""):
    """Every URL without parameters outside allauth's and the admin's own trees."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if "allauth" not in str(entry.urlconf_name) and not route.startswith(
                settings.ADMIN_URL
            ):
                yield from plain_routes(entry, route)
        elif not entry.pattern.converters:
            yield "/" + route


def test_every_page_but_the_public_ones_needs_a_login(client, db):
    routes = set(plain_routes())
    assert {"/applications/", "/applications/board/", "/accounts/profile/"} <= routes
    for path in routes - PUBLIC:
        response = client.get(path)
        assert response.status_code == 302, f"{path} answered {response.status_code} to a visitor"
        # Staff pages go through the admin's login, which itself is allauth's.
        assert response.url in (
            f"/accounts/login/?next={path}",
            f"/{settings.ADMIN_URL}login/?next={path}",
        )


def views_without_login(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            # The admin's tree is told apart by its address, not by a module's file path (a
            # checkout may well live in a folder called "admin").
            if "allauth" not in str(entry.urlconf_name) and not route.startswith(
                settings.ADMIN_URL
            ):
                yield from views_without_login(entry, route)
        elif entry.pattern.converters and not getattr(entry.callback, "login_required", True):
            yield entry.lookup_str


def test_only_the_known_token_urls_answer_without_a_login():
    assert set(views_without_login()) == PUBLIC_BY_TOKEN


def test_an_unknown_address_gets_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_a_crash_gets_a_friendly_500():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_a_post_without_its_csrf_token_is_refused_with_an_explanation(alice, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": alice.email, "password": password})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_pages_carry_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_asset_the_shell_loads_is_served_by_the_project(client, alice):
    client.force_login(alice)
    page = page_text(client, "/accounts/profile/")
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert len(assets) >= 4
    for url in assets:
        assert url.startswith("/static/"), f"{url} is loaded from outside the project"
        assert finders.find(url.removeprefix("/static/")), f"{url} is missing from static/"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accounts/signup/",
        "/accounts/profile/",
        "/applications/board/",
        "/applications/",
        "/applications/new/",
        "/contacts/",
        "/dashboard/",
        "/import/",
        "/accounts/calendar/",
        "/accounts/delete/",
    ],
)
def test_pages_have_no_inline_script_or_style(client, alice, path):
    # The CSP forbids them, so a browser would silently drop them.
    if path != "/accounts/signup/":
        client.force_login(alice)
    page = page_text(client, path)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "<style" not in page
    assert " style=" not in page


def test_the_health_check_answers_without_a_login(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_the_health_check_fails_while_the_database_does(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503
