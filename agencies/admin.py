"""The agency side of the admin: operators manage agencies, offices, recruiters and codes;
recruiters read their sharing candidates and who owes an employer an answer, nudge and export.
"""

from django.contrib import admin, messages
from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from agencies import (
    admin_pipeline,  # noqa: F401 (registers the pipeline's admins)
    codes,
    scoping,
    services,
)
from agencies.admin_base import (
    BridgesAdmin,
    ScopedAdmin,
    csv_response,
    export_filename,
    is_recruiter_view,
)
from agencies.admin_filters import (
    OverdueFilter,
    office_filter,
    owes_filter,
)
from agencies.models import (
    Agency,
    AuditEvent,
    CandidateMembership,
    Nudge,
    Office,
    OwedAnswer,
    RecruiterMembership,
)
from applications.models import Application, FollowUp, TimelineEvent
from applications.selectors import with_next_due

# --- operators: agencies, offices, recruiters --------------------------------------------


@admin.display(description="invitation code")
def code(obj):
    return codes.display(obj.invite_code) if obj.pk else "(made when saved)"


@admin.action(description="Rotate the invitation code (the old one stops working)")
def rotate_codes(modeladmin, request, queryset):
    for obj in queryset:
        services.rotate_code(obj)
    messages.success(request, f"New codes for {len(queryset)}; memberships are unchanged.")


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0
    fields = ["city", code]
    readonly_fields = [code]


@admin.register(Agency)
class AgencyAdmin(BridgesAdmin):
    list_display = ["name", code, "offices", "recruiters_count", "created_at"]
    search_fields = ["name"]
    fields = ["name", code]
    readonly_fields = [code]
    inlines = [OfficeInline]
    actions = [rotate_codes]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                office_count=Count("offices", distinct=True),
                recruiter_count=Count("recruiters", distinct=True),
            )
        )

    @admin.display(description="offices", ordering="office_count")
    def offices(self, agency):
        return agency.office_count

    @admin.display(description="recruiters", ordering="recruiter_count")
    def recruiters_count(self, agency):
        return agency.recruiter_count


@admin.register(Office)
class OfficeAdmin(BridgesAdmin):
    list_display = ["city", "agency", code]
    list_filter = ["agency"]
    list_select_related = ["agency"]
    search_fields = ["city", "agency__name"]
    fields = ["agency", "city", code]
    readonly_fields = [code]
    actions = [rotate_codes]


@admin.register(RecruiterMembership)
class RecruiterMembershipAdmin(BridgesAdmin):
    """Making someone a recruiter: staff, in the Recruiters group, with this membership."""

    list_display = ["user", "agency", "office"]
    list_filter = ["agency"]
    list_select_related = ["user", "agency", "office"]
    search_fields = ["user__email", "user__display_name", "agency__name"]
    autocomplete_fields = ["user"]


# --- recruiters: candidates and who owes an answer ----------------------------------------


