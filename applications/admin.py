"""Operators' admin for the pipeline. Timeline events are read-only: the timeline is append-only."""

from django.contrib import admin

from applications.models import (
    Application,
    Contact,
    FollowUp,
    Interview,
    Offer,
    Tag,
    TimelineEvent,
)


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


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["company", "job_title", "owner", "stage", "priority", "updated_at"]
    list_filter = ["stage", "workplace_type", "source"]
    list_select_related = ["owner"]
    search_fields = ["company", "job_title", "owner__email"]
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
    date_hierarchy = "created_at"
    inlines = [InterviewInline, OfferInline, TimelineEventInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "company", "email", "owner"]
    list_select_related = ["owner"]
    search_fields = ["name", "company", "email", "owner__email"]
    autocomplete_fields = ["owner"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "owner"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__email"]
    autocomplete_fields = ["owner"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ["application", "kind", "at"]
    list_filter = ["kind"]
    list_select_related = ["application"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
