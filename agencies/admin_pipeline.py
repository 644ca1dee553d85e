"""The pipeline in the admin (applications and messaging): the full record for operators, and
for recruiters the scoped, read-only view agencies.admin_base describes (their sharing
candidates, the shared fields). Timeline events are read-only for everyone: the timeline is
append-only. It lives in agencies, which may read applications and messaging: those apps never
import agencies.
"""

from django.contrib import admin
from django.db import models
from django.utils import timezone

from agencies import visibility
from agencies.admin_base import (
    BridgesAdmin,
    ScopedAdmin,
    csv_response,
    due_cell,
    export_filename,
    with_panel_dates,
)
from agencies.admin_filters import (
    AddedFilter,
    EmployerFilter,
    candidate_filter,
    office_filter,
    owes_filter,
)
from agencies.models import OwedAnswer
from applications.models import (
    URGENCY_ORDER,
    Application,
    Contact,
    FollowUp,
    Interview,
    Offer,
    Tag,
    TimelineEvent,
)
from applications.selectors import with_next_due
from messaging.models import Message, Outbox, SweepStatus, UserTemplate


class InterviewInline(admin.TabularInline):
    model = Interview
    extra = 0
    # Interviewers are the owner's contacts; the admin must not link another user's.
    readonly_fields = ["interviewers"]


class OfferInline(admin.StackedInline):
    model = Offer
    extra = 0


class TimelineEventInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "from_stage", "to_stage", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnly:
    """Records to read, not to rewrite: nobody adds or edits them in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """What a recruiter reads on an application's page: the shared fields, nothing to edit."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_fields(self, request, obj=None):
        return with_panel_dates(self.model, self.fields)

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class SharedInterviewInline(ReadOnlyInline):
    model = Interview
    fields = visibility.INTERVIEW_FIELDS


class SharedOfferInline(ReadOnlyInline):
    model = Offer
    fields = visibility.OFFER_FIELDS


class SharedTimelineInline(ReadOnlyInline):
    model = TimelineEvent
    fields = visibility.TIMELINE_FIELDS


class SharedFollowUpInline(ReadOnlyInline):
    model = OwedAnswer
    fields = visibility.FOLLOWUP_FIELDS
    verbose_name = "follow-up"
    verbose_name_plural = "follow-ups"


class SharedMessageInline(ReadOnlyInline):
    model = Message
    fields = visibility.MESSAGE_FIELDS


class OwnerSetOnce:
    """The owner is chosen when a row is added here and never changed: handing a row to another
    user would leave its follow-ups, tags and contacts with the first one, and both users'
    cached pages out of step. (Links typed without a scheme are taken as https, as on the site.)
    """

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "owner"] if obj is not None and "owner" not in fields else fields


@admin.register(Application)
class ApplicationAdmin(OwnerSetOnce, ScopedAdmin):
    empty_message = "Your candidates have no applications yet."
    # What is owed and how urgent it is beside the candidate's name, where the eye starts (and
    # where a narrow screen still shows it without scrolling sideways).
    list_display = [
        "candidate",
        "due",
        "next_due",
        "company",
        "job_title",
        "stage",
        "days_in_stage_column",
    ]
    list_filter = [
        "stage",
        office_filter("owner"),
        owes_filter("application", "pk", title="overdue"),
        EmployerFilter,
        candidate_filter("owner"),
        ("created_at", AddedFilter),
    ]
    list_select_related = ["owner"]
    search_fields = ["company", "job_title", "owner__email", "owner__display_name"]
    recruiter_search_fields = ("company", "job_title", "owner__display_name", "owner__email")
    autocomplete_fields = ["owner"]
    # The stage moves only through the pipeline (which writes the timeline), and contacts and
    # tags belong to the owner: none of them is edited here.
    readonly_fields = [
        "stage",
        "stage_changed_at",
        "end_reason",
        "ended_by",
        "contacts",
        "tags",
        "archived_at",
    ]
    recruiter_fields = ["candidate", *visibility.APPLICATION_FIELDS]
    # No date hierarchy: its links are drawn from the earliest and latest rows and the distinct
    # years or months between them, two questions over every listed application on every page
    # (a third of a search page's time over 100,000). "Added" asks nothing to draw its links.
    inlines = [InterviewInline, OfferInline, TimelineEventInline]
    recruiter_inlines = [
        SharedInterviewInline,
        SharedOfferInline,
        SharedFollowUpInline,
        SharedMessageInline,
        SharedTimelineInline,
    ]
    actions = ["export_csv"]
    # One count, not two, on a list that can hold every application of an agency.
    show_full_result_count = False
    recruiter_annotations = ("next_due_at", "next_owed_at")

    def get_queryset(self, request):
        # What each application owes next (applications.selectors, made from shared fields).
        return with_next_due(super().get_queryset(request))

    def get_ordering(self, request):
        # Urgency first (applications.models.URGENCY_ORDER): an index's order, not a question
        # asked of every application.
        return list(URGENCY_ORDER)

    @admin.display(description="candidate", ordering="owner__display_name")
    def candidate(self, application):
        return application.owner.get_full_name()

    @admin.display(description="days in stage", ordering="stage_changed_at")
    def days_in_stage_column(self, application):
        return application.days_in_stage

    @admin.display(description="next answer owed")
    def next_due(self, application):
        return application.get_next_due_kind_display() or "—"

    @admin.display(description="due", ordering="next_owed_at")
    def due(self, application):
        return due_cell(application.next_due_at)

    def overdue(self, application) -> bool:
        return bool(application.next_due_at and application.next_due_at <= timezone.now())

    @admin.action(description="Export the selected applications as CSV")
    def export_csv(self, request, queryset):
        rows = [
            (
                a.owner.get_full_name(),
                a.owner.email,
                a.company,
                a.job_title,
                a.get_stage_display(),
                a.days_in_stage,
                a.get_next_due_kind_display(),
                a.next_due_at.isoformat() if a.next_due_at else "",
                "yes" if self.overdue(a) else "no",
            )
            for a in queryset
        ]
        self.audit_export(request, len(rows))
        header = ["candidate", "email", "company", "job title", "stage", "days in stage"]
        return csv_response(
            export_filename("applications"), [*header, "next owed", "due", "overdue"], rows
        )


