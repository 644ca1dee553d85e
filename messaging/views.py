"""Writing a message on an application, sending or logging it, and the close-out page."""

from urllib.parse import quote

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import EndReason
from applications.stages import Stage
from applications.views.common import get_application_for_user
from messaging import courtesy, services
from messaging.catalogue import Kind, kinds_in_order
from messaging.compose import Choices
from messaging.forms import ChoicesForm, CloseOutFormSet, DraftForm, UserTemplateForm
from messaging.models import Channel, UserTemplate


def _default_kind(application) -> str:
    fitting, _ = kinds_in_order(application.stage)
    return (fitting or [Kind.FOLLOW_UP])[0]


@require_GET
def compose(request, pk: int):
    application = get_application_for_user(request, pk)
    data = request.GET.copy() if "kind" in request.GET else None
    choices_form = ChoicesForm(
        data,
        stage=application.stage,
        user=request.user,
        initial={"kind": _default_kind(application), "tone": "formal", "keep_door_open": True},
    )
    if data is not None and choices_form.is_valid():
        choices, template = choices_form.choices(), choices_form.cleaned_data["template"]
    else:
        choices, template = Choices(kind=_default_kind(application)), None
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
        }
    )
    return _compose_page(request, application, choices_form, draft_form, choices.kind, draft)


def _compose_page(request, application, choices_form, draft_form, kind, draft, status=200):
    subject = draft_form["subject"].value() or ""
    body = draft_form["body"].value() or ""
    context = {
        "application": application,
        "choices_form": choices_form,
        "draft_form": draft_form,
        "kind": Kind(kind),
        "call_script": draft.call_script,
        "voicemail": draft.voicemail,
        "findings": courtesy.check(subject, body, services.courtesy_context(application, kind)),
    }
    return render(request, "messaging/compose.html", context, status=status)


@require_POST
def check(request, pk: int):
    """The live courtesy check (htmx): findings for the message as it is being edited."""
    application = get_application_for_user(request, pk)
    kind = request.POST.get("kind")
    if kind not in Kind.values:
        kind = _default_kind(application)
    findings = courtesy.check(
        request.POST.get("subject", ""),
        request.POST.get("body", ""),
        services.courtesy_context(application, kind),
    )
    return render(request, "messaging/_findings.html", {"findings": findings})


@require_POST
def send(request, pk: int):
    """Sends, opens in the mail app, copies or logs a call: each is logged on the timeline
    and moves the application where it belongs."""
    application = get_application_for_user(request, pk)
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
    }
    if form.channel == Channel.EMAIL:
        try:
            logged = services.message_send(**fields)
        except services.MessageNotSent as failure:
            form.add_error(None, str(failure))
            return _draft_kept(request, application, form)
    else:
        if form.channel == Channel.CALL:
            fields["body"] = "\n".join(services.draft_for(application, _choices(data)).call_script)
            fields["subject"] = ""
        logged = services.message_log(channel=form.channel, **fields)
    messages.success(request, _logged_sentence(logged))
    if form.channel == Channel.MAIL_APP:
        return render(
            request,
            "messaging/mail_app.html",
            {"application": application, "mailto": _mailto(data)},
        )
    if logged.moved_to == Stage.ACCEPTED:
        return redirect("messaging:close_out", pk=application.pk)
    return redirect("applications:detail", pk=application.pk)


def _choices(data) -> Choices:
    return Choices(kind=data["kind"], tone=data["tone"], reason=data["reason"])


def _draft_kept(request, application, form):
    """The compose page again with the draft exactly as the user left it."""
    kind = (
        form.data.get("kind")
        if form.data.get("kind") in Kind.values
        else _default_kind(application)
    )
    choices_form = ChoicesForm(
        stage=application.stage, user=request.user, initial={"kind": kind, "tone": "formal"}
    )
    draft = services.draft_for(application, Choices(kind=kind))
    return _compose_page(request, application, choices_form, form, kind, draft, status=400)


def _logged_sentence(logged: services.Logged) -> str:
    done = {
        Channel.EMAIL: f"Sent to {logged.message.to_email} (you have a copy).",
        Channel.MAIL_APP: "Logged. Your mail app should open with the message ready.",
        Channel.COPIED: "Copied and logged. Paste it into your email and send it.",
        Channel.CALL: "Call logged.",
    }[logged.message.channel]
    if logged.moved_to:
        done += f" The application is now {Stage(logged.moved_to).label.lower()}."
    return done


def _mailto(data) -> str:
    return (
        f"mailto:{quote(data['to_email'])}?subject={quote(data['subject'])}"
        f"&body={quote(data['body'])}"
    )


@require_http_methods(["GET", "POST"])
def close_out(request, pk: int):
    """After accepting an offer: step out of every other process at once, courteously."""
    accepted = get_application_for_user(request, pk)
    others = list(services.other_active_applications(accepted))
    by_id = {other.pk: other for other in others}
    if request.method == "POST":
        formset = CloseOutFormSet(request.POST)
        if formset.is_valid():
            rows = [row for row in formset.cleaned_data if row["include"]]
            missing = [by_id[r["application"]] for r in rows if r["application"] not in by_id]
            sending = request.POST.get("action") == "send"
            no_address = [by_id[r["application"]] for r in rows if sending and not r["to_email"]]
            if missing or no_address:
                formset._non_form_errors = formset.error_class(
                    [f"No email address for {a}: add one or untick it." for a in no_address]
                    or ["Some of those applications are no longer under way; reload the page."]
                )
            else:
                return _close_out_all(request, accepted, rows, by_id, sending)
    else:
        formset = CloseOutFormSet(initial=[_close_out_row(other) for other in others])
    rows = [(form, by_id.get(_as_int(form["application"].value()))) for form in formset.forms]
    context = {"accepted": accepted, "formset": formset, "rows": rows}
    return render(request, "messaging/close_out.html", context)


def _as_int(value) -> int | None:
    return int(value) if str(value).isdigit() else None


def _close_out_row(application) -> dict:
    choices = Choices(
        kind=services.close_out_kind(application), reason=EndReason.OTHER_OFFER, keep_door_open=True
    )
    draft = services.draft_for(application, choices)
    contact = services.main_contact(application)
    return {
        "application": application.pk,
        "include": True,
        "to_email": contact.email if contact else "",
        "subject": draft.subject,
        "body": draft.body,
    }


def _close_out_all(request, accepted, rows, by_id, sending: bool):
    done, failed = 0, []
    for row in rows:
        application = by_id[row["application"]]
        fields = {
            "application": application,
            "kind": services.close_out_kind(application),
            "subject": row["subject"],
            "body": row["body"],
            "to_email": row["to_email"],
            "reason": EndReason.OTHER_OFFER,
        }
        try:
            if sending:
                services.message_send(**fields)
            else:
                services.message_log(channel=Channel.COPIED, **fields)
            done += 1
        except services.MessageNotSent:
            failed.append(str(application))
    closed = services.close_out_wishlist(accepted)
    messages.success(
        request,
        f"{done} message{'s' if done != 1 else ''} {'sent' if sending else 'logged'}"
        f"{f', {closed} saved application(s) closed' if closed else ''}.",
    )
    if failed:
        messages.error(request, "Not sent (the mail server refused): " + "; ".join(failed))
    return redirect("applications:detail", pk=accepted.pk)


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
