"""Exports: CSV that the import reads back unchanged, and everything the user owns as JSON."""

import csv
import datetime
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services as pipeline
from applications.models import Application, Contact
from dataio.models import ImportBatch
from messaging.models import Message, UserTemplate
from tests.pages import page_text

ROUND_TRIP = [
    "company",
    "job_title",
    "posting_url",
    "stage",
    "applied_on",
    "salary_min",
    "salary_max",
    "salary_currency",
    "location",
    "notes",
]


def test_the_csv_export_imports_back_without_loss(client, alice, bob, make_application):
    make_application(
        alice,
        company="=HYPERLINK(evil)",
        job_title="Data Engineer, Senior",
        posting_url="https://acme.example/jobs/1?a=b",
        applied_on=datetime.date(2024, 2, 29),
        salary_min=50000,
        salary_max=65000,
        salary_currency="USD",
        location="Zürich",
        notes='Line one\nline "two"; with, commas\n- a bullet',
    )
    make_application(alice, company="Saved Co", job_title="Dev", stage="saved", salary_max=70000)
    make_application(alice, company="Done Co", job_title="Dev", stage="offer")
    ended = make_application(alice, company="Ended Co", job_title="Dev")
    pipeline.application_move(application=ended, target="rejected", reason="not_selected")
    make_application(bob, company="Bob's secret")
    client.force_login(alice)
    response = client.get("/export/applications.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode("utf-8")
    assert "Bob's secret" not in body
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[1][0] == "'=HYPERLINK(evil)", "a spreadsheet must not run it as a formula"
    before = sorted(Application.objects.filter(owner=alice).values_list(*ROUND_TRIP))

    Application.objects.filter(owner=alice).delete()
    client.post("/import/", {"file": SimpleUploadedFile("export.csv", response.content)})
    batch = ImportBatch.objects.get(owner=alice)
    assert len(batch.mapping) == len(ROUND_TRIP), "every exported column is recognised"
    data = {f"column_{i}": name for i, name in batch.mapping.items()}
    client.post(f"/import/{batch.pk}/", {**data, "day_first": "1", "action": "import"})
    after = sorted(Application.objects.filter(owner=alice).values_list(*ROUND_TRIP))
    assert after == before


def test_the_json_export_has_everything_of_the_user_and_nothing_of_anyone_else(
    client, alice, bob, application, interview, offer, contact, make_application
):
    application.contacts.add(contact)
    pipeline.application_add_note(application=application, text="Alice's note")
    Message.objects.create(
        application=application, kind="follow_up", channel="copied", body="Alice's message"
    )
    UserTemplate.objects.create(
        owner=alice, kind="withdraw", name="Alice's template", subject="S", body="{greeting}"
    )
    secret = make_application(bob, company="Bob Corp", notes="bob-secret-note")
    pipeline.application_add_note(application=secret, text="bob-secret-event")
    Contact.objects.create(owner=bob, name="bob-secret-contact")
    UserTemplate.objects.create(
        owner=bob, kind="withdraw", name="bob-secret-template", subject="S", body="x"
    )
    client.force_login(alice)
    response = client.get("/export/everything.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert "bob" not in text.lower()
    data = json.loads(text)
    assert data["account"]["email"] == "alice@example.com"
    [exported] = data["applications"]
    assert exported["company"] == "Acme"
    assert exported["offer"]["amount"] == "60000.00"
    assert exported["interviews"][0]["round"] == 1
    assert "Alice's note" in [event["text"] for event in exported["timeline"]]
    assert exported["messages"][0]["body"] == "Alice's message"
    assert {f["kind"] for f in exported["followups"]} >= {"prepare", "answer_offer"}
    assert exported["contact_ids"] == [contact.pk]
    assert data["contacts"][0]["name"] == "Priya Nair"
    assert data["message_templates"][0]["name"] == "Alice's template"


def test_the_profile_links_to_the_exports_the_feed_and_deletion(client, alice):
    client.force_login(alice)
    page = page_text(client, "/accounts/profile/")
    for url in (
        "/export/applications.csv",
        "/export/everything.json",
        "/accounts/calendar/",
        "/accounts/delete/",
    ):
        assert f'href="{url}"' in page, url