def _owed_counts(candidate_ref: str):
    now = timezone.now()
    active = (
        Application.objects.active()
        .filter(owner=OuterRef(candidate_ref))
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    overdue = (
        FollowUp.objects.owed()
        .overdue(now)
        .filter(owner=OuterRef(candidate_ref))
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last = (
        TimelineEvent.objects.filter(application__owner=OuterRef(candidate_ref))
        .order_by("-at")
        .values("at")[:1]
    )
    return {
        "active_count": Coalesce(Subquery(active, output_field=IntegerField()), Value(0)),
        "overdue_count": Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
        "last_activity": Subquery(last),
    }


@admin.action(description="Nudge: email them what they owe (at most once a day)")
def nudge(modeladmin, request, queryset):
    memberships = modeladmin.memberships_of(request, queryset)
    sent, recent, nothing = 0, 0, 0
    for membership in memberships:
        try:
            queued = services.nudge(recruiter=request.user, membership=membership)
        except services.NothingOwed:
            nothing += 1
            continue
        if queued:
            sent += 1
        else:
            recent += 1
    if sent:
        messages.success(request, f"Nudged {sent} candidate{'s' if sent != 1 else ''}.")
    if recent:
        messages.warning(
            request,
            f"{recent} already had a nudge from your agency in the last 24 hours; "
            "nothing more was sent to them.",
        )
    if nothing:
        messages.info(request, f"{nothing} owe nothing right now; nothing was sent to them.")


class CandidateAdmin(ScopedAdmin):
    """A recruiter's candidates: the agency's candidates who share their pipeline now."""

    candidate_path = "candidate"
    list_display = [
        "name",
        "office_city",
        "active_applications",
        "overdue_followups",
        "last_activity",
    ]
    list_filter = [office_filter("candidate"), owes_filter("owner", "candidate")]
    list_select_related = ["candidate", "office", "agency"]
    search_fields = ["candidate__display_name", "candidate__email"]
    recruiter_search_fields = ("candidate__display_name", "candidate__email")
    recruiter_fields = ["name", "email", "office_city", "shared_since", "pipeline"]
    readonly_fields = ["shared_since", "stopped_sharing_at", "joined_at", "last_nudged_at"]
    fields = [
        "candidate",
        "agency",
        "office",
        "joined_at",
        "shared_since",
        "stopped_sharing_at",
        "last_nudged_at",
    ]
    actions = ["export_csv", nudge]
    ordering = ["candidate__display_name", "candidate__email", "id"]
    recruiter_annotations = ("active_count", "overdue_count", "last_activity")

    def get_queryset(self, request):
        # Operators see every membership, sharing or not; recruiters their agency's sharing ones.
        queryset = scoping.memberships_for(request.user)
        return queryset.annotate(**_owed_counts("candidate")).select_related(
            *self.list_select_related
        )

    def get_list_display(self, request):
        if is_recruiter_view(request):
            return self.list_display
        return [*self.list_display, "agency", "sharing"]

    def memberships_of(self, request, queryset):
        return list(queryset.select_related("candidate", "agency"))

    @admin.display(description="candidate", ordering="candidate__display_name")
    def name(self, membership):
        return membership.candidate.get_full_name()

    @admin.display(description="email")
    def email(self, membership):
        return membership.candidate.email

    @admin.display(description="office", ordering="office__city")
    def office_city(self, membership):
        return membership.office.city if membership.office else "—"

    @admin.display(description="active applications", ordering="active_count")
    def active_applications(self, membership):
        return membership.active_count

    @admin.display(description="overdue follow-ups", ordering="overdue_count")
    def overdue_followups(self, membership):
        return membership.overdue_count

    @admin.display(description="last activity", ordering="last_activity")
    def last_activity(self, membership):
        return membership.last_activity

    @admin.display(boolean=True)
    def sharing(self, membership):
        return membership.is_sharing

    @admin.display(description="pipeline")
    def pipeline(self, membership):
        """The candidate's applications, most recently moved first, with what they owe."""
        applications = with_next_due(
            Application.objects.filter(owner_id=membership.candidate_id).order_by(
                "-stage_changed_at", "-id"
            )
        )
        now = timezone.now()
        rows = format_html_join(
            "",
            "<tr><td><a href='{}'>{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    reverse("admin:applications_application_change", args=[a.pk]),
                    f"{a.job_title} at {a.company}",
                    a.get_stage_display(),
                    a.days_in_stage,
                    a.get_next_due_kind_display() or "—",
                    "overdue" if a.next_due_at and a.next_due_at <= now else "",
                )
                for a in applications
            ),
        )
        listing = reverse("admin:applications_application_changelist")
        return format_html(
            "<table><thead><tr><th>Application</th><th>Stage</th><th>Days in stage</th>"
            "<th>Next owed</th><th>Overdue</th></tr></thead><tbody>{}</tbody></table>"
            "<p><a href='{}?candidate={}'>All their applications, with filters</a></p>",
            rows or format_html("<tr><td colspan='5'>No applications yet.</td></tr>"),
            listing,
            membership.candidate_id,
        )

    @admin.action(description="Export the selected candidates as CSV")
    def export_csv(self, request, queryset):
        rows = [
            (
                m.candidate.get_full_name(),
                m.candidate.email,
                m.office.city if m.office else "",
                m.active_count,
                m.overdue_count,
                m.last_activity.isoformat() if m.last_activity else "",
            )
            for m in queryset
        ]
        self.audit_export(request, len(rows))
        header = ["name", "email", "office", "active applications", "overdue follow-ups"]
        return csv_response(export_filename("candidates"), [*header, "last activity"], rows)