@admin.register(Interview)
class InterviewAdmin(ScopedAdmin):
    candidate_path = "application__owner"
    empty_message = "None of your candidates has an interview yet."
    list_display = ["application", "candidate", "round", "starts_at", "format", "state"]
    list_filter = ["state", "format", office_filter("application__owner")]
    list_select_related = ["application__owner"]
    search_fields = recruiter_search_fields = (
        "application__company",
        "application__job_title",
        "application__owner__display_name",
    )
    recruiter_fields = ["application", *visibility.INTERVIEW_FIELDS]
    readonly_fields = ["application", "interviewers"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at", "-id"]

    @admin.display(description="candidate", ordering="application__owner__display_name")
    def candidate(self, interview):
        return interview.application.owner.get_full_name()


@admin.register(Contact)
class ContactAdmin(OwnerSetOnce, BridgesAdmin):
    list_display = ["name", "role", "company", "email", "owner"]
    list_select_related = ["owner"]
    search_fields = ["name", "company", "email", "owner__email"]
    autocomplete_fields = ["owner"]


@admin.register(Tag)
class TagAdmin(OwnerSetOnce, BridgesAdmin):
    list_display = ["name", "owner"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__email"]
    autocomplete_fields = ["owner"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadOnly, ScopedAdmin):
    candidate_path = "application__owner"
    # Recruiters read events on an application's page; the table itself is the operators'.
    recruiter_listed = False
    recruiter_fields = ["application", *visibility.TIMELINE_FIELDS]
    list_display = ["application", "kind", "at"]
    list_filter = ["kind"]
    list_select_related = ["application"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnly, BridgesAdmin):
    """Follow-ups change through the pipeline and the user's own actions, never here."""

    list_display = [
        "kind",
        "application",
        "owner",
        "state",
        "due_at",
        "remind_at",
        "reminders_sent",
    ]
    list_filter = ["kind", "state"]
    list_select_related = ["application", "owner"]
    search_fields = ["application__company", "owner__email"]


# --- operators: messages and reminder delivery, records to read, not to rewrite ---------


class ReadOnlyAdmin(ReadOnly, BridgesAdmin):
    pass


@admin.register(Message)
class MessageAdmin(ReadOnly, ScopedAdmin):
    """Logged messages: recruiters of a sharing candidate's agency read them, nobody edits."""

    candidate_path = "application__owner"
    empty_message = "None of your candidates has logged a message yet."
    list_display = ["application", "candidate", "kind", "channel", "to_email", "created_at"]
    list_filter = ["kind", "channel", office_filter("application__owner")]
    list_select_related = ["application__owner"]
    search_fields = ["subject", "application__company", "application__owner__email"]
    recruiter_search_fields = (
        "subject",
        "application__company",
        "application__owner__display_name",
    )
    recruiter_fields = ["application", *visibility.MESSAGE_FIELDS]
    date_hierarchy = "created_at"

    @admin.display(description="candidate", ordering="application__owner__display_name")
    def candidate(self, message):
        return message.application.owner.get_full_name()


@admin.register(UserTemplate)
class UserTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "owner", "updated_at"]
    list_select_related = ["owner"]


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "owner", "state", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["state"]
    list_select_related = ["owner"]
    search_fields = ["owner__email", "last_error"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SweepStatus)
class SweepStatusAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "claimed"]
