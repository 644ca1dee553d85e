"""The application pages: list, board, detail, create, edit, archive, delete."""

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import followups, selectors, services
from applications.editing import EditConflict
from applications.forms import ApplicationFilterForm, ApplicationForm, NoteForm
from applications.models import Application
from applications.stages import ACTIVE_STAGES, END_STAGES, allowed_targets
from applications.views.common import create_application, saved_message
from config.views_common import fragment, read_page, read_together

TIMELINE_PAGE = 50


@require_GET
def application_list(request):
    # Only the parameters the list reads: junk ones never reach the pagination links.
    known = QueryDict(mutable=True)
    for name in (*ApplicationFilterForm.base_fields, "page"):
        if values := request.GET.getlist(name):
            known.setlist(name, values)
    filter_form = ApplicationFilterForm(known)
    ((page, tags),) = read_page(
        request, selectors.list_page(request.user, filter_form.filters(), known.get("page"))
    )
    query = known.copy()
    query.pop("page", None)
    context = {
        "filter_form": filter_form,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(known),
        "tags": tags,
        # Every row's link is this prefix and its id, as on the board.
        "applications_url": reverse("applications:list"),
    }
    return render(request, "pages/list.html", context, using="jinja2")


@require_GET
def board(request):
    """Each active stage's cards, the stages a card in that column may move to, and the one
    "Move to…" menu (an ending asks why on the move page, so it goes there)."""
    (columns,) = read_page(request, selectors.board_columns(user=request.user))
    context = {
        "columns": [(stage, cards, allowed_targets(stage)) for stage, cards in columns],
        "targets": [(stage, stage in END_STAGES) for stage in (*ACTIVE_STAGES, *END_STAGES)],
        # Every card's links are this prefix and its id: one reverse() per board, not per card.
        "applications_url": reverse("applications:list"),
    }
    return render(request, "pages/board.html", context, using="jinja2")


def board_moved(request, application: Application) -> SafeString:
    """What the board's htmx move gets back: the moved card redrawn, and (out of band) every
    column's count and the overdue badges."""
    (counts, overdue), moved = read_together(
        selectors.board_counts(user=request.user), selectors.board_card(application)
    )
    context = {
        "moved": moved,
        "counts": counts,
        "applications_url": reverse("applications:list"),
        "overdue_count": overdue,
    }
    return fragment(request, "applications/cards.html", context)


@require_GET
def application_detail(request, pk: int):
    show_all = request.GET.get("events") == "all"
    user = request.user
    # All read in one round trip to the database, the navigation's badges with them; a
    # missing application's 404 comes first.
    application, events, history, (overdue, upcoming), (tags, contacts), interviews = read_page(
        request,
        selectors.application_page(user, pk),
        selectors.timeline(user, pk, None if show_all else TIMELINE_PAGE),
        selectors.earlier_applications(user, pk),
        followups.owed_read(user, application_id=pk),
        selectors.tags_and_contacts(user, pk),
        selectors.interviews(user, pk),
    )
    context = {
        "application": application,
        "owed_overdue": overdue,
        "owed_upcoming": upcoming,
        "snoozes": followups.SNOOZE_CHOICES,
        "here": request.get_full_path(),
        "events": events,
        "stages": selectors.STAGE_LABELS,
        "event_count": application.event_count,
        "hidden_events": max(0, application.event_count - len(events)),
        "tags": tags,
        "contacts": contacts,
        "interviews": interviews,
        "offer": getattr(application, "offer", None),
        "history": history(application.company),
        # The note form is drawn by the page itself; the move menu offers these stages.
        "note_field": NoteForm.base_fields["text"],
        "move_targets": allowed_targets(application.stage),
    }
    content = fragment(request, "applications/detail.html", context)
    return render(request, "pages/detail.html", {**context, "content": content}, using="jinja2")


@require_http_methods(["GET", "POST"])
def application_create(request):
    form = ApplicationForm(request.POST or None, user=request.user)
    if form.is_valid():
        application = create_application(request, form)
        messages.success(request, f"Added “{application}”.")
        return redirect(application_url(application))
    return render(request, "applications/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int):
    application = selectors.owned_application(request.user, pk)
    form = ApplicationForm(request.POST or None, instance=application, user=request.user)
    conflict = None
    if form.is_valid():
        edit = form.edit()
        try:
            services.application_update(application=application, edit=edit)
        except EditConflict as clash:
            conflict = clash
            form.show_conflict(conflict, selectors.owned_application(request.user, pk))
        else:
            saved_message(request, form, edit)
            return redirect(application_url(application))
    context = {"form": form, "application": application, "conflict": conflict}
    return render(request, "applications/form.html", context)


@require_POST
def application_archive(request, pk: int):
    application = selectors.owned_application(request.user, pk)
    archive = application.archived_at is None
    services.application_set_archived(application=application, archived=archive)
    messages.success(
        request, "Archived: it no longer shows on the board." if archive else "Restored."
    )
    return redirect(application_url(application))


@require_http_methods(["GET", "POST"])
def application_delete(request, pk: int):
    application = selectors.owned_application(request.user, pk)
    if request.method == "POST":
        services.application_delete(application=application)
        messages.success(request, f"Deleted “{application}” and its timeline.")
        return redirect("applications:list")
    return render(request, "applications/confirm_delete.html", {"application": application})


@require_GET
def company_history(request):
    """The htmx panel under the company field: what happened with this company before."""
    # A NUL byte cannot be searched for (PostgreSQL refuses it in text): it is dropped.
    company = request.GET.get("company", "").replace("\x00", "").strip()
    exclude = request.GET.get("exclude")
    history = (
        selectors.company_history(
            user=request.user,
            company=company,
            exclude_pk=int(exclude) if exclude and exclude.isdigit() else None,
        )
        if company
        else Application.objects.none()
    )
    return HttpResponse(
        fragment(request, "applications/company_history.html", {"history": history[:10]})
    )


def application_url(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])
