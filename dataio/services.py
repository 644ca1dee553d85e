"""Importing applications from CSV: the upload kept between steps, then all or nothing."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from applications.models import Application, TimelineEvent
from applications.stages import Stage
from dataio import csv_import
from dataio.models import ImportBatch

# Larger imports run in the background (a Celery task) with a progress bar.
INLINE_ROWS = 1000
# A running import that has shown no progress for this long died with its worker.
STALE_AFTER = datetime.timedelta(minutes=3)
# Uploads never imported are cleared after this long, when their owner uploads another.
DRAFTS_KEPT = datetime.timedelta(days=1)


def import_upload(*, owner, filename: str, data: bytes) -> ImportBatch:
    """Reads the upload and keeps it, decoded, for the mapping step; ImportFileError if it
    cannot be read, and then nothing is kept."""
    text = csv_import.decode(data)
    delimiter = csv_import.detect_delimiter(text)
    header, rows = csv_import.read(text, delimiter)
    mapping = csv_import.guess_mapping(header)
    date_column = next((int(i) for i, name in mapping.items() if name == "applied_on"), None)
    ImportBatch.objects.for_user(owner).filter(
        state__in=(ImportBatch.State.DRAFT, ImportBatch.State.FAILED),
        created_at__lt=timezone.now() - DRAFTS_KEPT,
    ).delete()
    return ImportBatch.objects.create(
        owner=owner,
        filename=filename[:255],
        text=text,
        delimiter=delimiter,
        mapping=mapping,
        day_first=csv_import.guess_day_first(rows, date_column),
        total_rows=len(rows),
    )


def batch_table(batch: ImportBatch) -> tuple[list[str], list[tuple[int, list[str]]]]:
    return csv_import.read(batch.text, batch.delimiter)


def existing_keys(owner) -> set[tuple[str, str]]:
    return {
        csv_import.duplicate_key(company, title)
        for company, title in Application.objects.for_user(owner).values_list(
            "company", "job_title"
        )
    }


def import_check(batch: ImportBatch, *, on_progress=None) -> csv_import.Checked:
    """Every row of the batch checked with its current mapping (nothing is written)."""
    _, rows = batch_table(batch)
    return csv_import.check_rows(
        rows,
        batch.mapping,
        day_first=batch.day_first,
        existing=existing_keys(batch.owner),
        today=timezone.localdate(timezone.now(), batch.owner.zoneinfo),
        on_progress=on_progress,
    )


def import_queue(*, batch: ImportBatch) -> bool:
    """Marks a draft as waiting for the background import; False if it had left the draft."""
    return bool(
        ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.DRAFT).update(
            state=ImportBatch.State.QUEUED
        )
    )


def import_run(*, batch_id: int) -> ImportBatch:
    """Imports every row of the batch, or none: any invalid row refuses the whole file and
    lists every error with its row number. Safe to run twice (a Celery task may be): only
    the run that claims the batch imports it."""
    now = timezone.now()
    claimable = ImportBatch.objects.filter(pk=batch_id).filter(
        Q(state__in=_CLAIMABLE)
        | Q(state=ImportBatch.State.RUNNING, started_at__lt=now - STALE_AFTER)
    )
    claimed = claimable.update(state=ImportBatch.State.RUNNING, started_at=now, processed_rows=0)
    batch = ImportBatch.objects.select_related("owner").get(pk=batch_id)
    if not claimed:
        return batch

    def progress(done: int) -> None:
        # Outside the import's transaction, so the progress bar sees it.
        ImportBatch.objects.filter(pk=batch_id).update(
            processed_rows=done, started_at=timezone.now()
        )

    checked = import_check(batch, on_progress=progress)
    if checked.errors:
        ImportBatch.objects.filter(pk=batch_id).update(
            state=ImportBatch.State.FAILED,
            errors=checked.errors,
            processed_rows=checked.total,
            finished_at=timezone.now(),
        )
        batch.refresh_from_db()
        return batch
    progress(checked.total)
    with transaction.atomic():
        # Checked again under the transaction: an application added meanwhile is a duplicate.
        existing = existing_keys(batch.owner)
        rows = [
            row
            for row in checked.rows
            if not (batch.skip_duplicates and (row.duplicate or row.key in existing))
        ]
        _create(batch, rows)
        ImportBatch.objects.filter(pk=batch_id).update(
            state=ImportBatch.State.DONE,
            imported_count=len(rows),
            skipped_count=checked.total - len(rows),
            errors=[],
            text="",
            finished_at=timezone.now(),
        )
    batch.refresh_from_db()
    return batch


_CLAIMABLE = (ImportBatch.State.DRAFT, ImportBatch.State.QUEUED)


def _create(batch: ImportBatch, rows: list[csv_import.Row]) -> None:
    """Applications and their timelines in bulk. The timeline says what the file says: an
    “imported” event at the date applied, and one for the stage if it is beyond the first.
    No follow-ups: reminders about old applications would all be overdue at once."""
    owner = batch.owner
    zone = owner.zoneinfo
    now = timezone.now()
    moments = {}
    applications = []
    for row in rows:
        values = row.values
        applied_on = values["applied_on"]
        moments[row.number] = (
            datetime.datetime.combine(applied_on, datetime.time(12), tzinfo=zone)
            if applied_on
            else now
        )
        applications.append(
            Application(
                owner=owner,
                company=values["company"],
                job_title=values["job_title"],
                posting_url=values["posting_url"],
                location=values["location"],
                notes=values["notes"],
                stage=values["stage"],
                stage_changed_at=moments[row.number],
                applied_on=applied_on,
                salary_min=values["salary_min"],
                salary_max=values["salary_max"],
                salary_currency=values["salary_currency"],
                end_reason=values["end_reason"],
                ended_by=values["ended_by"],
            )
        )
    Application.objects.bulk_create(applications, batch_size=1000)
    events = []
    for row, application in zip(rows, applications, strict=True):
        first = Stage.SAVED if application.stage == Stage.SAVED else Stage.APPLIED
        events.append(
            TimelineEvent(
                application=application,
                kind=TimelineEvent.Kind.IMPORTED,
                at=moments[row.number],
                to_stage=first,
                text=f"Imported from {batch.filename} (row {row.number}).",
            )
        )
        if application.stage != first:
            events.append(
                TimelineEvent(
                    application=application,
                    kind=TimelineEvent.Kind.IMPORTED,
                    at=max(now, moments[row.number]),
                    from_stage=first,
                    to_stage=application.stage,
                    text="Imported at this stage; when it got there is not in the file.",
                )
            )
    TimelineEvent.objects.bulk_create(events, batch_size=1000)
