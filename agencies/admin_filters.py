"""Sidebar filters whose choices come from what the recruiter may see, never from the table.

(Django's own related-field and all-values filters list every row of the related table,
which would show one agency the offices or employers of another.)
"""

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from agencies import dashboard, scoping
from agencies.admin_base import parse_id
from agencies.models import CandidateMembership
from applications.models import FollowUp


class OfficeFilter(admin.SimpleListFilter):
    title = "office"
    parameter_name = "office"
    candidate_path = "owner"

    def lookups(self, request, model_admin):
        offices = scoping.offices_for(request.user)
        if request.user.is_superuser:
            choices = [(str(office.pk), str(office)) for office in offices]
        else:
            choices = [(str(office.pk), office.city) for office in offices]
        # Candidates who joined with the agency's own code, not an office's.
        return [*choices, (dashboard.NO_OFFICE, "No office")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        office_id = None if value == dashboard.NO_OFFICE else parse_id(value)
        if queryset.model is CandidateMembership:
            return queryset.filter(office_id=office_id)
        return scoping.in_office(queryset, request.user, self.candidate_path, office_id)


def office_filter(candidate_path: str) -> type[OfficeFilter]:
    return type("OfficeFilter", (OfficeFilter,), {"candidate_path": candidate_path})


class OwesAnswerFilter(admin.SimpleListFilter):
    """Candidates (or applications) with an answer past due now."""

    title = "owes an answer now"
    parameter_name = "owes"
    # How to reach, from a follow-up, the row being filtered.
    followup_link = "owner"

    def lookups(self, request, model_admin):
        return [("yes", "Yes, overdue"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        overdue = Exists(
            FollowUp.objects.owed().overdue().filter(**{self.followup_link: OuterRef(self.outer)})
        )
        return queryset.filter(overdue) if self.value() == "yes" else queryset.exclude(overdue)

    outer = "candidate"


def owes_filter(followup_link: str, outer: str, title: str = "owes an answer now"):
    attrs = {"followup_link": followup_link, "outer": outer, "title": title}
    return type("OwesAnswerFilter", (OwesAnswerFilter,), attrs)


class OverdueFilter(admin.SimpleListFilter):
    """Follow-ups past due (the owed-answers list)."""

    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not yet due")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.overdue().values("pk"))
        return queryset


class QuietFilter(admin.SimpleListFilter):
    """Candidates who have gone quiet (agencies.dashboard.quiet): active applications, and
    nothing done on any of them for two weeks."""

    title = "gone quiet"
    parameter_name = "quiet"
    candidate_path = "candidate"

    def lookups(self, request, model_admin):
        return [("yes", f"No activity for {dashboard.QUIET_DAYS} days")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(dashboard.quiet(self.candidate_path))
        return queryset


class EmployerFilter(admin.SimpleListFilter):
    """The employers the recruiter's candidates are in process with most (search finds the
    others). Counted over active applications: the ones a recruiter acts on, and few enough
    to count on every page (every application of a large agency is a tenth of a second)."""

    title = "employer"
    parameter_name = "employer"
    company_path = "company"
    shown = 15

    def lookups(self, request, model_admin):
        visible = model_admin.get_queryset(request)
        top = (
            visible.active()
            .order_by()
            .values(self.company_path)
            .annotate(n=Count("pk"))
            .order_by("-n", self.company_path)[: self.shown]
        )
        choices = [(row[self.company_path], row[self.company_path]) for row in top]
        chosen = self.value()
        if chosen and chosen not in dict(choices):
            choices.append((chosen, chosen))
        return choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.company_path: self.value()})
        return queryset


class AddedFilter(admin.DateFieldListFilter):
    """When the application was added: today, the past 7 days, this month, this year. Its
    links are fixed ranges from today, so drawing them asks the database nothing."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = "added"


class CandidateFilter(admin.SimpleListFilter):
    """Set by the links on a candidate's page; lists only the chosen candidate."""

    title = "candidate"
    parameter_name = "candidate"
    candidate_path = "owner"

    def lookups(self, request, model_admin):
        value = self.value()
        if not value:
            return []
        membership = (
            scoping.memberships_for(request.user)
            .filter(candidate_id=parse_id(value))
            .select_related("candidate")
            .first()
        )
        return [(value, membership.candidate.get_full_name())] if membership else []

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(**{f"{self.candidate_path}_id": parse_id(value)})


def candidate_filter(candidate_path: str):
    return type("CandidateFilter", (CandidateFilter,), {"candidate_path": candidate_path})


def days_since(moment) -> int | None:
    return None if moment is None else (timezone.now() - moment).days
