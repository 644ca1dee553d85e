"""CSV import: files too wide, too large or with too long cells are refused at the upload with a
plain message; every odd file (one column, empty, BOM, line endings, delimiters, NUL bytes,
binary junk) gets a clear message or a correct import, never a server error."""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application
from dataio import csv_import
from dataio.models import ImportBatch
from tests.pages import page_text


def upload(client, data: str | bytes, name: str = "jobs.csv"):
    data = data.encode() if isinstance(data, str) else data
    return client.post("/import/", {"file": SimpleUploadedFile(name, data, "text/csv")})


def import_all(client, batch: ImportBatch):
    data = {f"column_{i}": name for i, name in batch.mapping.items()}
    data |= {"day_first": "1", "action": "import", "skip_duplicates": "on"}
    return client.post(f"/import/{batch.pk}/", data)


# --- Too wide, too large, too long ---------------------------------------------------------


WIDE_HEADER = "Company,Title," + ",".join(f"col{n}" for n in range(2, 100_000))


@pytest.mark.parametrize(
    "rest",
    [
        "Acme,Dev\n",
        # Broken CSV after the header: refused for its width, so nothing past it was read.
        '"Acme,Dev\n',
    ],
    ids=["then-a-row", "then-broken-csv"],
)
def test_a_header_of_100000_columns_is_refused_at_the_upload(logged_in, alice, rest):
    response = upload(logged_in, WIDE_HEADER + "\n" + rest)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The header row has 100,000 columns; Bridges reads up to 200." in page
    assert "not valid CSV" not in page
    assert not ImportBatch.objects.exists(), "the file is not kept"
    assert page.count("<select") == 0, "no column choices are drawn"


def test_a_row_wider_than_200_columns_is_refused_with_its_row_number(logged_in, alice):
    response = upload(logged_in, "Company,Title\nAcme,Dev\n" + "x," * 499 + "x\n")
    assert "Row 3 has 500 columns; Bridges reads up to 200." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_of_more_than_500000_cells_is_refused(logged_in, alice):
    header = "Company,Title," + ",".join(f"c{n}" for n in range(2, 200))
    row = "Acme,Dev," + ",".join("x" for _ in range(2, 200))
    text = header + "\n" + "\n".join([row] * 2_500) + "\n"
    assert len(text) < csv_import.MAX_BYTES
    response = upload(logged_in, text)
    assert "more than 500,000 cells" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("length", [20_000, 300_000], ids=["long", "past-csv-field-limit"])
def test_a_very_long_cell_is_refused_with_its_row_number(logged_in, alice, length):
    response = upload(logged_in, f"Company,Title,Notes\nAcme,Dev,ok\nGlobex,Dev,{'n' * length}\n")
    page = response.content.decode()
    assert "A cell in row 3 is longer than 10,000 characters" in page
    assert not ImportBatch.objects.exists()


def test_a_single_line_of_megabytes_is_refused(logged_in, alice):
    response = upload(logged_in, "Company" + "x" * 3_000_000)
    assert "A cell in the header row is longer than 10,000 characters" in (
        response.content.decode()
    )
    assert not ImportBatch.objects.exists()


def test_a_long_bad_value_is_quoted_short_and_the_error_list_is_capped(logged_in, alice):
    long_date = "3" * 5_000
    rows = "".join(f"Co {n},Dev,{long_date}\n" for n in range(300))
    upload(logged_in, "Company,Title,Date applied\n" + rows)
    batch = ImportBatch.objects.get(owner=alice)
    page = page_text(logged_in, f"/import/{batch.pk}/")
    assert "300 problems" in page
    assert "… and 200 more." in page, "the page lists the first 100 problems"
    assert long_date not in page
    assert f"Row 2: “{'3' * 59}…” is not a date" in page


def test_a_batch_kept_before_the_limits_is_discarded_with_a_message(logged_in, alice):
    batch = ImportBatch.objects.create(
        owner=alice,
        filename="wide.csv",
        text="Company,Title," + ",".join(f"c{n}" for n in range(1_000)) + "\nAcme,Dev\n",
        total_rows=1,
    )
    response = logged_in.get(f"/import/{batch.pk}/")
    assert response.status_code == 302 and response.url == "/import/"
    assert "has 1,002 columns" in page_text(logged_in, "/import/")
    assert not ImportBatch.objects.exists()


