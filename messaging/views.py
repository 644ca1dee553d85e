"""Writing a message on an application, sending or logging it, and the close-out page."""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import selectors
from applications.stages import Stage
from messaging import close_out as closing
from messaging import courtesy, services
from messaging.catalogue import Kind, kinds_in_order
from messaging.compose import Choices
from messaging.forms import ChoicesForm, CloseOutFormSet, DraftForm, UserTemplateForm
from messaging.models import Channel, UserTemplate


def _application(request, pk: int):
    return services.load_for_messages(selectors.owned_application(request.user, pk))


def _choices_form(request, application, invitation_pending: bool, data=None, kind=None):
    """The “what to say” form. A link may name just a kind (“Not interested”): the other
    choices then keep their defaults instead of reading as unticked."""
    fitting, _ = kinds_in_order(application.stage, invitation_pending)
    initial = {
        "kind": kind or (fitting or [Kind.FOLLOW_UP])[0],
        "tone": "formal",
        "keep_door_open": True,
    }
    return ChoicesForm(
        data,
        stage=application.stage,
        user=request.user,
        invitation_pending=invitation_pending,
        initial=initial,
    )


@require_GET
def compose(request, pk: int):
    application = _application(request, pk)
    invited_at = services.pending_invitation_at(application)
    asked_kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    filled = request.GET if "filled" in request.GET else None
    form = _choices_form(request, application, bool(invited_at), filled, asked_kind)
    if filled is not None and form.is_valid():
        choices, template = form.choices(), form.cleaned_data["template"]
    else:
        choices, template = Choices(kind=form.initial["kind"]), None
    draft = services.draft_for(application, choices, template)
    contact = services.main_contact(application)
    draft_form = DraftForm(
        initial={
            "kind": choices.kind,
            "tone": choices.tone,
            "reason": choices.reason,
            "subject": draft.subject,
            "body": draft.body,
            "to_email": contact.email if contact else "",
            "draft_id": uuid.uuid4(),
            "call_script": "\n".join(draft.call_script),
        }
    )
    return _compose_page(request, application, form, draft_form, draft.voicemail, invited_at)


def _compose_page(
    request, application, choices_form, draft_form, voicemail, invited_at, status=200
):
    kind = draft_form["kind"].value()
    if kind not in Kind.values:  # a tampered form: its draft is shown back as a follow-up
        kind = Kind.FOLLOW_UP
    subject = draft_form["subject"].value() or ""
    body = draft_form["body"].value() or ""
    context = {
        "application": application,
        "choices_form": choices_form,
        "draft_form": draft_form,
        "kind": Kind(kind),
        "call_script": (draft_form["call_script"].value() or "").splitlines(),
        "voicemail": voicemail,
        "findings": courtesy.check(
            subject, body, services.courtesy_context(application, kind, invited_at)
        ),
    }
    return render(request, "messaging/compose.html", context, status=status)


@require_POST
def check(request, pk: int):
    """The live courtesy check (htmx): findings for the message as it is being edited."""
    application = _application(request, pk)
    kind = request.POST.get("kind")
    if kind not in Kind.values:
        raise Http404("No such kind of message.")
    context = services.courtesy_context(
        application, kind, services.pending_invitation_at(application)
    )
    findings = courtesy.check(
        request.POST.get("subject", ""), request.POST.get("body", ""), context
    )
    return render(request, "messaging/_findings.html", {"findings": findings})


@require_POST
def send(request, pk: int):
    """Sends, opens in the mail app, copies or logs a call: each is logged on the timeline
    and moves the application where it belongs."""
    application = _application(request, pk)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _draft_kept(request, application, form)
    data = form.cleaned_data
    fields = {
        "application": application,
        "kind": data["kind"],
        "subject": data["subject"],
        "body": data["body"],
        "to_email": data["to_email"],
        "tone": data["tone"],
        "reason": data["reason"],
        "draft_id": data["draft_id"],
    }
    if form.channel == Channel.EMAIL:
        if not request.user.display_name.strip():
            # It would go out as “ via Bridges”, unsigned: ask for the name first.
            form.add_error(
                None,
                "Add your name to your profile before Bridges sends this: the email goes out "
                "under your name and is signed with it. Your draft is kept here.",
            )
            return _draft_kept(request, application, form)
        # Bridges sends on the user's behalf to any address they type: keep it to human pace.
        if not services.sending_allowed(request.user):
            form.add_error(
                None,
                "You have sent a lot of messages in a short time. Wait a little, "
                "or copy this one into your own mail app.",
            )
            return _draft_kept(request, application, form)
        # Recorded now and sent just after: the timeline shows it going, then gone (or why not).
        logged = services.message_send(**fields)
    else:
        if form.channel == Channel.CALL:
            fields |= {"subject": "", "body": data["call_script"] or data["body"]}
        logged = services.message_log(channel=form.channel, **fields)
    if not logged.duplicate:
        messages.success(request, _logged_sentence(logged))
    if form.channel == Channel.MAIL_APP:
        return redirect("messaging:mail_app", pk=application.pk, message_pk=logged.message.pk)
    if logged.moved_to == Stage.ACCEPTED:
        return redirect("messaging:close_out", pk=application.pk)
    return redirect("applications:detail", pk=application.pk)


