"""Imported rows: a currency only beside a salary, the user's own when the file names none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application
from dataio.models import ImportBatch
from tests.conftest import make_user


@pytest.fixture
def londoner(db, clock):
    return make_user("lee@example.com", display_name="Lee Hart", time_zone="Europe/London")


def test_rows_get_a_currency_only_with_a_salary_and_the_users_by_default(client, londoner):
    client.force_login(londoner)
    text = (
        "Company,Position,Status,Salary,Currency\n"
        "Acme,Dev,Applied,,\n"
        "Globex,Dev,Applied,55000,\n"
        "Initech,Dev,Applied,,USD\n"
        "Umbrella,Dev,Applied,40k-50k USD,\n"
    )
    client.post("/import/", {"file": SimpleUploadedFile("jobs.csv", text.encode(), "text/csv")})
    batch = ImportBatch.objects.get(owner=londoner)
    data = {f"column_{i}": name for i, name in batch.mapping.items()}
    client.post(f"/import/{batch.pk}/", {**data, "day_first": "1", "action": "import"})
    currencies = dict(
        Application.objects.filter(owner=londoner).values_list("company", "salary_currency")
    )
    assert currencies == {"Acme": "", "Globex": "GBP", "Initech": "", "Umbrella": "USD"}