admin.site.register(CandidateMembership, CandidateAdmin)


class OwedAnswerAdmin(ScopedAdmin):
    """Who owes an employer an answer, across the agency: overdue first, then soonest due."""

    list_display = ["candidate", "application_link", "kind", "owed_since", "overdue_flag"]
    list_filter = [OverdueFilter, office_filter("owner"), "kind"]
    list_select_related = ["owner", "application"]
    search_fields = recruiter_search_fields = (
        "application__company",
        "application__job_title",
        "owner__display_name",
        "owner__email",
    )
    recruiter_fields = ["candidate", "application", "kind", "state", "due_at", "snoozed_until"]
    actions = ["export_csv", nudge]
    recruiter_annotations = ("owed_at",)

    def get_ordering(self, request):
        return ["owed_at", "id"]  # an annotation, which the `ordering` attribute cannot name

    def get_queryset(self, request):
        # When it is owed now (FollowUp.effective_due): the due time, or a later snooze's end.
        # (Annotated before ordering, which is why this does not start from super().)
        owed_at = Case(
            When(state=FollowUp.State.SNOOZED, snoozed_until__gt=F("due_at"), then="snoozed_until"),
            default="due_at",
        )
        owed = self.model._default_manager.owed().annotate(owed_at=owed_at)
        return scoping.for_recruiter(owed, request.user, self.candidate_path).order_by(
            *self.get_ordering(request)
        )

    def memberships_of(self, request, queryset):
        owners = queryset.values("owner")
        return list(
            scoping.memberships_for(request.user)
            .filter(candidate__in=owners)
            .select_related("candidate", "agency")
        )

    @admin.display(description="candidate", ordering="owner__display_name")
    def candidate(self, followup):
        return followup.owner.get_full_name()

    @admin.display(description="application")
    def application_link(self, followup):
        url = reverse("admin:applications_application_change", args=[followup.application_id])
        return format_html("<a href='{}'>{}</a>", url, followup.application)

    @admin.display(description="due", ordering="owed_at")
    def owed_since(self, followup):
        return followup.owed_at

    @admin.display(description="overdue")
    def overdue_flag(self, followup):
        if not followup.is_overdue():
            return "—"
        days = (timezone.now() - followup.owed_at).days
        return f"overdue by {days} day{'s' if days != 1 else ''}" if days else "overdue today"

    @admin.action(description="Export the selected as CSV")
    def export_csv(self, request, queryset):
        rows = [
            (
                f.owner.get_full_name(),
                f.owner.email,
                f.application.company,
                f.application.job_title,
                f.get_kind_display(),
                f.owed_at.isoformat(),
                "yes" if f.is_overdue() else "no",
            )
            for f in queryset.select_related("owner", "application")
        ]
        self.audit_export(request, len(rows))
        header = ["candidate", "email", "company", "job title", "owed", "due", "overdue"]
        return csv_response(export_filename("owed-answers"), header, rows)


admin.site.register(OwedAnswer, OwedAnswerAdmin)


# --- operators: the record ------------------------------------------------------------------


class RecordAdmin(BridgesAdmin):
    """Read by operators; written only by Bridges, never edited or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(RecordAdmin):
    list_display = ["at", "actor_email", "action", "agency", "candidate", "what"]
    list_filter = ["action", "agency"]
    list_select_related = ["agency", "candidate"]
    search_fields = ["actor_email", "what", "candidate__email"]
    date_hierarchy = "at"


@admin.register(Nudge)
class NudgeAdmin(RecordAdmin):
    list_display = ["membership", "recruiter", "created_at", "sent_at", "last_error"]
    list_select_related = ["membership__candidate", "recruiter"]
    search_fields = ["membership__candidate__email", "recruiter__email"]
