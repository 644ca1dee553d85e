"""The one-click links in reminder emails, and the health of reminder delivery for staff."""

import datetime
from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from applications import followups
from applications.models import FollowUp
from config.celery import app as celery_app
from config.views_common import emailed_link_page
from messaging import reminders
from messaging.models import Outbox, SweepStatus

ACTIONS = {"done": "Mark it done", "snooze": "Remind me tomorrow"}
SWEEP_LATE = datetime.timedelta(minutes=5)


@login_not_required
@require_http_methods(["GET", "POST"])
def reminder_action(request, token: str):
    """A link from a reminder email. The signed token names one follow-up and one action;
    GET asks, POST acts (so a mail scanner that follows links changes nothing)."""
    try:
        followup_id, action = reminders.read_action_link(token)
    except signing.SignatureExpired:
        return _link_page(request, "This link has expired", "Links in reminders work for a week.")
    except signing.BadSignature:
        return _link_page(request, "This link does not work", "It may have been cut or changed.")
    followup = FollowUp.objects.select_related("application").filter(pk=followup_id).first()
    if followup is None or action not in ACTIONS:
        return _link_page(request, "Nothing to do", "This follow-up no longer exists.")
    if not followup.is_pending:
        return _link_page(
            request, "Already settled", f"“{followup}” is {followup.get_state_display().lower()}."
        )
    if request.method == "POST":
        if action == "done":
            followups.followup_done(followup=followup)
            return _link_page(request, "Marked done", f"“{followup}” will not remind you again.")
        followups.followup_snooze(followup=followup, period="1d")
        return _link_page(request, "Snoozed for a day", f"“{followup}” will remind you tomorrow.")
    return emailed_link_page(
        request, followup.get_kind_display(), str(followup.application), button=ACTIONS[action]
    )


def _link_page(request, title: str, text: str):
    return emailed_link_page(
        request,
        title,
        text,
        next_url=reverse("applications:followups"),
        next_label="See everything you owe",
    )


def operators_only(view):
    """Site-wide figures and other users' addresses: for the site's operators (superusers),
    never for a recruiter, who is staff only to read their own agency's part of the admin."""

    @wraps(view)
    @staff_member_required
    def guarded(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


@operators_only
@require_GET
def delivery_health(request):
    now = timezone.now()
    status = SweepStatus.objects.filter(pk=1).first()
    context = {
        "broker_ok": _broker_reachable(),
        "last_sweep": status.finished_at if status else None,
        "sweep_late": sweep_is_late(now),
        "backlog": Outbox.objects.filter(
            state__in=(Outbox.State.PENDING, Outbox.State.SENDING)
        ).count(),
        "failures": Outbox.objects.filter(
            state=Outbox.State.FAILED, created_at__gte=now - datetime.timedelta(days=1)
        ).order_by("-created_at")[:20],
        "sent_today": Outbox.objects.filter(
            state=Outbox.State.SENT, sent_at__gte=now - datetime.timedelta(days=1)
        ).count(),
    }
    return render(request, "messaging/delivery_health.html", context)


def sweep_is_late(now=None) -> bool:
    """True when beat has not swept for five minutes: reminders are not going out."""
    status = SweepStatus.objects.filter(pk=1).first()
    return status is None or status.finished_at < (now or timezone.now()) - SWEEP_LATE


def _broker_reachable() -> bool:
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return False
    return True
