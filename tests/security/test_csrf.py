"""Every route refuses a state-changing request without its CSRF token: the site's own pages,
allauth's and the admin's, found by walking the URLconf, with real ids in their parameters."""

import pytest
from django.test import Client

from tests.pages import page_text
from tests.security.conftest import values_for
from tests.security.urlconf import routes, url_for

# The admin's last pattern catches any address to redirect it; it has no name to reverse.
ALL_ROUTES = [r for r in routes() if not (r.is_admin and not r.name)]


@pytest.fixture
def csrf_client(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def test_the_walk_covers_the_sites_allauths_and_the_admins_routes():
    assert any(r.is_admin for r in ALL_ROUTES)
    assert any(r.is_allauth for r in ALL_ROUTES)
    assert sum(1 for r in ALL_ROUTES if not (r.is_admin or r.is_allauth)) >= 35


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_route_takes_a_request_without_its_csrf_token(csrf_client, world, method):
    accepted = []
    for route in ALL_ROUTES:
        url = url_for(route, values_for(route, world))
        response = getattr(csrf_client, method)(url, {"stage": "closed", "action": "send"})
        if response.status_code != 403:
            accepted.append(f"{method.upper()} {url} → {response.status_code}")
    assert not accepted, "answered without a CSRF token:\n" + "\n".join(accepted)


def test_a_logged_out_visitors_forms_need_the_token_too(db):
    client = Client(enforce_csrf_checks=True)
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        assert client.post(path, {"login": "x@example.com"}).status_code == 403, path


def test_htmx_requests_send_the_token_from_the_page(client, alice, application):
    # The board's drag and drop posts through htmx; base.html hands it the token.
    client.force_login(alice)
    page = page_text(client, "/applications/board/")
    assert "hx-headers" in page and "X-CSRFToken" in page
