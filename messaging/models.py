from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from applications.models import Application, EndReason, OwnedQuerySet
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


class MessageQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(application__owner=user)


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
