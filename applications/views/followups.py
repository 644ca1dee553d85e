"""What the user owes employers: overdue first, then what is coming."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from applications import followups
from applications.models import FollowUp
from applications.views.common import fragment


def _get_followup_for_user(request, followup_pk: int) -> FollowUp:
    return get_object_or_404(FollowUp.objects.for_user(request.user), pk=followup_pk)


@require_GET
def followup_list(request):
    now = timezone.now()
    pending = list(
        FollowUp.objects.for_user(request.user)
        .pending()
        .select_related("application", "interview")
        .order_by("due_at", "id")
    )
    for followup in pending:
        followup.message_kind = followups.MESSAGE_FOR.get(followup.kind)
    overdue = [f for f in pending if f.effective_due <= now]
    # “Update or close” matters only once a month of silence has passed: not listed before.
    upcoming = sorted(
        (f for f in pending if f.effective_due > now and f.kind != FollowUp.Kind.UPDATE_OR_CLOSE),
        key=lambda f: f.effective_due,
    )
    context = {
        "overdue": overdue,
        "upcoming": upcoming,
        "snoozes": followups.SNOOZE_CHOICES,
    }
    content = fragment(request, "applications/followups.html", context)
    return render(request, "applications/followups.html", {**context, "content": content})


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
    return redirect("applications:followups")


@require_POST
def followup_dismiss(request, followup_pk: int):
    followups.followup_dismiss(followup=_get_followup_for_user(request, followup_pk))
    messages.success(request, "Dismissed. It will not remind you again.")
    return redirect("applications:followups")


@require_POST
def followup_done(request, followup_pk: int):
    followups.followup_done(followup=_get_followup_for_user(request, followup_pk))
    messages.success(request, "Marked done.")
    return redirect("applications:followups")
