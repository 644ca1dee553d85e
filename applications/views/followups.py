"""What the user owes employers: overdue first, then what is coming."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import followups
from applications.forms import SnoozeForm
from applications.models import FollowUp
from config import formats
from config.views_common import fragment, local_next, read_page


def _get_followup_for_user(request, followup_pk: int) -> FollowUp:
    owned = FollowUp.objects.for_user(request.user).select_related("application")
    return get_object_or_404(owned, pk=followup_pk)


@require_GET
def followup_list(request):
    ((overdue, upcoming),) = read_page(request, followups.owed_read(request.user))
    context = {
        "overdue": overdue,
        "upcoming": upcoming,
        "snoozes": followups.SNOOZE_CHOICES,
    }
    content = fragment(request, "applications/followups.html", context)
    return render(request, "pages/followups.html", {**context, "content": content}, using="jinja2")


def _back(request):
    """Back where the action was taken (the application's page, say), or the follow-ups."""
    return redirect(local_next(request, reverse("applications:followups")))


@require_http_methods(["GET", "POST"])
def followup_snooze(request, followup_pk: int):
    """Snoozes a follow-up for the period posted: the pages' snooze menu posts here. Without
    JavaScript its "Snooze…" link opens this page (GET), which offers the same periods."""
    followup = _get_followup_for_user(request, followup_pk)
    if not followup.is_pending:
        messages.error(request, f"“{followup}” is no longer owed: there is nothing to snooze.")
        return _back(request)
    if request.method == "GET":
        return _snooze_page(request, followup)
    form = SnoozeForm(request.POST, followup=followup)
    if not form.is_valid():
        messages.error(request, "That snooze is not possible.")
    else:
        followup = followups.followup_snooze(followup=followup, period=form.cleaned_data["period"])
        until = timezone.localtime(followup.snoozed_until)
        messages.success(request, f"Snoozed until {formats.short_when(until)}.")
    return _back(request)


def _snooze_page(request, followup: FollowUp):
    """The page the "Snooze…" link opens without JavaScript (applications/form_page.html)."""
    now = timezone.now()
    due = followup.effective_due
    when = f"{formats.short_when(timezone.localtime(due))} ({followups.due_in_words(due, now)})"
    context = {
        "application": followup.application,
        "title": f"Snooze: {followup.get_kind_display()}",
        "lead": f"{'Was due' if due <= now else 'Due'} {when}. Snoozed, it waits under "
        "“Coming up” and reminds you again when the snooze ends.",
        "form": SnoozeForm(followup=followup, now=now),
        "submit": "Snooze",
        "action": reverse("applications:followup_snooze", args=[followup.pk]),
        "next": local_next(request, ""),
        "back": local_next(request, reverse("applications:followups")),
    }
    return render(request, "applications/form_page.html", context)


@require_POST
def followup_dismiss(request, followup_pk: int):
    followups.followup_dismiss(followup=_get_followup_for_user(request, followup_pk))
    messages.success(request, "Dismissed. It will not remind you again.")
    return _back(request)


@require_POST
def followup_done(request, followup_pk: int):
    followups.followup_done(followup=_get_followup_for_user(request, followup_pk))
    messages.success(request, "Marked done.")
    return _back(request)
