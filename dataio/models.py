"""Imports waiting between their steps, and the private calendar feed's token."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from applications.models import OwnedQuerySet


class ImportBatch(models.Model):
    """One uploaded CSV file, kept (decoded) from the upload through mapping to the import.

    draft → queued → running → done, or failed with the errors; nothing is imported unless
    every row is valid. The text is emptied once the import is done. A batch queued or
    running that shows no sign of life is queued again by the sweep (dataio.services), and
    a batch can be discarded in every state (docs/importing.md).
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Waiting for you to check the columns"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches"
    )
    filename = models.CharField(max_length=255)
    text = models.TextField(help_text="The file, decoded.")
    delimiter = models.CharField(max_length=1, default=",")
    # {CSV column index (as text): field name}; see dataio.csv_import.FIELDS.
    mapping = models.JSONField(default=dict)
    day_first = models.BooleanField(default=True)
    skip_duplicates = models.BooleanField(default=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # [[row number, message], …] when the import was refused.
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the batch was last queued (so a batch whose task was lost is queued again).
    queued_at = models.DateTimeField(null=True, blank=True)
    # When the run claimed the batch, then each time it reported progress.
    started_at = models.DateTimeField(null=True, blank=True)
    # The claim of the run importing the batch: a run that lost it writes nothing.
    run_token = models.CharField(max_length=32, blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a user's iCalendar feed; regenerating it retires the old one."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"calendar feed of {self.owner}"
