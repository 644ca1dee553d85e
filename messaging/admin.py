"""Operators' admin for messages and reminder delivery: records to read, not to rewrite."""

from django.contrib import admin

from messaging.models import Message, Outbox, SweepStatus, UserTemplate


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["application", "kind", "channel", "to_email", "created_at"]
    list_filter = ["kind", "channel"]
    list_select_related = ["application"]
    search_fields = ["subject", "application__company", "application__owner__email"]


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
