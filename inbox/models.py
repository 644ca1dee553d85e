"""A connected mailbox, what its polls found (proposals), and the notice sent when it pauses.

Nothing of a message is kept but its id, sender, subject, date, the first 500 characters of
its text and what Bridges proposes to do with it; messages that match no application are not
kept at all.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from applications.models import Application, EndReason, OwnedQuerySet, TimelineEvent

EXCERPT_LENGTH = 500


class Security(models.TextChoices):
    TLS = "tls", "TLS from the start (usually port 993)"
    STARTTLS = "starttls", "STARTTLS (usually port 143)"
    NONE = "none", "None (only to a server on this machine)"


class MailboxQuerySet(OwnedQuerySet):
    def due(self, now):
        """Connected, not paused, due by `now` and not held by a poll under way."""
        return self.filter(state=Mailbox.State.ACTIVE, next_poll_at__lte=now).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lte=now)
        )


class Mailbox(models.Model):
    """The user's IMAP mailbox. The app password is stored encrypted (inbox/crypto.py) and
    never shown again; polls claim the row with a lease (inbox/polling.py)."""

    class State(models.TextChoices):
        ACTIVE = "active", "Connected"
        PAUSED = "paused", "Paused"

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailbox"
    )
    host = models.CharField("IMAP server", max_length=253)
    port = models.PositiveIntegerField(
        default=993, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    security = models.CharField(max_length=10, choices=Security.choices, default=Security.TLS)
    username = models.CharField("user name", max_length=320)
    password_encrypted = models.TextField(editable=False)
    connected_at = models.DateTimeField(default=timezone.now)
    # Messages delivered before this moment are never read (connection, or 30 days before).
    read_since = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    paused_at = models.DateTimeField(null=True, blank=True)
    # Where the last poll stopped: UIDs are only meaningful with their UIDVALIDITY.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    next_poll_at = models.DateTimeField(default=timezone.now)
    # The claim of a poll under way: a poll that dies is taken over once its lease runs out.
    lease_token = models.UUIDField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    auth_failures = models.PositiveSmallIntegerField(default=0)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_read = models.PositiveIntegerField(default=0)

    objects = MailboxQuerySet.as_manager()

    class Meta:
        indexes = [
            # The beat's query: connected mailboxes by when they are due.
            models.Index(
                fields=["next_poll_at"],
                condition=Q(state="active"),
                name="inbox_mailbox_due",
            )
        ]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return f"{self.username} on {self.host}"

    @property
    def is_paused(self) -> bool:
        return self.state == self.State.PAUSED


class ProposalQuerySet(OwnedQuerySet):
    def pending(self):
        return self.filter(state=Proposal.State.PENDING)


class Proposal(models.Model):
    """What Bridges proposes to record from one matched email, with the phrase that decided."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        REJECTION = "rejection", "Rejection"
        OFFER = "offer", "Offer"
        REQUEST = "request", "Request for information"
        ACKNOWLEDGEMENT = "acknowledgement", "Automatic acknowledgement"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for you"
        ACCEPTED = "accepted", "Recorded"
        DISMISSED = "dismissed", "Dismissed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="proposals")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="inbox_proposals"
    )
    # A digest of the Message-ID: the same message is never proposed twice, even when the
    # server renumbers its messages (a new UIDVALIDITY).
    message_key = models.CharField(max_length=64)
    message_id = models.CharField(max_length=998, blank=True)
    sender = models.CharField(max_length=400)
    subject = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField()
    excerpt = models.CharField(max_length=EXCERPT_LENGTH, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rule = models.CharField(max_length=80)
    evidence = models.CharField(max_length=300)
    matched_by = models.CharField(max_length=300)
    to_interview = models.BooleanField(default=False)
    starts_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    event = models.ForeignKey(
        TimelineEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint("mailbox", "message_key", name="inbox_proposal_one_per_message")
        ]
        indexes = [models.Index(fields=["owner", "state", "-sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.sender}"


class PauseNotice(models.Model):
    """The one email telling a user their mailbox was paused: written in the transaction that
    pauses it, sent by a task after the commit (inbox/tasks.py)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="notices")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"pause notice for {self.mailbox}"
