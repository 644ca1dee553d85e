from django import template
from django.db.models import Count, Q

from inbox.models import Mailbox, Proposal

register = template.Library()


@register.inclusion_tag("inbox/_navigation.html", takes_context=True)
def inbox_navigation(context):
    """The Inbox link with its badge (proposals waiting), for users with a mailbox: one
    query, drawn on every page under the navigation."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    mailbox = (
        Mailbox.objects.for_user(user)
        .annotate(waiting=Count("proposals", filter=Q(proposals__state=Proposal.State.PENDING)))
        .values("state", "waiting")
        .first()
    )
    current = getattr(request.resolver_match, "view_name", "")
    return {"mailbox": mailbox, "current": current}


@register.inclusion_tag("inbox/_profile.html", takes_context=True)
def mailbox_on_profile(context):
    request = context["request"]
    return {"mailbox": Mailbox.objects.for_user(request.user).first()}
