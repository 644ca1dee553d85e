"""The company-history hint finds earlier applications by the company's words."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.companies import same_company, same_company_names
from applications.models import Application
from applications.selectors import company_history
from tests.pages import page_text


def hint(client, typed: str) -> str:
    return page_text(client, "/applications/company-history/", {"company": typed})


def test_part_of_the_name_finds_the_earlier_application(logged_in, alice, make_application):
    make_application(alice, company="Acme Robotics", job_title="Robot Wrangler")
    assert "Robot Wrangler" in hint(logged_in, "Acme")
    assert "Robot Wrangler" in hint(logged_in, "acme robot")


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("Acme", "ACME Robotics Ltd"),
        ("acme robotics gmbh", "Acme Robotics"),
        ("Acme Robotics Inc.", "Acme"),
        ("Muller", "Müller GmbH"),
        ("Société Générale", "Societe Generale SA"),
        ("Procter and Gamble", "Procter & Gamble"),
        ("O'Reilly", "OReilly Media"),
        ("HP", "HP Inc"),
    ],
)
def test_case_accents_punctuation_and_legal_forms_do_not_matter(typed, saved):
    assert same_company(typed, saved)


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("A", "Acme Robotics"),
        ("Ac", "Acme Robotics"),
        ("The", "The Guardian"),
        ("Ltd", "Acme Ltd"),
        ("Acme", "Globex"),
        ("Acme Globex", "Acme Robotics"),
        ("", "Acme"),
    ],
)
def test_tiny_words_and_other_companies_find_nothing(typed, saved):
    assert not same_company(typed, saved)


def test_another_users_applications_are_never_hinted(logged_in, bob, make_application):
    make_application(bob, company="Acme Robotics", job_title="Bob's secret role")
    assert "Bob's secret role" not in hint(logged_in, "Acme")


def test_the_application_page_shows_earlier_ones_by_company_words(
    logged_in, alice, make_application
):
    make_application(alice, company="Acme", job_title="Earlier role")
    now = make_application(alice, company="ACME Robotics GmbH", job_title="Current role")
    page = page_text(logged_in, f"/applications/{now.pk}/")
    assert "Earlier role" in page


def test_the_hint_costs_the_same_queries_however_many_applications(logged_in, alice):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            hint(logged_in, "Acme")
        return len(captured)

    Application.objects.bulk_create(
        Application(owner=alice, company=f"Acme {n}", job_title="Dev") for n in range(3)
    )
    few = queries()
    Application.objects.bulk_create(
        Application(owner=alice, company=f"Firm {n}", job_title="Dev") for n in range(300)
    )
    assert queries() == few


NAMES = ["Acme", "ACME Robotics Ltd", "Acme Robotics", "Müller GmbH", "Muller", "HP Inc", "HP",
         "Hewlett Packard", "The Guardian", "Globex", "Procter & Gamble", "OReilly Media", "A",
         "Ac", "Ltd", "", "Acme Globex", "Société Générale", "Societe Generale SA", "O'Reilly",
         "O`Brien", "OBrien Labs", "Straße AG", "Strasse", "Łódź Media", "Lodz", "3M", "3m Co",
         "foo_bar", "Bar Foo", "Zürich Versicherung", "zurich", "  Kite  ", "KITE-Cloud"]  # fmt: skip


@pytest.mark.parametrize("typed", NAMES)
def test_a_page_finds_among_many_names_those_same_company_tells(typed):
    assert same_company_names(typed, NAMES) == [n for n in NAMES if same_company(typed, n)]


@pytest.mark.parametrize("typed", NAMES)
def test_the_history_finds_among_the_saved_names_those_same_company_tells(alice, typed):
    Application.objects.bulk_create(
        Application(owner=alice, company=name, job_title=f"Role {n}")
        for n, name in enumerate(NAMES)
    )
    found = {earlier.company for earlier in company_history(user=alice, company=typed)}
    assert found == {name for name in NAMES if same_company(typed, name)}