# --- Odd files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        ("\ufeffCompany,Title\r\nAcme,Dev\r\n", [("Acme", "Dev")]),
        ("Company,Title\rAcme,Dev\r", [("Acme", "Dev")]),
        ('Company;Title\n"Acme, Inc";Dev, senior\n', [("Acme, Inc", "Dev, senior")]),
        ("Company\tTitle\nAcme\tDev\nGlobex\tOps\n", [("Acme", "Dev"), ("Globex", "Ops")]),
        ("\ufeffCompany;Title\r\nMüller;Entwickler\r\n", [("Müller", "Entwickler")]),
        ("Company,Title", None),
        ("Company,Title\nAcme,Dev", [("Acme", "Dev")]),
    ],
    ids=["bom-crlf", "cr-only", "semicolons-with-commas", "tabs", "bom-semicolons", "x", "no-eol"],
)
def test_files_of_every_usual_shape_import_correctly(logged_in, alice, data, rows):
    response = upload(logged_in, data.encode())
    if rows is None:
        assert "The file has a header but no rows of data." in response.content.decode()
        return
    batch = ImportBatch.objects.get(owner=alice)
    import_all(logged_in, batch)
    imported = Application.objects.filter(owner=alice).order_by("company")
    assert list(imported.values_list("company", "job_title")) == rows


@pytest.mark.parametrize(
    "data", ["company\nAcme\n", "Company\r\nAcme\r\nGlobex\r\n", '"Company"\n"A"']
)
def test_a_one_column_file_asks_for_the_title_column(logged_in, alice, data):
    response = upload(logged_in, data)
    batch = ImportBatch.objects.get(owner=alice)
    assert response.url == f"/import/{batch.pk}/"
    page = page_text(logged_in, response.url)
    assert "Choose the column that holds the title." in page
    assert "Import " not in page.replace("Import applications", "")
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty."),
        (b"\n\r\n  \n", "The file is empty."),
        (b"\xef\xbb\xbf", "no header row"),
        (b"\xef\xbb\xbf\r\n,,\r\nAcme,Dev\r\n", "no header row"),
        (b"Company,Title\nAc\x00me,Dev\n", "binary file"),
        (b"Company,Title\n" + b"Acme,Dev\n" * 9_000 + b"Ac\x00me,Dev\n", "binary file"),
        (random.Random(14).randbytes(4_000), "binary file"),  # noqa: S311 (test data)
        ("Company,Title\nSoci\xe9t\xe9,Dev\n".encode("cp1252"), "not UTF-8 text"),
        ("Company,Title\nAcme,Dev\n".encode("utf-16-le"), "binary file"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "bom-only",
        "blank-header",
        "nul",
        "nul-after-64k",
        "junk",
        "cp1252",
        "utf-16-no-bom",
    ],
)
def test_unreadable_files_get_a_clear_message(logged_in, alice, data, message):
    response = upload(logged_in, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_random_files_never_give_a_server_error(logged_in, alice):
    """Two hundred small files drawn from the characters that trouble CSV readers: each is
    refused with a message or read, and its mapping page answers."""
    rng = random.Random(1414)  # noqa: S311 (repeatable test data, not a secret)
    alphabet = ["a", "Company", "Title", ",", ";", "\t", '"', "'", "\n", "\r", "\r\n", " ", "é"]
    alphabet += ["\x00", "\ufeff", "\xff", "=", "1"]
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        data = text.encode("utf-8") if rng.random() < 0.8 else text.encode("latin-1", "replace")
        response = upload(logged_in, data)
        assert response.status_code in (200, 302), data
        if response.status_code == 302:
            assert logged_in.get(response.url).status_code in (200, 302), data
        else:
            assert 'class="invalid-feedback' in response.content.decode(), data


def test_the_widest_file_allowed_has_a_choice_per_column(logged_in, alice):
    header = "Company,Title," + ",".join(f"c{n}" for n in range(2, 200))
    upload(logged_in, header + "\nAcme,Dev" + "," * 198 + "\n")
    batch = ImportBatch.objects.get(owner=alice)
    page = page_text(logged_in, f"/import/{batch.pk}/")
    assert page.count('<select name="column_') == 200
    assert '<option value="company" selected>' in page
    assert '<label for="id_column_199" class="form-label">c199</label>' in page
    data = {"column_0": "company", "column_1": "job_title", "column_7": "no such field"}
    response = logged_in.post(f"/import/{batch.pk}/", data | {"day_first": "1"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert 'name="column_7" id="id_column_7" class="form-select is-invalid"' in (
        response.content.decode()
    )
