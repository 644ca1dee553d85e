"""What happens to an application: stage moves, invitations, interviews, offers, notes."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from applications import followups, selectors, services
from applications.editing import EditConflict
from applications.forms import InterviewForm, InvitationForm, MoveForm, NoteForm, OfferForm
from applications.models import FollowUp, Interview, Offer
from applications.stages import MoveNotAllowed, Stage
from applications.views.common import saved_message
from applications.views.pages import application_url, board_moved
from config.views_common import is_htmx, safe_next, wants_json


@require_http_methods(["GET", "POST"])
def application_move(request, pk: int):
    """Moves an application. The board's drag and drop posts here through htmx; its
    “Move to…” menu and the detail page post here as plain forms."""
    if request.method == "GET":
        application = selectors.owned_application(request.user, pk)
        form = MoveForm(application=application, initial={"stage": request.GET.get("stage")})
        seen = request.GET.get("from")
        if seen and seen != application.stage:
            # Chosen on a stale board: this page shows, and moves from, where it is now.
            messages.warning(
                request, f"It moved meanwhile: it is at {application.get_stage_display()} now."
            )
        return _move_page(request, application, form)
    try:
        # A refusal leaves the transaction, so nothing of the move is kept.
        with transaction.atomic():
            # Read once, locked: two quick moves (a double drop) apply one after the other,
            # each checked against the stage the other left.
            application = selectors.owned_application(request.user, pk, lock=True)
            form = MoveForm(request.POST, application=application)
            if form.is_valid():
                services.application_move(
                    application=application,
                    target=form.cleaned_data["stage"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    from_stage=form.cleaned_data["from"],
                    locked=True,
                )
    except MoveNotAllowed as refusal:
        form.add_error(None, str(refusal))
    if form.is_valid():
        if is_htmx(request):
            return HttpResponse(board_moved(request, application))
        if wants_json(request):
            return JsonResponse({"stage": application.stage})
        messages.success(request, f"“{application}” is now at {application.get_stage_display()}.")
        if application.stage == Stage.ACCEPTED:
            return redirect("messaging:close_out", pk=application.pk)
        return redirect(safe_next(request, application_url(application)))
    errors = " ".join(error for errors in form.errors.values() for error in errors)
    if is_htmx(request):
        return HttpResponse(errors, status=409, content_type="text/plain; charset=utf-8")
    if wants_json(request):
        return JsonResponse({"error": errors, "stage": application.stage}, status=409)
    return _move_page(request, application, form)


def _move_page(request, application, form):
    context = {"application": application, "form": form, "next": safe_next(request, "")}
    return render(request, "applications/move.html", context)


def _refuse_if_ended(request, application):
    if application.is_active:
        return None
    messages.error(request, "The application has ended; reopen it first.")
    return redirect(application_url(application))


@require_http_methods(["GET", "POST"])
def invitation_received(request, pk: int):
    application = selectors.owned_application(request.user, pk)
    if refusal := _refuse_if_ended(request, application):
        return refusal
    form = InvitationForm(request.POST or None)
    if form.is_valid():
        services.application_record_invitation(application=application, **form.cleaned_data)
        messages.success(request, _invitation_recorded(application))
        return redirect(application_url(application))
    return _form_page(request, application, form, "Invitation received", "Record invitation")


def _invitation_recorded(application) -> str:
    """Says when the answer is owed, as the follow-up has it: by the end of today, or of the
    next working day when the invitation came in the evening or at a weekend."""
    due = followups.answer_due(application, FollowUp.Kind.ANSWER_INVITATION)
    if due is None:
        return "Invitation recorded."
    local = timezone.localtime(due)
    if local.date() == timezone.localdate():
        when = f"today, by {local:%H:%M}"
    else:
        when = f"by {local:%A %d %b, %H:%M}"
    return f"Invitation recorded. Answer it {when}, even if the answer is no."


@require_http_methods(["GET", "POST"])
def interview_create(request, pk: int):
    application = selectors.owned_application(request.user, pk)
    if refusal := _refuse_if_ended(request, application):
        return refusal
    state = request.GET.get("state")
    form = InterviewForm(
        request.POST or None,
        user=request.user,
        instance=Interview(application=application),
        initial={
            "round": application.interviews.count() + 1,
            "state": state if state in Interview.State.values else Interview.State.SCHEDULED,
        },
    )
    if form.is_valid():
        interview = services.interview_schedule(
            interview=form.save(commit=False), interviewers=form.cleaned_data["interviewers"]
        )
        held = interview.state == Interview.State.HELD
        messages.success(
            request,
            "Interview recorded as held. A thank-you within a day is a good idea."
            if held
            else "Interview scheduled.",
        )
        return redirect(application_url(application))
    title = "Record an interview" if state == Interview.State.HELD else "Schedule an interview"
    return _form_page(request, application, form, title, "Save")


@require_http_methods(["GET", "POST"])
def interview_edit(request, pk: int, interview_pk: int):
    application = selectors.owned_application(request.user, pk)
    interview = get_object_or_404(application.interviews, pk=interview_pk)
    if refusal := _refuse_if_ended(request, application):
        return refusal
    form = InterviewForm(request.POST or None, user=request.user, instance=interview)
    conflict = None
    if form.is_valid():
        edit = form.edit()
        try:
            services.interview_update(interview=interview, edit=edit)
        except EditConflict as clash:
            conflict = clash
            form.show_conflict(conflict, get_object_or_404(application.interviews, pk=interview_pk))
        else:
            saved_message(request, form, edit, "Interview updated.")
            return redirect(application_url(application))
    title = f"Round {interview.round}"
    return _form_page(request, application, form, title, "Save changes", conflict)


@require_POST
def interview_held(request, pk: int, interview_pk: int):
    return _interview_action(request, pk, interview_pk, services.interview_mark_held, "held")


@require_POST
def interview_cancel(request, pk: int, interview_pk: int):
    return _interview_action(request, pk, interview_pk, services.interview_cancel, "cancelled")


def _interview_action(request, pk, interview_pk, action, done: str):
    application = selectors.owned_application(request.user, pk)
    interview = get_object_or_404(application.interviews, pk=interview_pk)
    try:
        action(interview=interview)
    except MoveNotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Interview round {interview.round} marked {done}.")
    return redirect(application_url(application))


@require_http_methods(["GET", "POST"])
def offer_record(request, pk: int):
    application = selectors.owned_application(request.user, pk)
    if refusal := _refuse_if_ended(request, application):
        return refusal
    offer = getattr(application, "offer", None) or Offer(
        application=application, currency=application.salary_currency or request.user.currency
    )
    form = OfferForm(request.POST or None, instance=offer)
    conflict = None
    if form.is_valid():
        edit = form.edit()
        try:
            services.offer_record(offer=form.save(commit=False), edit=edit)
        except EditConflict as clash:
            conflict = clash
            form.show_conflict(conflict, Offer.objects.get(application=application))
        else:
            saved_message(
                request,
                form,
                edit,
                "Offer recorded. Take your time, then answer before the deadline.",
            )
            return redirect(application_url(application))
    return _form_page(request, application, form, "Record the offer", "Save offer", conflict)


@require_POST
def note_add(request, pk: int):
    application = selectors.owned_application(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.application_add_note(application=application, text=form.cleaned_data["text"])
        messages.success(request, "Note added to the timeline.")
        return redirect(application_url(application))
    # Shown again with the text as typed, so nothing is lost.
    return _form_page(request, application, form, "Add a note", "Add note")


def _form_page(request, application, form, title: str, submit: str, conflict=None):
    context = {
        "application": application,
        "form": form,
        "title": title,
        "submit": submit,
        "conflict": conflict,
    }
    return render(request, "applications/form_page.html", context)