def _draft_kept(request, application, form):
    """The compose page again, with the draft and the choices exactly as the user left them."""
    kind = form.data.get("kind") if form.data.get("kind") in Kind.values else Kind.FOLLOW_UP
    invited_at = services.pending_invitation_at(application)
    choices_form = _choices_form(request, application, bool(invited_at), kind=kind)
    choices_form.initial |= {"tone": form.data.get("tone"), "reason": form.data.get("reason")}
    draft = services.draft_for(application, Choices(kind=kind))
    return _compose_page(
        request, application, choices_form, form, draft.voicemail, invited_at, status=400
    )


def _logged_sentence(logged: services.Logged) -> str:
    done = {
        Channel.EMAIL: (
            f"Sending to {logged.message.to_email} (you will get a copy). The timeline shows "
            "when it has gone."
        ),
        Channel.MAIL_APP: "Logged on the timeline.",
        Channel.COPIED: "Copied and logged. Paste it into your email and send it.",
        Channel.CALL: "Call logged.",
    }[logged.message.channel]
    if logged.moved_to:
        done += f" The application is now {Stage(logged.moved_to).label.lower()}."
    return done


@require_GET
def mail_app(request, pk: int, message_pk: int):
    """After a message was logged for the mail app: the link that opens it there. A page of
    its own (not the POST's answer), so reloading it logs nothing twice."""
    application = selectors.owned_application(request.user, pk)
    message = get_object_or_404(application.messages, pk=message_pk, channel=Channel.MAIL_APP)
    context = {"application": application, "mailto": message.mailto_url()}
    return render(request, "messaging/mail_app.html", context)


@require_POST
def retry(request, pk: int, message_pk: int):
    """Sends again a message whose delivery failed (the button on its timeline entry)."""
    application = selectors.owned_application(request.user, pk)
    message = get_object_or_404(application.messages, pk=message_pk, channel=Channel.EMAIL)
    try:
        services.message_retry(message)
    except services.RetryNotAllowed:
        messages.info(request, "That message is already sent, or being sent.")
    else:
        messages.success(request, f"Sending to {message.to_email} again.")
    return redirect("applications:detail", pk=application.pk)


# --- Close-out: after accepting an offer, step out of every other process --------------------


@require_http_methods(["GET", "POST"])
def close_out(request, pk: int):
    accepted = selectors.owned_application(request.user, pk)
    if accepted.stage != Stage.ACCEPTED:
        raise Http404("Close-out follows an accepted offer.")
    others = closing.others_under_way(accepted)
    if request.method == "GET":
        initial = [closing.drafted(other) for other in others.values()]
        formset = CloseOutFormSet(initial=initial, accepted=accepted, others=others)
        return _close_out_page(request, accepted, formset, others)
    formset = CloseOutFormSet(request.POST, accepted=accepted, others=others)
    if not formset.is_valid():
        return _close_out_page(request, accepted, formset, others, status=400)
    try:
        done = closing.close_out(accepted=accepted, rows=formset.rows(), sending=formset.sending)
    except closing.CloseOutRefused as refusal:
        # Changed between the check and the work (in another tab, say): nothing was written,
        # and the page comes back as the user left it.
        messages.error(request, str(refusal))
        others = closing.others_under_way(accepted)
        return _close_out_page(request, accepted, formset, others, status=409)
    messages.success(request, _closed_out_sentence(done))
    return redirect("applications:detail", pk=accepted.pk)


def _close_out_page(request, accepted, formset, others, status=200):
    rows = [(form, others.get(_as_int(form["application"].value()))) for form in formset.forms]
    context = {"accepted": accepted, "formset": formset, "rows": rows}
    return render(request, "messaging/close_out.html", context, status=status)


def _as_int(value) -> int | None:
    return int(value) if str(value).isdigit() else None


def _closed_out_sentence(done: closing.ClosedOut) -> str:
    count = done.messages
    summary = f"{count} message{'s' if count != 1 else ''} " + (
        "being sent: each application's timeline shows when its message has gone"
        if done.sending
        else "logged"
    )
    closed = done.wishlist_closed
    return summary + (f"; {closed} saved application(s) closed." if closed else ".")


# --- The user's own templates -------------------------------------------------------------


def _get_template_for_user(request, template_pk: int) -> UserTemplate:
    return get_object_or_404(UserTemplate.objects.for_user(request.user), pk=template_pk)


@require_GET
def template_list(request):
    templates = UserTemplate.objects.for_user(request.user)
    return render(request, "messaging/templates/list.html", {"templates": templates})


@require_http_methods(["GET", "POST"])
def template_create(request):
    form = UserTemplateForm(request.POST or None, instance=UserTemplate(owner=request.user))
    if form.is_valid():
        form.save()
        messages.success(request, "Template saved.")
        return redirect("messaging:templates")
    return render(request, "messaging/templates/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def template_edit(request, template_pk: int):
    template = _get_template_for_user(request, template_pk)
    form = UserTemplateForm(request.POST or None, instance=template)
    if form.is_valid():
        form.save()
        messages.success(request, "Template saved.")
        return redirect("messaging:templates")
    return render(request, "messaging/templates/form.html", {"form": form, "template": template})


@require_http_methods(["GET", "POST"])
def template_delete(request, template_pk: int):
    template = _get_template_for_user(request, template_pk)
    if request.method == "POST":
        template.delete()
        messages.success(request, f"Deleted “{template}”.")
        return redirect("messaging:templates")
    return render(request, "messaging/templates/confirm_delete.html", {"template": template})
