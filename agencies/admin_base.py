"""The admin's rules for recruiters, shared by every model they may read.

A `ScopedAdmin` shows a recruiter only rows whose candidate shares with the recruiter's agency
(agencies.scoping), only the fields agencies.visibility lists, never an edit or delete, and
answers 404 for anything else, whatever the URL. Opening a record is written to the audit log.
Operators (superusers) get the full admin.
"""

import csv

from django.contrib import admin
from django.http import Http404, HttpResponse
from django.utils import timezone

from agencies import scoping, services
from agencies.models import AuditEvent

# Cells a spreadsheet would run as a formula; exported text starting so gets a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet apps read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


def is_recruiter_view(request) -> bool:
    """Everyone but operators gets the recruiter's view (which is empty without an agency)."""
    return not request.user.is_superuser


def candidate_id_of(obj, path: str):
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id")


class ScopedAdmin(admin.ModelAdmin):
    # How a row reaches its candidate, e.g. "owner" or "application__owner".
    candidate_path = "owner"
    # What recruiters see of a row (agencies.visibility); None means the operator's fields.
    recruiter_fields: list[str] | None = None
    recruiter_inlines: list = []
    recruiter_search_fields: tuple[str, ...] = ()
    # Shown in the recruiter's admin index; a model read only through inlines sets False.
    recruiter_listed = True
    list_per_page = 50
    view_on_site = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scoping.for_recruiter(queryset, request.user, self.candidate_path)

    # --- what a recruiter sees --------------------------------------------------------------

    def get_fields(self, request, obj=None):
        if is_recruiter_view(request) and self.recruiter_fields is not None:
            return list(self.recruiter_fields)
        return super().get_fields(request, obj)

    def get_fieldsets(self, request, obj=None):
        if is_recruiter_view(request) and self.recruiter_fields is not None:
            return [(None, {"fields": self.get_fields(request, obj)})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if is_recruiter_view(request) and self.recruiter_fields is not None:
            return list(self.recruiter_fields)
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        if is_recruiter_view(request):
            return self.recruiter_inlines
        return super().get_inlines(request, obj)

    def get_search_fields(self, request):
        # Searching a field a recruiter may not read would let them probe it.
        if is_recruiter_view(request):
            return self.recruiter_search_fields
        return super().get_search_fields(request)

    def get_model_perms(self, request):
        if is_recruiter_view(request) and not self.recruiter_listed:
            return {}
        return super().get_model_perms(request)

    # --- read-only for recruiters, whatever permissions they are given -------------------------

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    # --- another agency's row, or a row that is gone: 404, not a redirect with its id -----------

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(f"No {opts.verbose_name} here.")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            self.audit_view(request, response.context_data.get("original"))
        return response

    def audit_view(self, request, obj) -> None:
        recruiter = scoping.recruiter_of(request.user)
        if recruiter is None or obj is None:
            return
        services.audit(
            actor=request.user,
            action=AuditEvent.Action.VIEWED,
            agency=recruiter.agency,
            candidate_id=candidate_id_of(obj, self.candidate_path),
            what=f"{self.opts.verbose_name} #{obj.pk}: {obj}",
        )

    def audit_export(self, request, count: int) -> None:
        recruiter = scoping.recruiter_of(request.user)
        if recruiter is not None:
            services.audit(
                actor=request.user,
                action=AuditEvent.Action.EXPORTED,
                agency=recruiter.agency,
                what=f"{count} {self.opts.verbose_name_plural} exported",
            )


def export_filename(stem: str) -> str:
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.csv"
