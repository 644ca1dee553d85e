"""Mapping an import's columns is a service: it edits a draft (or a failed import, which is a
draft again), never an import that is queued or under way."""

import pytest

from dataio import services
from dataio.models import ImportBatch

CSV = b"Company,Role\nAcme,Engineer\n"
MAPPING = {"0": "company", "1": "job_title"}


@pytest.fixture
def batch(alice):
    return services.import_upload(owner=alice, filename="jobs.csv", data=CSV)


def test_a_failed_import_is_mapped_again_as_a_draft(batch):
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED, errors=["x"])
    batch.refresh_from_db()
    assert services.import_map(batch=batch, mapping=MAPPING, day_first=True, skip_duplicates=False)
    batch.refresh_from_db()
    assert (batch.state, batch.errors, batch.mapping) == (ImportBatch.State.DRAFT, [], MAPPING)
    assert (batch.day_first, batch.skip_duplicates) == (True, False)


def test_a_queued_import_keeps_its_mapping(batch):
    before = batch.mapping
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.QUEUED)
    mapped = services.import_map(batch=batch, mapping=MAPPING, day_first=True, skip_duplicates=True)
    assert not mapped
    batch.refresh_from_db()
    assert (batch.state, batch.mapping) == (ImportBatch.State.QUEUED, before)
