"""The company-history hint finds earlier applications by the company's words."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import services
from applications.companies import same_company, same_company_names
from applications.models import Application, CompanyNameOpening
from applications.selectors import company_history
from dataio.models import ImportBatch
from tests.applications.forms_helper import form_data
from tests.dataio.test_import import mapping_post, upload
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


# --- The kept openings: every write of a company keeps what the pages look names up by ----


def kept_names(owner) -> set[str]:
    return set(CompanyNameOpening.objects.filter(owner=owner).values_list("name", flat=True))


def earlier_on_page(client, application) -> str:
    """The "Earlier with …" panel of the application's page ("" without one)."""
    page = client.get(f"/applications/{application.pk}/").content.decode()
    start = page.find('id="history-heading"')
    return "" if start < 0 else page[start : page.index("</section>", start)]


def test_each_name_is_kept_by_its_openings(alice, make_application):
    make_application(alice, company="ACME Robotics GmbH")
    kept = CompanyNameOpening.objects.filter(owner=alice).values_list("name", "opening")
    assert sorted(kept) == [("ACME Robotics GmbH", "ac"), ("ACME Robotics GmbH", "ro")]


def test_a_name_without_a_word_that_names_a_company_is_not_kept(alice, make_application):
    make_application(alice, company="A & Co")
    assert kept_names(alice) == set()


def test_the_page_finds_an_earlier_application_made_by_each_way_of_adding_one(
    logged_in, alice, make_application
):
    make_application(alice, company="Acme", job_title="Added with the form")
    Application.objects.bulk_create(
        [Application(owner=alice, company="ACME Ltd", job_title="Bulk")]
    )
    csv = "Company,Position\nAcme Robotics,Imported role\n"
    batch = csv_import_batch(logged_in, alice, csv)
    assert batch.state == "done", batch.state
    now = make_application(alice, company="Acme Robotics Inc.", job_title="Current role")
    panel = earlier_on_page(logged_in, now)
    assert "Added with the form" in panel
    assert "Bulk" in panel
    assert "Imported role" in panel


def csv_import_batch(client, owner, text: str):
    """The CSV imported through its pages, as the import's own tests do."""
    upload(client, text)
    batch = ImportBatch.objects.get(owner=owner)
    client.post(f"/import/{batch.pk}/", mapping_post(batch))
    batch.refresh_from_db()
    return batch


def test_a_renamed_company_is_found_by_its_new_name_and_no_longer_by_its_old(
    logged_in, alice, make_application
):
    renamed = make_application(alice, company="Initech", job_title="Renamed role")
    url = f"/applications/{renamed.pk}/edit/"
    response = logged_in.post(url, form_data(logged_in, url, company="Globex Corporation"))
    assert response.status_code == 302
    assert kept_names(alice) == {"Globex Corporation"}, "no application is at Initech any more"
    globex = make_application(alice, company="Globex", job_title="New role")
    assert "Renamed role" in earlier_on_page(logged_in, globex)
    initech = make_application(alice, company="Initech", job_title="Another")
    assert "Renamed role" not in earlier_on_page(logged_in, initech)


def test_a_name_still_in_use_is_kept_when_one_application_leaves_it(alice, make_application):
    first = make_application(alice, company="Initech")
    make_application(alice, company="Initech")
    first.company = "Globex"
    services.application_update(application=first, changed_fields=["company"])
    assert kept_names(alice) == {"Initech", "Globex"}


def test_deleting_the_last_application_at_a_company_forgets_its_name(
    logged_in, alice, make_application
):
    kept = make_application(alice, company="Acme")
    gone = make_application(alice, company="Umbrella Corporation")
    logged_in.post(f"/applications/{gone.pk}/delete/")
    assert not Application.objects.filter(pk=gone.pk).exists()
    assert kept_names(alice) == {kept.company}


def test_the_same_name_is_found_even_when_its_openings_were_not_kept(
    logged_in, alice, make_application
):
    make_application(alice, company="Acme", job_title="Earlier role")
    now = make_application(alice, company="Acme", job_title="Current role")
    CompanyNameOpening.objects.all().delete()  # as a write round save() would leave it
    assert "Earlier role" in earlier_on_page(logged_in, now)


def test_another_users_names_never_show_on_the_page(logged_in, alice, bob, make_application):
    make_application(bob, company="Acme Robotics", job_title="Bob's secret role")
    make_application(bob, company="Acme", job_title="Bob's other role")
    now = make_application(alice, company="Acme", job_title="Current role")
    assert earlier_on_page(logged_in, now) == ""
    assert kept_names(alice) == {"Acme"}


def test_the_migration_keeps_the_names_of_applications_made_before_it(migrate, alice, bob):
    migrate(("applications", "0016_timelineevent_newest_first_index"))
    from django.db.migrations.executor import MigrationExecutor

    state = MigrationExecutor(connection).loader.project_state(
        ("applications", "0016_timelineevent_newest_first_index")
    )
    Old = state.apps.get_model("applications", "Application")
    for owner, company in [(alice, "Acme Robotics"), (alice, "Acme Robotics"), (bob, "Globex")]:
        Old.objects.create(owner_id=owner.pk, company=company, job_title="Engineer")
    migrate(("applications", "0017_company_name_openings"))
    kept = CompanyNameOpening.objects.values_list("owner_id", "name", "opening")
    assert sorted(kept) == sorted(
        [
            (alice.pk, "Acme Robotics", "ac"),
            (alice.pk, "Acme Robotics", "ro"),
            (bob.pk, "Globex", "gl"),
        ]
    )


def test_the_rebuild_command_puts_back_what_writes_around_the_orm_left_out(
    logged_in, alice, bob, make_application
):
    from django.core.management import call_command

    earlier = make_application(alice, company="Acme", job_title="Earlier role")
    make_application(bob, company="Globex")
    Application.objects.filter(pk=earlier.pk).update(company="Acme Robotics")  # no save()
    CompanyNameOpening.objects.create(owner=alice, name="Gone Ltd", opening="go")
    call_command("company_names_rebuild", stdout=io.StringIO())
    assert kept_names(alice) == {"Acme Robotics"}
    assert kept_names(bob) == {"Globex"}
    now = make_application(alice, company="Acme", job_title="Current role")
    assert "Earlier role" in earlier_on_page(logged_in, now)
