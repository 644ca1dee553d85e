"""Reads of the pipeline that need care: scoped to the owner, a fixed number of queries."""

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from applications.models import Application, FollowUp
from applications.stages import ACTIVE_STAGES, STAGE_ORDER, Stage

SORTS = {
    "updated": ("-updated_at", "-id"),
    "company": ("company", "job_title", "id"),
    "priority": ("-priority", "-updated_at", "-id"),
}


def with_next_due(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Annotates each application with the next thing its owner owes (kind and due time; a
    snoozed answer is due when its snooze ends, as on the follow-ups page)."""
    owed = (
        FollowUp.objects.owed()
        .filter(application=OuterRef("pk"))
        .with_effective_due()
        .order_by("effective_due_at", "id")
    )
    return queryset.annotate(
        next_due_at=Subquery(owed.values("effective_due_at")[:1]),
        next_due_kind=Subquery(owed.values("kind")[:1]),
    )


def application_list(
    *,
    user,
    search: str = "",
    stages: list[str] | None = None,
    tag: str = "",
    workplace_type: str = "",
    priority: int | None = None,
    status: str = "active",
    sort: str = "updated",
) -> QuerySet[Application]:
    applications = Application.objects.for_user(user)
    if status == "active":
        applications = applications.active()
    elif status == "ended":
        applications = applications.ended()
    elif status == "archived":
        applications = applications.filter(archived_at__isnull=False)
    if search:
        applications = applications.filter(
            Q(company__icontains=search)
            | Q(job_title__icontains=search)
            | Q(notes__icontains=search)
        )
    if stages:
        applications = applications.filter(stage__in=stages)
    if tag:
        applications = applications.filter(tags__name=tag)
    if workplace_type:
        applications = applications.filter(workplace_type=workplace_type)
    if priority:
        applications = applications.filter(priority=priority)
    if sort == "stage":
        # Pipeline order, not alphabetical: saved, applied, screening… then the ends.
        position = Case(
            *(When(stage=stage, then=Value(n)) for stage, n in STAGE_ORDER.items()),
            output_field=IntegerField(),
        )
        applications = applications.alias(stage_position=position).order_by(
            "stage_position", "-updated_at", "-id"
        )
    else:
        applications = applications.order_by(*SORTS.get(sort, SORTS["updated"]))
    return with_next_due(applications).prefetch_related("tags")


def board_columns(*, user) -> list[tuple[Stage, list[Application]]]:
    """The kanban board: one column per active stage, highest priority first."""
    cards = with_next_due(
        Application.objects.for_user(user).active().order_by("-priority", "-updated_at", "-id")
    )
    columns: dict[str, list[Application]] = {stage: [] for stage in ACTIVE_STAGES}
    for card in cards:
        columns[card.stage].append(card)
    return [(stage, columns[stage]) for stage in ACTIVE_STAGES]


def company_history(*, user, company: str, exclude_pk: int | None = None) -> QuerySet[Application]:
    """The user's earlier applications to the same company, newest first."""
    return (
        Application.objects.for_user(user)
        .filter(company__iexact=company.strip())
        .exclude(pk=exclude_pk)
        .only("job_title", "company", "stage", "stage_changed_at", "end_reason", "created_at")
        .order_by("-created_at")
    )


def duplicates_of(*, user, company: str, job_title: str, exclude_pk: int | None = None):
    return company_history(user=user, company=company, exclude_pk=exclude_pk).filter(
        job_title__iexact=job_title.strip()
    )
