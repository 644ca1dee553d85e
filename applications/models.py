from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Greatest
from django.utils import timezone

from applications.companies import openings
from applications.stages import ACTIVE_STAGES, END_STAGES, Stage
from config import formats

SALARY_UPSIDE_DOWN = "The top of the range is below its bottom; swap or correct them."

currency_validator = RegexValidator(
    r"^[A-Z]{3}$", "Use a three-letter currency code such as EUR, USD or GBP."
)


class OwnedQuerySet(models.QuerySet):
    """The one entry point to user data: every view starts from `for_user`.

    `owner_path` says how a row reaches its owner (a message, through its application).
    """

    owner_path = "owner"

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(**{self.owner_path: user})


class ThroughApplicationQuerySet(OwnedQuerySet):
    """Rows that belong to whoever owns their application."""

    owner_path = "application__owner"


class WorkplaceType(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class Source(models.TextChoices):
    JOB_BOARD = "job_board", "Job board"
    REFERRAL = "referral", "Referral"
    AGENCY = "agency", "Agency"
    COMPANY_SITE = "company_site", "Company site"
    OTHER = "other", "Other"


class EndedBy(models.TextChoices):
    CANDIDATE = "candidate", "You"
    EMPLOYER = "employer", "The employer"


class EndReason(models.TextChoices):
    # The candidate's reasons; messaging phrases each one tactfully.
    OTHER_OFFER = "other_offer", "Accepted another offer"
    NOT_A_FIT = "not_a_fit", "The role is not a fit"
    CULTURE = "culture", "The company culture is not a match"
    LOCATION = "location", "Location, relocation or commute"
    COMPENSATION = "compensation", "Compensation does not meet my needs"
    PERSONAL = "personal", "Personal circumstances changed"
    LOST_INTEREST = "lost_interest", "Lost interest"
    NO_REASON = "no_reason", "No reason given"
    # The employer's side.
    NOT_SELECTED = "not_selected", "Not selected"
    POSITION_CLOSED = "position_closed", "Position filled or cancelled"
    NO_RESPONSE = "no_response", "The employer never answered"


CANDIDATE_REASONS = (
    EndReason.OTHER_OFFER,
    EndReason.NOT_A_FIT,
    EndReason.CULTURE,
    EndReason.LOCATION,
    EndReason.COMPENSATION,
    EndReason.PERSONAL,
    EndReason.LOST_INTEREST,
    EndReason.NO_REASON,
)
EMPLOYER_REASONS = (EndReason.NOT_SELECTED, EndReason.POSITION_CLOSED, EndReason.NO_RESPONSE)

# The reasons each end accepts; who ended the application follows from the reason.
REASONS_FOR_END = {
    Stage.DECLINED: CANDIDATE_REASONS,
    Stage.WITHDRAWN: CANDIDATE_REASONS,
    Stage.REJECTED: (*EMPLOYER_REASONS[:2], EndReason.NO_REASON),
    Stage.CLOSED: (EndReason.NO_RESPONSE, EndReason.POSITION_CLOSED, *CANDIDATE_REASONS),
}


def ended_by_for(stage: Stage, reason: str) -> str:
    if stage == Stage.REJECTED or reason in EMPLOYER_REASONS:
        return EndedBy.EMPLOYER
    return EndedBy.CANDIDATE


class Tag(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("owner", "name", name="applications_tag_unique_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    class Role(models.TextChoices):
        HIRING_MANAGER = "hiring_manager", "Hiring manager"
        RECRUITER = "recruiter", "Recruiter"
        INTERVIEWER = "interviewer", "Interviewer"
        OTHER = "other", "Other"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RECRUITER)
    company = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField("LinkedIn or other URL", blank=True)
    notes = models.TextField(blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name


class ApplicationQuerySet(OwnedQuerySet):
    def active(self):
        return self.filter(stage__in=ACTIVE_STAGES, archived_at__isnull=True)

    def ended(self):
        return self.filter(stage__in=END_STAGES)

    def bulk_create(self, objs, *args, **kwargs):
        """Creates them, and keeps their company names' openings (`CompanyNameOpening`)."""
        created = super().bulk_create(objs, *args, **kwargs)
        CompanyNameOpening.objects.remember((row.owner_id, row.company) for row in created)
        return created


# Urgency first: the application whose owed answer falls due soonest (so the overdue ones)
# first, then the rest by their last move. The database keeps `next_owed_at`, and the index
# application_urgency holds this order (ascending, so nulls last).
URGENCY_ORDER = (models.F("next_owed_at").asc(nulls_last=True), "-stage_changed_at", "-id")


class Application(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    company = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    posting_url = models.URLField("job posting URL", max_length=500, blank=True)
    job_description = models.TextField(
        blank=True, help_text="Paste the posting: job ads disappear once the role is filled."
    )
    location = models.CharField(max_length=200, blank=True)
    workplace_type = models.CharField(max_length=10, choices=WorkplaceType.choices, blank=True)
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(
        max_length=3, blank=True, default="", validators=[currency_validator]
    )
    source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SAVED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    priority = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (low) to 5 (dream job).",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="applications")
    contacts = models.ManyToManyField(Contact, blank=True, related_name="applications")
    notes = models.TextField(blank=True)
    applied_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    ended_by = models.CharField(max_length=10, choices=EndedBy.choices, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The add form's one-time key: the same form sent twice (a double click, two posts at
    # once) adds one application. Empty for rows added otherwise (imports, the demo).
    submission = models.UUIDField(null=True, blank=True, editable=False)
    # When the next answer owed to an employer falls due (a snooze counts), or None: the
    # earliest `FollowUp.effective_due` of its owed follow-ups. Kept by the database itself, by
    # a trigger on follow-ups (migration 0012), so no write path can leave it behind; the
    # recruiter's list sorts by it through an index instead of asking every row.
    next_owed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["owner", "stage"]),
            models.Index(fields=["owner", "-updated_at"]),
            models.Index(fields=["owner", "company"]),
            models.Index(fields=["owner", "priority"]),
            models.Index(fields=["owner", "workplace_type"]),
            # The recruiter's applications list: most recently moved first, across candidates.
            models.Index(fields=["-stage_changed_at", "-id"], name="application_moved_desc"),
            # The same list urgency first: what is owed soonest (so overdue) first, then the
            # rest (an ascending index keeps nulls last, as the list orders them).
            models.Index(
                fields=["next_owed_at", "-stage_changed_at", "-id"], name="application_urgency"
            ),
            # The board's cards: a user's active applications only, however many have ended
            # (the planner's estimate of "active" is the whole site's share, not this user's).
            models.Index(
                fields=["owner"],
                condition=models.Q(
                    archived_at__isnull=True, stage__in=[stage.value for stage in ACTIVE_STAGES]
                ),
                name="application_on_board",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="applications_salary_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5),
                name="applications_priority_1_to_5",
            ),
            models.UniqueConstraint(
                "owner", "submission", name="applications_one_application_per_submission"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} at {self.company}"

    def save(self, **kwargs) -> None:
        """Saves it, and keeps its company name's openings (`CompanyNameOpening`) when the
        company is written (a new application, a rename)."""
        super().save(**kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "company" in update_fields:
            CompanyNameOpening.objects.remember([(self.owner_id, self.company)])

    def clean(self) -> None:
        if self.salary_min and self.salary_max and self.salary_min > self.salary_max:
            raise ValidationError({"salary_max": SALARY_UPSIDE_DOWN})

    @property
    def is_active(self) -> bool:
        return self.stage in ACTIVE_STAGES

    def get_next_due_kind_display(self) -> str:
        """The label of the `next_due_kind` the board and list annotate."""
        kind = getattr(self, "next_due_kind", "")
        return FollowUp.Kind(kind).label if kind else ""

    @property
    def days_in_stage(self) -> int:
        return (timezone.now() - self.stage_changed_at).days

    def history_summary(self) -> str:
        """How this application went, in a few words, for the company-history hints."""
        when = formats.month_and_year(timezone.localtime(self.stage_changed_at))
        if self.is_active:
            return f"in progress ({self.get_stage_display()})"
        if self.end_reason == EndReason.NO_RESPONSE:
            return f"they never answered (closed in {when})"
        return {
            Stage.ACCEPTED: f"you accepted their offer in {when}",
            Stage.DECLINED: f"you declined in {when}",
            Stage.WITHDRAWN: f"you withdrew in {when}",
            Stage.REJECTED: f"they turned you down in {when}",
        }.get(self.stage, f"closed in {when}")


class CompanyNameOpeningQuerySet(OwnedQuerySet):
    def remember(self, names: Iterable[tuple[int, str]]) -> None:
        """Keeps the openings of these (owner id, company name) pairs: new ones added, known
        ones left. An application's save and bulk_create call it."""
        rows = [
            CompanyNameOpening(owner_id=owner_id, name=name, opening=opening)
            for owner_id, name in set(names)
            for opening in sorted(openings(name))
        ]
        self.bulk_create(rows, ignore_conflicts=True, batch_size=1000)

    def rebuild(self, owner_id: int) -> None:
        """The owner's names as their applications have them now, whatever was kept before
        (manage.py company_names_rebuild)."""
        self.filter(owner_id=owner_id).delete()
        names = Application.objects.filter(owner_id=owner_id).order_by().values_list("company")
        self.remember((owner_id, name) for (name,) in names.distinct())

    def forget_unused(self, owner_id: int) -> None:
        """Drops the owner's names that no application of theirs has any more (after one was
        renamed or deleted). A name left behind costs a page a look, never a wrong answer."""
        used = Application.objects.filter(owner_id=owner_id, company=models.OuterRef("name"))
        self.filter(owner_id=owner_id).exclude(models.Exists(used)).delete()


class CompanyNameOpening(models.Model):
    """One opening (`companies.openings`) of a company name the owner applied to: which of
    their companies might be the same company as a name, looked up by the name's openings
    from an index, instead of every name they ever applied to compared in Python (a long
    search has hundreds). `Application.save()` and `bulk_create` keep it (`remember`); a write
    that goes round both (a queryset's `update` of the company, raw SQL, a data migration's
    historical model) must remember the names itself. The page's own name never depends on it
    (selectors.earlier_applications), so a name missed costs only the hint of a similar one."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    opening = models.CharField(max_length=2)

    objects = CompanyNameOpeningQuerySet.as_manager()

    class Meta:
        constraints = [
            # The names with an opening, read from the index alone.
            models.UniqueConstraint("owner", "opening", "name", name="company_name_opening_unique"),
        ]
        indexes = [
            # The openings of a name (the page's application's company).
            models.Index(fields=["owner", "name", "opening"], name="company_name_openings"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.opening})"


class Interview(models.Model):
    class Format(models.TextChoices):
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        ONSITE = "onsite", "On-site"

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    round = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    starts_at = models.DateTimeField(help_text="In your time zone.")
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(12 * 60)]
    )
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.VIDEO)
    location = models.CharField("location or meeting link", max_length=500, blank=True)
    interviewers = models.ManyToManyField(Contact, blank=True, related_name="interviews")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    notes = models.TextField(blank=True)

    objects = ThroughApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["application", "starts_at"])]

    def __str__(self) -> str:
        return f"Round {self.round} ({self.get_format_display()})"


class Offer(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="offer")
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(
        max_length=3, blank=True, default="", validators=[currency_validator]
    )
    deadline = models.DateField(null=True, blank=True, help_text="When they need your answer.")
    notes = models.TextField(blank=True)

    objects = ThroughApplicationQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Offer for {self.application}"


class TimelineEvent(models.Model):
    """One thing that happened to an application. Append-only: a correction is a new event."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        # Brought in from a CSV file: when it really happened is only as good as the file.
        IMPORTED = "imported", "Imported"
        STAGE_MOVED = "stage_moved", "Stage moved"
        REOPENED = "reopened", "Reopened"
        INVITATION_RECEIVED = "invitation_received", "Invitation received"
        INTERVIEW_SCHEDULED = "interview_scheduled", "Interview scheduled"
        INTERVIEW_HELD = "interview_held", "Interview held"
        INTERVIEW_CANCELLED = "interview_cancelled", "Interview cancelled"
        OFFER_RECORDED = "offer_recorded", "Offer recorded"
        MESSAGE_LOGGED = "message_logged", "Message logged"
        NOTE = "note", "Note"
        EDITED = "edited", "Details edited"
        ARCHIVED = "archived", "Archived"
        RESTORED = "restored", "Restored from the archive"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    message = models.ForeignKey(
        "messaging.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    text = models.TextField(blank=True)

    objects = ThroughApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # The newest events of an application come straight from this index, in the order
        # the page shows them: no sort of its whole timeline.
        indexes = [models.Index(fields=["application", "-at", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Timeline events are append-only; record a new event instead.")
        super().save(*args, **kwargs)


def effective_due() -> models.Case:
    """The due time, or the end of a snooze if later, in SQL (`FollowUp.effective_due` in
    Python): what `with_effective_due` annotates and the owed-answers index holds. The state
    is written out ("snoozed") because the index is declared before `FollowUp.State` exists."""
    # The lookups in name order, as the migration writes them: a `When` compares its lookups
    # in the order given, and any other order would read as a changed index.
    return models.Case(
        models.When(
            snoozed_until__isnull=False, state="snoozed", then=Greatest("due_at", "snoozed_until")
        ),
        default=models.F("due_at"),
    )


class FollowUpQuerySet(OwnedQuerySet):
    def pending(self):
        """Open, or snoozed: what the user still owes."""
        return self.filter(state__in=(FollowUp.State.OPEN, FollowUp.State.SNOOZED))

    def owed(self):
        """Pending answers owed to an employer (not the low-priority housekeeping ones)."""
        return self.pending().filter(low_priority=False)

    def overdue(self, now=None):
        """Pending and past due: its effective due time (`with_effective_due`) has passed."""
        now = now or timezone.now()
        return self.pending().with_effective_due().filter(effective_due_at__lte=now)

    def owed_overdue(self, now=None):
        """The answers owed to an employer that are late now (what the navigation's badge and
        the dashboard count): owed, and past their due time or the end of their snooze."""
        return self.owed().overdue(now)

    def with_effective_due(self):
        """Annotates `effective_due_at`, the SQL twin of `FollowUp.effective_due` (keep the two
        alike): the due time, or the end of a snooze if later. Every query that asks when a
        follow-up is owed starts here."""
        return self.annotate(effective_due_at=effective_due())

    def next_due_after(self, now):
        """When the next of these falls due after `now` (a snooze counts), or None."""
        later = self.with_effective_due().filter(effective_due_at__gt=now)
        return later.aggregate(at=models.Min("effective_due_at"))["at"]


class FollowUp(models.Model):
    """Something the candidate owes an employer, with when it is due.

    The pipeline's events open and complete follow-ups (applications/followups.py); the
    reminder sweep (messaging) reads `remind_at`, the next time a reminder is due, and claims it.
    """

    class Kind(models.TextChoices):
        ANSWER_INVITATION = "answer_invitation", "Answer the invitation"
        TELL_EMPLOYER = "tell_employer", "Tell the employer your decision"
        THANK_YOU = "thank_you", "Send a thank-you note"
        THANK_YOU_AFTER_DECLINE = "thank_you_after_decline", "Send a thank-you after declining"
        CHECK_IN = "check_in", "Check in politely"
        ANSWER_OFFER = "answer_offer", "Decide and answer the offer"
        PREPARE = "prepare", "Prepare for the interview, or decline it now"
        UPDATE_OR_CLOSE = "update_or_close", "Update the application or close it"
        APPLY_BEFORE = "apply_before", "Apply before the posting closes"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        SNOOZED = "snoozed", "Snoozed"
        DISMISSED = "dismissed", "Dismissed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followups"
    )
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="followups")
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.CASCADE, related_name="followups"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    low_priority = models.BooleanField(default=False)
    due_at = models.DateTimeField()
    snoozed_until = models.DateTimeField(null=True, blank=True)
    # The next reminder: claimed by the sweep with a conditional update; null when none is due.
    remind_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField("opened at", default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["owner", "state", "due_at"]),
            models.Index(fields=["application", "state"]),
            # The sweep's query: only rows with a reminder to send are in this index.
            # (with the id: a batch claimed together shares one next time, and the sweep orders
            # by both, so ties must not be read and sorted).
            models.Index(
                fields=["remind_at", "id"],
                condition=models.Q(remind_at__isnull=False),
                name="followup_remind_at_due",
            ),
            # Answers owed in the order they fall due (the recruiter's list of answers owed,
            # overdue first): its first page is read from here instead of sorting every row.
            models.Index(
                effective_due(),
                models.F("id"),
                condition=models.Q(state__in=("open", "snoozed"), low_priority=False),
                name="followup_owed_by_due",
            ),
            # What a user still owes (the board's cards, the badge, the follow-ups page), not
            # the many answers they gave already.
            models.Index(
                fields=["owner"],
                condition=models.Q(state__in=("open", "snoozed")),
                name="followup_pending_by_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.application})"

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.OPEN, self.State.SNOOZED)

    @property
    def effective_due(self):
        """When it is owed now: the due time, or the end of a snooze if later (in SQL:
        `FollowUpQuerySet.with_effective_due`)."""
        if self.state == self.State.SNOOZED and self.snoozed_until:
            return max(self.due_at, self.snoozed_until)
        return self.due_at

    def is_overdue(self, now=None) -> bool:
        return self.is_pending and self.effective_due <= (now or timezone.now())
