"""The agency side of the admin: operators manage agencies, offices, recruiters and codes;
recruiters read their sharing candidates and the answers they owe employers, nudge and export.
"""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme

from agencies import (
    admin_accounts,  # noqa: F401 (registers the operators' user admin)
    admin_pipeline,  # noqa: F401 (registers the pipeline's admins)
    codes,
    scoping,
    services,
)
from agencies.admin_base import (
    BadFilterValue,
    BridgesAdmin,
    ScopedAdmin,
    csv_response,
    due_cell,
    export_filename,
    is_recruiter_view,
    panel_time,
    parse_id,
)
from agencies.admin_filters import (
    OverdueFilter,
    QuietFilter,
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
from applications.models import URGENCY_ORDER, Application, FollowUp, TimelineEvent
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


def nudge_and_say(request, memberships) -> None:
    """Nudges each candidate (agencies.services.nudge: its daily limit, audit and outbox) and
    tells the recruiter what happened, in one message per outcome."""
    sent, recent, nothing = [], [], []
    for membership in memberships:
        try:
            queued = services.nudge(recruiter=request.user, membership=membership)
        except services.NothingOwed:
            nothing.append(membership)
            continue
        (sent if queued else recent).append(membership)
    if sent:
        messages.success(
            request,
            f"Nudged {_who(sent)}: Bridges is emailing the answers owed, with your address "
            "to reply to.",
        )
    if recent:
        messages.warning(
            request,
            f"{_who(recent)} already had a nudge from your agency in the last 24 hours; "
            "nothing more was sent.",
        )
    if nothing:
        owe = "owes" if len(nothing) == 1 else "owe"
        messages.info(request, f"{_who(nothing)} {owe} nothing right now; nothing was sent.")


def _who(memberships) -> str:
    if len(memberships) == 1:
        return memberships[0].candidate.get_full_name()
    return f"{len(memberships)} candidates"


@admin.action(description="Nudge: email them the answers they owe (once a day at most)")
def nudge(modeladmin, request, queryset):
    nudge_and_say(request, modeladmin.memberships_of(request, queryset))


def nudge_url(membership_id) -> str:
    return reverse("admin:agencies_candidatemembership_nudge", args=[membership_id])


class CandidateAdmin(ScopedAdmin):
    """A recruiter's candidates: the agency's candidates who share their pipeline now."""

    candidate_path = "candidate"
    empty_message = "No candidate shares their job search with your agency yet."
    list_display = [
        "name",
        "office_city",
        "active_applications",
        "overdue_followups",
        "last_activity",
    ]
    list_filter = [office_filter("candidate"), owes_filter("owner", "candidate"), QuietFilter]
    list_select_related = ["candidate", "office", "agency"]
    search_fields = ["candidate__display_name", "candidate__email"]
    recruiter_search_fields = ("candidate__display_name", "candidate__email")
    recruiter_fields = [
        "name",
        "email",
        "office_city",
        "shared_since",
        "sharing_until",
        "last_nudged",
        "pipeline",
    ]
    readonly_fields = [
        "shared_since",
        "consent_lapses_at",
        "stopped_sharing_at",
        "joined_at",
        "last_nudged_at",
    ]
    fields = [
        "candidate",
        "agency",
        "office",
        "joined_at",
        "shared_since",
        "consent_lapses_at",
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

    # --- the nudge button of a candidate's page and of each owed answer's row ----------------

    def get_urls(self):
        nudge_view = self.admin_site.admin_view(self.nudge_view)
        return [
            path("<path:object_id>/nudge/", nudge_view, name="agencies_candidatemembership_nudge"),
            *super().get_urls(),
        ]

    def nudge_view(self, request, object_id):
        """POST only (the admin checks its CSRF token): nudges one candidate the recruiter may
        see, then goes back where the button was, saying what happened."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if scoping.recruiter_of(request.user) is None:
            raise PermissionDenied  # operators have no agency to nudge from
        try:
            membership_id = parse_id(object_id)
        except BadFilterValue:
            raise Http404("No candidate here.") from None
        membership = (
            scoping.memberships_for(request.user)
            .select_related("candidate", "agency")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None:
            raise Http404("No candidate here.")
        nudge_and_say(request, [membership])
        back = request.POST.get("next") or request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:agencies_candidatemembership_change", args=[membership.pk])
        return HttpResponseRedirect(back)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_nudge": scoping.recruiter_of(request.user) is not None,
        }
        return super().change_view(request, object_id, form_url, extra_context)

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
        return panel_time(membership.last_activity)

    @admin.display(description="sharing until")
    def sharing_until(self, membership):
        # The candidate's yes lapses then unless they renew it (agencies/models.py).
        if not membership.consent_lapses_at:
            return "—"
        return f"{panel_time(membership.consent_lapses_at)}, unless the candidate renews"

    @admin.display(description="last nudged")
    def last_nudged(self, membership):
        return panel_time(membership.last_nudged_at) if membership.last_nudged_at else "never"

    @admin.display(description="sharing")
    def sharing(self, membership):
        return "sharing" if membership.is_sharing else "not sharing"

    @admin.display(description="pipeline")
    def pipeline(self, membership):
        """The candidate's applications, urgency first (as the applications list), with what
        they owe."""
        applications = with_next_due(
            Application.objects.filter(owner_id=membership.candidate_id).order_by(*URGENCY_ORDER)
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
                    due_cell(a.next_due_at, now),
                )
                for a in applications
            ),
        )
        listing = reverse("admin:applications_application_changelist")
        return format_html(
            "<table class='pipeline'><thead><tr><th scope='col'>Application</th>"
            "<th scope='col'>Stage</th><th scope='col'>Days in stage</th>"
            "<th scope='col'>Next answer owed</th><th scope='col'>Due</th></tr></thead>"
            "<tbody>{}</tbody></table>"
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
    """The answers the agency's candidates owe employers: overdue first, then soonest due."""

    empty_message = "Nobody owes an employer an answer right now."
    list_display = ["candidate", "due", "kind_owed", "application_link"]
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
    recruiter_annotations = ("effective_due_at",)

    def get_ordering(self, request):
        # The effective due time is an annotation, which the `ordering` attribute cannot name.
        return ["effective_due_at", "id"]

    def get_queryset(self, request):
        # When each is owed now (FollowUpQuerySet.with_effective_due), and, for a recruiter,
        # their agency's membership of the candidate, which the row's nudge button names.
        # (Annotated before ordering, which is why this does not start from super().)
        owed = self.model._default_manager.owed().with_effective_due()
        memberships = scoping.memberships_for(request.user).filter(candidate=OuterRef("owner"))
        owed = owed.annotate(membership_id=Subquery(memberships.values("pk")[:1]))
        return scoping.for_recruiter(owed, request.user, self.candidate_path).order_by(
            *self.get_ordering(request)
        )

    def get_list_display(self, request):
        if scoping.recruiter_of(request.user) is None:
            return self.list_display
        return [*self.list_display, "nudge_button"]

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

    @admin.display(description="answer owed", ordering="kind")
    def kind_owed(self, followup):
        return followup.get_kind_display()

    @admin.display(description="due", ordering="effective_due_at")
    def due(self, followup):
        return due_cell(followup.effective_due_at)

    @admin.display(description="nudge")
    def nudge_button(self, followup):
        # The change list is one form (with its CSRF token); this button posts it elsewhere.
        if followup.membership_id is None:
            return "—"
        changelist = reverse("admin:agencies_owedanswer_changelist")
        return format_html(
            "<button type='submit' class='button nudge' formaction='{}?{}' formmethod='post' "
            "aria-label='Nudge {}'>Nudge</button>",
            nudge_url(followup.membership_id),
            urlencode({"next": changelist}),
            followup.owner.get_full_name(),
        )

    @admin.action(description="Export the selected as CSV")
    def export_csv(self, request, queryset):
        rows = [
            (
                f.owner.get_full_name(),
                f.owner.email,
                f.application.company,
                f.application.job_title,
                f.get_kind_display(),
                f.effective_due_at.isoformat(),
                "yes" if f.is_overdue() else "no",
            )
            for f in queryset.select_related("owner", "application")
        ]
        self.audit_export(request, len(rows))
        header = ["candidate", "email", "company", "job title", "answer owed", "due", "overdue"]
        return csv_response(export_filename("answers-owed"), header, rows)


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
