from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from applications.models import Application, EndReason, OwnedQuerySet, ThroughApplicationQuerySet
from messaging.catalogue import Kind, Tone
from messaging.placeholders import PLACEHOLDERS, unknown_placeholders

MAX_BODY = 10_000
MAX_SUBJECT = 200


def validate_subject(value: str) -> None:
    if "\n" in value or "\r" in value:
        raise ValidationError("A subject must fit on one line.", code="newline")


def validate_placeholders(value: str) -> None:
    unknown = unknown_placeholders(value)
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise ValidationError(
            "%(unknown)s is not a placeholder Bridges knows. The placeholders are: %(known)s.",
            params={"unknown": ", ".join(unknown), "known": known},
            code="unknown_placeholder",
        )


class Channel(models.TextChoices):
    EMAIL = "email", "Sent from Bridges"
    MAIL_APP = "mail_app", "Opened in the mail app"
    COPIED = "copied", "Copied"
    CALL = "call", "Phone call"


class MessageQuerySet(ThroughApplicationQuerySet):
    """A message belongs to whoever owns its application."""


class Message(models.Model):
    """A message the candidate sent, copied or spoke, as logged on the application's timeline."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    tone = models.CharField(max_length=10, choices=Tone.choices, default=Tone.FORMAL)
    reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    to_email = models.EmailField(blank=True)
    subject = models.CharField(max_length=MAX_SUBJECT, blank=True, validators=[validate_subject])
    body = models.TextField(max_length=MAX_BODY)
    created_at = models.DateTimeField(default=timezone.now)
    # The draft it came from: a second submit of the same draft is recognised, never resent.
    draft_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["application", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display().lower()})"

    @property
    def outbox(self) -> "Outbox | None":
        """The delivery of a message sent from Bridges (None for the other channels, and for
        messages sent before deliveries were recorded, which went out at once)."""
        try:
            return self.delivery
        except Outbox.DoesNotExist:
            return None

    def mailto_url(self) -> str:
        """The message as a mailto: link, to open it in the user's own mail app."""
        # RFC 6068: line breaks in a mailto body are CRLF.
        body = self.body.replace("\r\n", "\n").replace("\n", "\r\n")
        return f"mailto:{quote(self.to_email)}?subject={quote(self.subject)}&body={quote(body)}"


class UserTemplate(models.Model):
    """A candidate's own wording for a kind of message, with placeholders from the fixed set."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_templates"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    name = models.CharField(max_length=100)
    subject = models.CharField(
        max_length=MAX_SUBJECT, validators=[validate_subject, validate_placeholders]
    )
    body = models.TextField(max_length=MAX_BODY, validators=[validate_placeholders])
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                "owner", "kind", "name", name="messaging_template_name_unique_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Outbox(models.Model):
    """One email Bridges owes, from the moment it is owed until the mail server has taken it:
    a reminder (or a day's digest) to the user, or a message the user sent from Bridges.

    pending → sending → sent, or failed with the error. Rows are created in the transaction
    that claims the follow-up (or records the user's message), so an email is never lost
    between the two; the unique keys mean a follow-up's n-th reminder (or a user's digest of a
    day, or a message) can exist only once.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox"
    )
    followup = models.ForeignKey(
        "applications.FollowUp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox",
    )
    # A message the user sent from Bridges (then there is no follow-up).
    message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="delivery"
    )
    # The n-th reminder of that follow-up (1, 2, 3); 0 for a digest or a message.
    sequence = models.PositiveSmallIntegerField(default=1)
    digest_day = models.DateField(null=True, blank=True)
    followup_ids = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    # When its delivery task was last put on the queue (by the sweep that made it, or a requeue).
    queued_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "followup",
                "sequence",
                condition=models.Q(followup__isnull=False),
                name="outbox_one_row_per_reminder",
            ),
            models.UniqueConstraint(
                "owner",
                "digest_day",
                condition=models.Q(digest_day__isnull=False),
                name="outbox_one_digest_a_day",
            ),
        ]
        indexes = [models.Index(fields=["state", "queued_at"])]
        verbose_name_plural = "outbox"

    def __str__(self) -> str:
        if self.message_id:
            what = f"message {self.message_id}"
        elif self.digest_day:
            what = f"digest of {self.digest_day}"
        else:
            what = f"reminder {self.sequence}"
        return f"{what} for {self.owner} ({self.state})"


class SweepStatus(models.Model):
    """When the reminder sweep last ran: one row, for the health view and the admin warning."""

    finished_at = models.DateTimeField()
    claimed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "sweep status"

    def __str__(self) -> str:
        return f"last sweep {self.finished_at:%Y-%m-%d %H:%M:%S}"
