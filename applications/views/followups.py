"""What the user owes employers: overdue first, then what is coming."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from applications import followups
from applications.models import FollowUp
from config.views_common import fragment, local_next, read_page


def _get_followup_for_user(request, followup_pk: int) -> FollowUp:
    return get_object_or_404(FollowUp.objects.for_user(request.user), pk=followup_pk)


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


@require_POST
def followup_snooze(request, followup_pk: int):
    followup = _get_followup_for_user(request, followup_pk)
    period = request.POST.get("period")
    if period not in followups.SNOOZES or not followup.is_pending:
        messages.error(request, "That snooze is not possible.")
    else:
        followup = followups.followup_snooze(followup=followup, period=period)
        until = timezone.localtime(followup.snoozed_until)
        messages.success(request, f"Snoozed until {until:%a %d %b, %H:%M}.")
    return _back(request)


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
