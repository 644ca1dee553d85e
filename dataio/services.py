"""Importing applications from CSV: the upload kept between steps, then all or nothing."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from applications.models import Application, TimelineEvent
from applications.stages import Stage
from config.queueing import queue_after_commit
from dataio import csv_import
from dataio.models import CalendarFeed, ImportBatch

# Larger imports run in the background (a Celery task) with a progress bar.
INLINE_ROWS = 1000
# A running import that has shown no progress for this long died with its worker.
STALE_AFTER = datetime.timedelta(minutes=3)
# A queued import not started after this long lost its task (the broker was down, or its
# message was lost): it is queued again. A task queued twice imports once.
QUEUED_STALE = datetime.timedelta(minutes=1)
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


def import_map(
    *, batch: ImportBatch, mapping: dict, day_first: bool, skip_duplicates: bool
) -> bool:
    """Sets how the batch's columns map to fields: a failed batch is a draft again, its errors
    forgotten. False (nothing changed) once the batch is queued or under way."""
    fields = {
        "mapping": mapping,
        "day_first": day_first,
        "skip_duplicates": skip_duplicates,
        "state": ImportBatch.State.DRAFT,
        "errors": [],
    }
    editable = (ImportBatch.State.DRAFT, ImportBatch.State.FAILED)
    if not ImportBatch.objects.filter(pk=batch.pk, state__in=editable).update(**fields):
        return False
    for name, value in fields.items():
        setattr(batch, name, value)
    return True


def import_check(batch: ImportBatch, *, on_progress=None) -> csv_import.Checked:
    """Every row of the batch checked with its current mapping (nothing is written)."""
    _, rows = batch_table(batch)
    return csv_import.check_rows(
        rows,
        batch.mapping,
        day_first=batch.day_first,
        existing=existing_keys(batch.owner),
        today=timezone.localdate(timezone.now(), batch.owner.zoneinfo),
        currency=batch.owner.currency,
        on_progress=on_progress,
    )


def import_queue(*, batch: ImportBatch) -> bool:
    """Marks a draft as waiting for the background import and queues its task once the
    transaction commits; False if it had left the draft. A broker that is down leaves the
    batch queued, and the sweep queues it again."""
    from dataio.tasks import run_import

    queued = ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.DRAFT).update(
        state=ImportBatch.State.QUEUED, queued_at=timezone.now(), run_token=""
    )
    if queued:
        queue_after_commit(run_import, batch.pk)
    return bool(queued)


def _stale(now: datetime.datetime) -> Q:
    queued, running = ImportBatch.State.QUEUED, ImportBatch.State.RUNNING
    return (
        Q(state=queued, queued_at__isnull=True)
        | Q(state=queued, queued_at__lt=now - QUEUED_STALE)
        | Q(state=running, started_at__isnull=True)
        | Q(state=running, started_at__lt=now - STALE_AFTER)
    )


def import_revive(*, batch_id: int | None = None, limit: int = 100) -> list[int]:
    """Queues again the batches (or the one batch) that lost their task: queued and never
    started, or running with no progress for STALE_AFTER (their worker died, their
    transaction was rolled back). Each is put back to queued, its old run's claim withdrawn
    (that run, if it is alive after all, writes nothing), and its task queued after the
    commit. Run by the beat sweep and by the status page; safe to overlap (rows another
    caller holds are skipped)."""
    from dataio.tasks import run_import

    now = timezone.now()
    with transaction.atomic():
        stale = ImportBatch.objects.select_for_update(skip_locked=True).filter(_stale(now))
        if batch_id is not None:
            stale = stale.filter(pk=batch_id)
        ids = list(stale.order_by("pk").values_list("pk", flat=True)[:limit])
        if ids:
            ImportBatch.objects.filter(pk__in=ids).update(
                state=ImportBatch.State.QUEUED, queued_at=now, run_token="", processed_rows=0
            )
        for pk in ids:
            queue_after_commit(run_import, pk)
    return ids


def import_run(*, batch_id: int) -> ImportBatch | None:
    """Imports every row of the batch, or none: any invalid row refuses the whole file and
    lists every error with its row number. Safe to run twice (a Celery task may be): only
    the run that claims the batch imports it, and it writes only if its claim still holds
    (the batch was not discarded nor taken over meanwhile). None if the batch is gone."""
    now = timezone.now()
    token = secrets.token_hex(16)
    claimable = ImportBatch.objects.filter(pk=batch_id).filter(
        Q(state__in=_CLAIMABLE)
        | Q(state=ImportBatch.State.RUNNING, started_at__lt=now - STALE_AFTER)
    )
    claimed = claimable.update(
        state=ImportBatch.State.RUNNING, started_at=now, processed_rows=0, run_token=token
    )
    batch = ImportBatch.objects.select_related("owner").filter(pk=batch_id).first()
    if not claimed or batch is None:
        return batch
    mine = ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.RUNNING, run_token=token)

    def progress(done: int) -> None:
        # Outside the import's transaction, so the progress bar sees it.
        mine.update(processed_rows=done, started_at=timezone.now())

    checked = import_check(batch, on_progress=progress)
    if checked.errors:
        mine.update(
            state=ImportBatch.State.FAILED,
            errors=checked.errors,
            processed_rows=checked.total,
            finished_at=timezone.now(),
        )
        return _current(batch_id)
    progress(checked.total)
    with transaction.atomic():
        # The batch is locked first, so neither a discard nor a takeover can touch it until
        # this commits; a run whose claim was withdrawn (or whose batch was discarded)
        # writes nothing.
        if not list(mine.select_for_update().values_list("pk", flat=True)):
            return _current(batch_id)
        # Checked again under the transaction: an application added meanwhile is a duplicate.
        existing = existing_keys(batch.owner)
        rows = [
            row
            for row in checked.rows
            if not (batch.skip_duplicates and (row.duplicate or row.key in existing))
        ]
        _create(batch, rows)
        mine.update(
            state=ImportBatch.State.DONE,
            imported_count=len(rows),
            skipped_count=checked.total - len(rows),
            errors=[],
            text="",
            finished_at=timezone.now(),
        )
    return _current(batch_id)


def _current(batch_id: int) -> ImportBatch | None:
    return ImportBatch.objects.select_related("owner").filter(pk=batch_id).first()


@dataclass
class Discarded:
    discarded: bool
    message: str


def import_discard(*, owner, batch_pk: int) -> Discarded | None:
    """Discards the owner's batch in whatever state it is, and says what that meant: nothing
    imported (a draft, a refused file, an import not finished: it is cancelled), or the
    applications of a finished import kept. None if the owner has no such batch. A batch
    whose rows are being saved at this moment is left to finish."""
    try:
        with transaction.atomic():
            batch = (
                ImportBatch.objects.for_user(owner)
                .select_for_update(nowait=True)
                .filter(pk=batch_pk)
                .first()
            )
            if batch is None:
                return None
            batch.delete()
    except DatabaseError:
        return Discarded(
            False,
            "This import is saving its rows at this moment, so it cannot be stopped; "
            "it will be finished in a few seconds.",
        )
    State = ImportBatch.State
    if batch.state == State.DONE:
        count = batch.imported_count
        return Discarded(
            True,
            f"The import of {batch.filename} is cleared; the {count} application"
            f"{'' if count == 1 else 's'} it imported stay in your list.",
        )
    if batch.state in (State.QUEUED, State.RUNNING):
        return Discarded(
            True, f"The import of {batch.filename} is cancelled; nothing was imported."
        )
    return Discarded(True, "The uploaded file is discarded; nothing was imported.")


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


def calendar_feed_renew(*, owner) -> bool:
    """Turns the owner's calendar feed on under a new secret address: whoever had the old one
    loses it at once. True when the feed is new (it was off)."""
    _, first = CalendarFeed.objects.update_or_create(
        owner=owner, defaults={"token": secrets.token_urlsafe(32), "created_at": timezone.now()}
    )
    return first


def calendar_feed_revoke(*, owner) -> bool:
    """Turns the owner's calendar feed off; False if it was off already."""
    deleted, _ = CalendarFeed.objects.for_user(owner).delete()
    return bool(deleted)
