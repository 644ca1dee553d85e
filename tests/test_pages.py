import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.views.defaults import server_error

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
    page = client.get("/").content.decode()
    assert "Welcome, Alice" in page
    assert 'href="/accounts/signup/"' not in page


@pytest.mark.parametrize("path", ["/accounts/profile/", "/accounts/password/change/"])
def test_private_pages_send_visitors_to_the_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={path}"


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
    page = client.get("/accounts/profile/").content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert len(assets) >= 4
    for url in assets:
        assert url.startswith("/static/"), f"{url} is loaded from outside the project"
        assert finders.find(url.removeprefix("/static/")), f"{url} is missing from static/"


def test_the_page_has_no_inline_script_or_style(client):
    # The CSP forbids them, so a browser would silently drop them.
    page = client.get("/accounts/signup/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "<style" not in page
    assert " style=" not in page


def test_the_health_check_answers_without_a_login(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
