"""A currency only beside an amount, and the user's own when none is given."""

import pytest

from applications.models import Application, Offer
from tests.applications.forms_helper import form_data
from tests.conftest import make_user
from tests.pages import page_text


@pytest.fixture
def londoner(db, clock):
    return make_user("lee@example.com", display_name="Lee Hart", time_zone="Europe/London")


@pytest.fixture
def londoners_browser(client, londoner):
    """Lee's browser, logged in: a user in London, whose own currency is the pound."""
    client.force_login(londoner)
    return client


def test_a_london_user_adds_salaries_in_pounds(londoners_browser, londoner):
    assert londoner.currency == "GBP"
    page = page_text(londoners_browser, "/applications/new/")
    assert 'name="salary_currency" value="GBP"' in page
    data = form_data(londoners_browser, "/applications/new/", company="Acme", job_title="Dev")
    data["salary_min"] = "60000"
    assert londoners_browser.post("/applications/new/", data).status_code == 302
    assert Application.objects.get(owner=londoner).salary_currency == "GBP"


def test_no_salary_means_no_currency(londoners_browser, londoner):
    data = form_data(londoners_browser, "/applications/new/", company="Acme", job_title="Dev")
    assert data["salary_currency"] == "GBP", "the field offers the user's currency"
    assert londoners_browser.post("/applications/new/", data).status_code == 302
    application = Application.objects.get(owner=londoner)
    assert application.salary_currency == ""
    assert "GBP" not in page_text(londoners_browser, f"/applications/{application.pk}/")


def test_a_salary_with_its_currency_cleared_gets_the_users_own(londoners_browser, londoner):
    data = form_data(
        londoners_browser, "/applications/new/", company="Acme", job_title="Dev", salary_max="70000"
    )
    data["salary_currency"] = ""
    londoners_browser.post("/applications/new/", data)
    assert Application.objects.get(owner=londoner).salary_currency == "GBP"


def test_a_currency_typed_in_lower_case_is_kept_in_capitals(londoners_browser, londoner):
    data = form_data(londoners_browser, "/applications/new/", company="Acme", job_title="Dev")
    londoners_browser.post(
        "/applications/new/", {**data, "salary_min": "1", "salary_currency": "usd"}
    )
    assert Application.objects.get(owner=londoner).salary_currency == "USD"


def test_an_offer_without_an_amount_has_no_currency(londoners_browser, londoner, make_application):
    application = make_application(londoner)
    url = f"/applications/{application.pk}/offer/"
    data = form_data(londoners_browser, url)
    assert data["currency"] == "GBP"
    assert londoners_browser.post(url, {**data, "notes": "Verbal offer"}).status_code == 302
    assert Offer.objects.get(application=application).currency == ""


def test_an_offer_with_an_amount_is_in_the_users_currency(
    londoners_browser, londoner, make_application
):
    application = make_application(londoner)
    url = f"/applications/{application.pk}/offer/"
    londoners_browser.post(
        url, {**form_data(londoners_browser, url), "amount": "65000", "currency": ""}
    )
    assert Offer.objects.get(application=application).currency == "GBP"


def test_the_migration_clears_a_currency_saved_without_an_amount(migrate, alice, make_application):
    bare = make_application(alice, company="Bare")
    paid = make_application(alice, company="Paid", salary_min=50000)
    Application.objects.filter(pk__in=[bare.pk, paid.pk]).update(salary_currency="EUR")
    offer_less = Offer.objects.create(application=bare, currency="EUR")
    migrate(("applications", "0009_application_submission"))
    migrate(("applications", "0010_currency_only_beside_an_amount"))
    bare.refresh_from_db(fields=["salary_currency"])
    paid.refresh_from_db(fields=["salary_currency"])
    offer_less.refresh_from_db(fields=["currency"])
    assert (bare.salary_currency, paid.salary_currency) == ("", "EUR")
    assert offer_less.currency == ""
