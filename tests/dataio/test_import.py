"""CSV import: upload, columns, preview with per-row errors, all or nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application, FollowUp, TimelineEvent
from applications.stages import Stage
from dataio import services
from dataio.models import ImportBatch
from tests.pages import page_text

HEADER = "Company,Position,Link,Status,Date Applied,Salary,Location,Notes\n"


def upload(client, text: str | bytes, name: str = "jobs.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post("/import/", {"file": SimpleUploadedFile(name, data, "text/csv")})


def mapping_post(batch: ImportBatch, action: str = "import", **changes) -> dict:
    data = {f"column_{i}": name for i, name in batch.mapping.items()}
    data |= {"day_first": "1" if batch.day_first else "0", "action": action}
    if batch.skip_duplicates:
        data["skip_duplicates"] = "on"
    data.update(changes)
    return data


def test_it_recognises_common_column_names_and_imports_every_row(logged_in, alice):
    response = upload(
        logged_in,
        HEADER
        + "Acme,Backend Engineer,acme.example/jobs/1,Interviewing,2024-03-05,50k-60k EUR,Berlin,Nice team\n"
        + 'Globex,"Data Engineer, Senior",https://globex.example/9,Applied,07/03/2024,,Remote,\n',
    )
    batch = ImportBatch.objects.get(owner=alice)
    assert response.url == f"/import/{batch.pk}/"
    assert set(batch.mapping.values()) == {
        *("company", "job_title", "posting_url", "stage", "applied_on"),
        *("salary", "location", "notes"),
    }
    page = page_text(logged_in, response.url)
    assert "Every row can be imported" in page
    assert "Backend Engineer" in page
    response = logged_in.post(response.url, mapping_post(batch))
    assert response.url == f"/import/{batch.pk}/status/"
    assert "Imported 2 applications" in page_text(logged_in, response.url)
    acme = Application.objects.get(owner=alice, company="Acme")
    assert acme.stage == Stage.INTERVIEWING
    assert acme.posting_url == "https://acme.example/jobs/1"
    assert (acme.salary_min, acme.salary_max, acme.salary_currency) == (50000, 60000, "EUR")
    assert acme.applied_on == datetime.date(2024, 3, 5)
    globex = Application.objects.get(owner=alice, company="Globex")
    assert globex.job_title == "Data Engineer, Senior"
    assert globex.applied_on == datetime.date(2024, 3, 7), "day-first: 07/03 is 7 March"


def test_semicolons_and_a_byte_order_mark_are_read(logged_in, alice):
    text = "\ufeffCompany;Title;Status\nMüller GmbH;Entwickler;applied\n"
    upload(logged_in, text.encode("utf-8"))
    batch = ImportBatch.objects.get(owner=alice)
    assert batch.delimiter == ";"
    logged_in.post(f"/import/{batch.pk}/", mapping_post(batch))
    assert Application.objects.get(owner=alice).company == "Müller GmbH"


def test_one_bad_row_imports_nothing_and_every_error_has_its_row_number(logged_in, alice):
    upload(
        logged_in,
        HEADER
        + "Acme,Engineer,,Applied,2024-03-05,,,\n"
        + "Globex,Engineer,,Maybe later,2024-03-05,,,\n"
        + ",Engineer,,Applied,31/02/2024,,,\n"
        + "Initech,Engineer,,Applied,yesterday-ish,,,\n",
    )
    batch = ImportBatch.objects.get(owner=alice)
    page = page_text(logged_in, f"/import/{batch.pk}/")
    assert "Row 3: “Maybe later” is not a stage Bridges knows" in page
    assert "Row 4: The company is missing." in page
    assert "Row 4: “31/02/2024” is not a date" in page
    assert "Row 5: “yesterday-ish” is not a date" in page
    assert "Import 4 rows" not in page, "the import button is offered only for a clean file"
    logged_in.post(f"/import/{batch.pk}/", mapping_post(batch))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED
    assert [number for number, _ in batch.errors] == [3, 4, 4, 5]
    assert not Application.objects.filter(owner=alice).exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", datetime.date(2024, 3, 5)),
        ("2024/03/05", datetime.date(2024, 3, 5)),
        ("05.03.2024", datetime.date(2024, 3, 5)),
        ("5 Mar 2024", datetime.date(2024, 3, 5)),
        ("March 5, 2024", datetime.date(2024, 3, 5)),
        ("05-Mar-2024", datetime.date(2024, 3, 5)),
        ("2024-03-05 14:30", datetime.date(2024, 3, 5)),
        ("2024-03-05T14:30:00Z", datetime.date(2024, 3, 5)),
    ],
)
def test_common_date_formats_are_accepted(alice, value, expected):
    batch = ImportBatch.objects.create(
        owner=alice,
        filename="d.csv",
        text=f'Company,Title,Date applied\nAcme,Dev,"{value}"\n',
        mapping={"0": "company", "1": "job_title", "2": "applied_on"},
        total_rows=1,
    )
    services.import_run(batch_id=batch.pk)
    assert Application.objects.get(owner=alice).applied_on == expected


def test_month_first_files_are_recognised_and_can_be_switched(logged_in, alice):
    upload(logged_in, "Company,Title,Date applied\nAcme,Dev,03/28/2024\nGlobex,Dev,04/02/2024\n")
    batch = ImportBatch.objects.get(owner=alice)
    assert batch.day_first is False, "28 cannot be a month, so the file is month-first"
    logged_in.post(f"/import/{batch.pk}/", mapping_post(batch))
    assert Application.objects.get(company="Globex").applied_on == datetime.date(2024, 4, 2)


def test_a_future_date_is_refused(logged_in, alice):
    upload(logged_in, "Company,Title,Date applied\nAcme,Dev,2099-01-01\n")
    batch = ImportBatch.objects.get(owner=alice)
    page = page_text(logged_in, f"/import/{batch.pk}/")
    assert "Row 2: 2099-01-01 is in the future" in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "binary file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "jobs.csv", "spreadsheet workbook"),
        ("Company,Title\nCaf\xe9,Dev\n".encode("latin-1"), "jobs.csv", "not UTF-8 text"),
        ("Company,Title\nAcme,Dev\n".encode("utf-16"), "jobs.csv", "UTF-16"),
        (b"Company,Title\nAcme,Dev\n", "jobs.pdf", "Choose a CSV file"),
        (b"", "jobs.csv", "empty"),
        (b"Company,Title\n", "jobs.csv", "no rows of data"),
        (b'Company,Title\n"Acme,Dev\n', "jobs.csv", "not valid CSV"),
    ],
)
def test_a_file_that_is_not_readable_csv_is_refused_with_a_reason(
    logged_in, alice, data, name, message
):
    response = upload(logged_in, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_5_mb_is_refused(logged_in, alice):
    big = HEADER + ("Acme,Dev,,applied,,,,x\n" * 260_000)
    assert len(big) > 5 * 1024 * 1024
    response = upload(logged_in, big)
    assert "the limit is 5 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_duplicates_are_reported_and_skipped_on_request(logged_in, alice, make_application):
    make_application(alice, company="Acme", job_title="Backend Engineer")
    upload(
        logged_in,
        "Company,Title\nacme,backend engineer\nGlobex,Dev\nGlobex,Dev\n",
    )
    batch = ImportBatch.objects.get(owner=alice)
    page = page_text(logged_in, f"/import/{batch.pk}/")
    assert "2 possible duplicates" in page
    assert "Row 2: backend engineer at acme. You already have this application." in page
    assert "Row 4: Dev at Globex. Same company and title as row 3." in page
    logged_in.post(f"/import/{batch.pk}/", mapping_post(batch))
    assert Application.objects.filter(owner=alice).count() == 2
    batch.refresh_from_db()
    assert (batch.imported_count, batch.skipped_count) == (1, 2)


def test_duplicates_are_imported_when_the_user_says_so(logged_in, alice, make_application):
    make_application(alice, company="Acme", job_title="Dev")
    upload(logged_in, "Company,Title\nAcme,Dev\n")
    batch = ImportBatch.objects.get(owner=alice)
    data = mapping_post(batch)
    del data["skip_duplicates"]
    logged_in.post(f"/import/{batch.pk}/", data)
    assert Application.objects.filter(owner=alice, company="Acme").count() == 2


def test_columns_can_be_chosen_by_hand(logged_in, alice):
    upload(logged_in, "Firm,Post,Misc\nAcme,Dev,ignore me\n")
    batch = ImportBatch.objects.get(owner=alice)
    assert batch.mapping == {}
    page = page_text(logged_in, f"/import/{batch.pk}/")
    assert "Choose the column that holds the company" in page
    response = logged_in.post(
        f"/import/{batch.pk}/",
        {"column_0": "company", "column_1": "company", "day_first": "1", "action": "preview"},
    )
    assert "Company is chosen for more than one column" in response.content.decode()
    logged_in.post(
        f"/import/{batch.pk}/",
        {"column_0": "company", "column_1": "job_title", "day_first": "1", "action": "import"},
    )
    application = Application.objects.get(owner=alice)
    assert (application.company, application.job_title, application.notes) == ("Acme", "Dev", "")


def test_imported_applications_have_an_honest_timeline_and_no_reminders(alice, logged_in):
    upload(
        logged_in,
        "Company,Title,Status,Date applied\nAcme,Dev,Interviewing,2023-01-10\n"
        "Globex,Dev,Saved,\nInitech,Dev,Ghosted,2023-02-01\n",
    )
    batch = ImportBatch.objects.get(owner=alice)
    logged_in.post(f"/import/{batch.pk}/", mapping_post(batch))
    acme = Application.objects.get(company="Acme")
    events = list(acme.events.order_by("at", "id").values_list("kind", "from_stage", "to_stage"))
    assert events == [("imported", "", "applied"), ("imported", "applied", "interviewing")]
    created = acme.events.order_by("at").first()
    assert created.at.date() == datetime.date(2023, 1, 10)
    assert list(
        Application.objects.get(company="Globex").events.values_list("kind", "to_stage")
    ) == [("imported", "saved")]
    initech = Application.objects.get(company="Initech")
    assert (initech.stage, initech.end_reason, initech.ended_by) == (
        "closed",
        "no_response",
        "employer",
    )
    assert not FollowUp.objects.filter(owner=alice).exists(), (
        "old applications must not start reminders that are overdue at once"
    )
    batch.refresh_from_db()
    assert batch.text == "", "the file is not kept once imported"


def test_a_large_import_runs_in_the_background_with_its_progress(
    logged_in, alice, monkeypatch, django_capture_on_commit_callbacks, clock
):
    queued = []
    monkeypatch.setattr("dataio.tasks.run_import.delay", queued.append)
    monkeypatch.setattr(services, "INLINE_ROWS", 2)
    upload(logged_in, "Company,Title\n" + "".join(f"Co {n},Dev\n" for n in range(5)))
    batch = ImportBatch.objects.get(owner=alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(f"/import/{batch.pk}/", mapping_post(batch))
    assert queued == [batch.pk]
    page = page_text(logged_in, response.url)
    assert "Waiting to start" in page
    assert 'hx-trigger="every 1s"' in page, "the page polls for progress"
    ImportBatch.objects.filter(pk=batch.pk).update(
        state="running", processed_rows=2, started_at=clock.now()
    )
    part = page_text(logged_in, response.url, headers={"HX-Request": "true"})
    assert "Checking rows: 2 of 5" in part
    assert '<progress class="import-progress" max="100" value="40">' in part
    ImportBatch.objects.filter(pk=batch.pk).update(state="queued")
    from dataio.tasks import run_import

    assert run_import(batch.pk) == "done"
    assert run_import(batch.pk) == "done", "a task delivered twice imports once"
    assert Application.objects.filter(owner=alice).count() == 5
    part = page_text(logged_in, response.url, headers={"HX-Request": "true"})
    assert "Imported 5 applications" in part
    assert "hx-trigger" not in part, "polling stops once the import is finished"


def test_progress_is_reported_while_rows_are_checked(alice):
    batch = ImportBatch.objects.create(
        owner=alice,
        filename="big.csv",
        text="Company,Title\n" + "".join(f"Co {n},Dev\n" for n in range(2500)),
        mapping={"0": "company", "1": "job_title"},
        total_rows=2500,
        state="queued",
    )
    seen = []
    original = services.import_check

    def spy(batch, on_progress=None):
        def record(done):
            on_progress(done)
            seen.append(ImportBatch.objects.get(pk=batch.pk).processed_rows)

        return original(batch, on_progress=record)

    services.import_check, saved = spy, services.import_check
    try:
        services.import_run(batch_id=batch.pk)
    finally:
        services.import_check = saved
    assert seen == [1000, 2000]
    assert Application.objects.filter(owner=alice).count() == 2500


def test_a_formula_guard_from_the_export_is_taken_off(logged_in, alice):
    upload(logged_in, "Company,Title\n'=Acme,'-Dev\n")
    batch = ImportBatch.objects.get(owner=alice)
    logged_in.post(f"/import/{batch.pk}/", mapping_post(batch))
    application = Application.objects.get(owner=alice)
    assert (application.company, application.job_title) == ("=Acme", "-Dev")


def test_a_stale_running_import_is_taken_over_but_a_live_one_is_not(alice):
    batch = ImportBatch.objects.create(
        owner=alice,
        filename="x.csv",
        text="Company,Title\nAcme,Dev\n",
        mapping={"0": "company", "1": "job_title"},
        total_rows=1,
        state="running",
        started_at=datetime.datetime.now(datetime.UTC),
    )
    assert services.import_run(batch_id=batch.pk).state == "running"
    assert not TimelineEvent.objects.exists()
    ImportBatch.objects.filter(pk=batch.pk).update(
        started_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=10)
    )
    assert services.import_run(batch_id=batch.pk).state == "done"
