"""Operators' admin for messages and reminder delivery: records to read, not to rewrite."""

from django.contrib import admin

from agencies import visibility
from agencies.admin_base import BridgesAdmin, ScopedAdmin
from agencies.admin_filters import office_filter
from messaging.models import Message, Outbox, SweepStatus, UserTemplate


class ReadOnlyAdmin(BridgesAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ScopedAdmin):
    """Logged messages: recruiters of a sharing candidate's agency read them, nobody edits."""

    candidate_path = "application__owner"
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

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
