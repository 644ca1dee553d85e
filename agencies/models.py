"""Agencies, their offices and recruiters, the candidates who share with them, and the record
of what recruiters did with what was shared."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from agencies import codes
from applications.models import FollowUp


def a_year_after(moment: datetime.datetime) -> datetime.datetime:
    """The same moment twelve months later (29 February becomes 28 February): how long a
    candidate's yes to sharing lasts before it must be renewed."""
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return moment.replace(year=moment.year + 1, day=28)


class Agency(models.Model):
    name = models.CharField(max_length=150, unique=True)
    # Joins the candidate to the agency without an office; each office has its own code too.
    invite_code = models.CharField(max_length=codes.LENGTH, unique=True, default=codes.new_code)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="offices")
    city = models.CharField(max_length=100)
    invite_code = models.CharField(max_length=codes.LENGTH, unique=True, default=codes.new_code)

    class Meta:
        ordering = ["agency__name", "city"]
        constraints = [
            models.UniqueConstraint("agency", "city", name="agencies_office_city_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.city}"


class RecruiterMembership(models.Model):
    """A recruiter works for one agency, from one office (or across the agency)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recruiter"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="recruiters")
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="recruiters"
    )
    # The email at 08:00 (their time) listing their candidates' answers overdue by a day.
    digest_enabled = models.BooleanField(
        "daily digest",
        default=True,
        help_text="An email at 08:00 your time listing your candidates' overdue answers.",
    )

    def __str__(self) -> str:
        return f"{self.user} at {self.agency}"

    def clean(self) -> None:
        if self.office_id and self.agency_id and self.office.agency_id != self.agency_id:
            raise ValidationError({"office": "That office belongs to another agency."})


class CandidateMembershipQuerySet(models.QuerySet):
    def sharing(self, now=None):
        """Candidates who share their pipeline now: said yes, have not stopped since, and their
        yes has not lapsed (a lapsed consent stops at that moment, before any sweep runs)."""
        return self.filter(
            shared_since__isnull=False,
            stopped_sharing_at__isnull=True,
            consent_lapses_at__gt=now or timezone.now(),
        )

    def lapsed_unrecorded(self, now=None):
        """Consents past their lapse that the sweep has not yet recorded as ended."""
        return self.filter(
            shared_since__isnull=False,
            stopped_sharing_at__isnull=True,
            consent_lapses_at__lte=now or timezone.now(),
        )

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for membership in objs:
            membership.fill_lapse()
        return super().bulk_create(objs, *args, **kwargs)

    def for_candidate(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(candidate=user)


class CandidateMembership(models.Model):
    """A candidate's link to an agency. Joining shares nothing; sharing is a separate yes,
    which the candidate can take back at any time (effective at once: every recruiter query
    checks it)."""

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="candidates")
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    shared_since = models.DateTimeField(null=True, blank=True)
    stopped_sharing_at = models.DateTimeField(null=True, blank=True)
    # A yes lasts a year from when it was given or last renewed: from then on the agency sees
    # nothing (sharing() compares it with the time of the query). When the sweep records the
    # lapse, stopped_sharing_at is set to this same moment.
    consent_lapses_at = models.DateTimeField("sharing until", null=True, blank=True)
    # The agency's last nudge to this candidate: at most one a day (claimed by a conditional
    # update, so two recruiters clicking at once send one email).
    last_nudged_at = models.DateTimeField(null=True, blank=True)

    objects = CandidateMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["candidate__display_name", "candidate__email"]
        verbose_name = "candidate"
        constraints = [
            models.UniqueConstraint("candidate", "agency", name="agencies_one_membership_each"),
            models.CheckConstraint(
                condition=models.Q(stopped_sharing_at__isnull=True)
                | models.Q(shared_since__isnull=False),
                name="agencies_stopped_only_after_sharing",
            ),
            models.CheckConstraint(
                condition=models.Q(shared_since__isnull=True)
                | models.Q(consent_lapses_at__isnull=False),
                name="agencies_sharing_has_a_lapse",
            ),
        ]
        indexes = [models.Index(fields=["agency", "office"])]

    def __str__(self) -> str:
        return self.candidate.get_full_name()

    def save(self, *args, **kwargs):
        self.fill_lapse()
        super().save(*args, **kwargs)

    def fill_lapse(self) -> None:
        """A yes recorded without its lapse lasts a year from that yes."""
        if self.shared_since is not None and self.consent_lapses_at is None:
            self.consent_lapses_at = a_year_after(self.shared_since)

    @property
    def is_sharing(self) -> bool:
        return (
            self.shared_since is not None
            and self.stopped_sharing_at is None
            and self.consent_lapses_at is not None
            and self.consent_lapses_at > timezone.now()
        )

    @property
    def lapsed(self) -> bool:
        """Not sharing because the yes ran out (rather than because the candidate said stop)."""
        if self.shared_since is None or self.consent_lapses_at is None:
            return False
        if self.stopped_sharing_at is None:
            return self.consent_lapses_at <= timezone.now()
        return self.stopped_sharing_at >= self.consent_lapses_at


class OwedAnswer(FollowUp):
    """A follow-up seen from the agency: a candidate who owes an employer an answer."""

    class Meta:
        proxy = True
        verbose_name = "answer owed"
        verbose_name_plural = "answers owed"


class Nudge(models.Model):
    """An email a recruiter asked Bridges to send a candidate, listing what they owe."""

    membership = models.ForeignKey(
        CandidateMembership, on_delete=models.CASCADE, related_name="nudges"
    )
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # What was owed when the nudge was asked for: the email lists exactly these.
    owed = models.JSONField(default=list)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"nudge to {self.membership} on {self.created_at:%Y-%m-%d}"


class AuditEvent(models.Model):
    """What a recruiter looked at or did, and what candidates said about sharing. Append-only:
    operators read it; nobody edits it."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        EXPORTED = "exported", "Exported CSV"
        NUDGED = "nudged", "Nudged"
        REFUSED = "refused", "Refused a query the list does not offer"
        JOINED = "joined", "Joined the agency"
        SHARED = "shared", "Started sharing"
        STOPPED_SHARING = "stopped_sharing", "Stopped sharing"
        LEFT = "left", "Left the agency"
        CONSENT_REMINDED = "consent_reminded", "Reminded that sharing lapses soon"
        CONSENT_RENEWED = "consent_renewed", "Renewed sharing"
        CONSENT_LAPSED = "consent_lapsed", "Sharing lapsed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too: the record outlives a recruiter's account.
    actor_email = models.EmailField()
    agency = models.ForeignKey(Agency, null=True, on_delete=models.SET_NULL, related_name="+")
    # Whose data it was about; removed with the candidate's account, like the rest of it.
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    what = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["agency", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor_email} {self.get_action_display().lower()} {self.what}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)


class AgencyEmail(models.Model):
    """An email Bridges owes on the agency's behalf that no person asked for: the reminder that
    a candidate's sharing lapses soon, or a recruiter's daily digest.

    The row is the claim: it is written (with what the email will list) in the transaction that
    decides to send it, and its unique keys allow one reminder per lapse and one digest per
    recruiter and local day, so two beats or a retried task send one. Delivery runs after the
    commit and marks it sent; the sweep queues again a row whose task was lost.
    """

    class Kind(models.TextChoices):
        CONSENT_REMINDER = "consent_reminder", "Sharing lapses soon"
        DIGEST = "digest", "Recruiter's daily digest"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_emails"
    )
    membership = models.ForeignKey(
        CandidateMembership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The lapse date a reminder is about, or the recruiter's local day of a digest.
    day = models.DateField()
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "membership",
                "day",
                condition=models.Q(kind="consent_reminder"),
                name="agencies_one_reminder_per_lapse",
            ),
            models.UniqueConstraint(
                "to", "day", condition=models.Q(kind="digest"), name="agencies_one_digest_a_day"
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to} ({self.day})"
