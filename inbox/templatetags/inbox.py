"""The site's navigation and page document for Django's templates. They live in the inbox
app because the navigation shows the Inbox's badge beside the answers owed, and inbox is the
lowest app that may read both (the import contract in pyproject.toml)."""

import datetime

from django import template
from django.contrib.auth import get_user_model
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce
from django.template import engines
from django.utils import timezone

from applications.models import FollowUp
from applications.selectors import count_of
from config.views_common import (
    STAND_IN_ID,
    STAND_IN_TIME,
    PreparedQuery,
    document_read,
    read_ahead,
)
from inbox.models import Mailbox, Proposal

register = template.Library()


def navigation(request) -> dict:
    """What the navigation (templates/jinja2/includes/navigation.html) shows: who is signed
    in, which page is the current one (its view's name), and its two badges (the answers
    overdue, and for a user with a mailbox the proposals waiting in the Inbox), both counted
    by one query."""
    user = getattr(request, "user", None)
    resolved = getattr(request, "resolver_match", None)
    nav = {
        "user": user,
        "signed_in": bool(user and user.is_authenticated),
        "current": getattr(resolved, "view_name", "") or "",
        "overdue_count": 0,
        "mailbox_state": "",
        "waiting": 0,
    }
    if nav["signed_in"]:
        nav.update(read_ahead(request, "badges") or navigation_badges(user))
    return nav


def navigation_badges(user) -> dict:
    """The badges' numbers, in one query: `overdue_count` (as the dashboard counts it),
    `mailbox_state` ("" without a mailbox) and `waiting` (proposals pending in it)."""
    return _badges.row(user.pk, timezone.now())


@document_read("badges")
def _badges_read(request):
    """The badges, read with the page's own queries by a page that reads them together."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return _badges.first_row(user.pk, timezone.now())


def _badges_query(user_id: int, now: datetime.datetime):
    user = get_user_model()(pk=user_id)
    mailbox = Mailbox.objects.for_user(user)
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .values(
            overdue_count=count_of(FollowUp.objects.for_user(user).owed_overdue(now)),
            mailbox_state=Coalesce(Subquery(mailbox.values("state")[:1]), Value("")),
            waiting=count_of(
                Proposal.objects.filter(mailbox__in=mailbox, state=Proposal.State.PENDING)
            ),
        )
    )


# Asked on every page: its SQL is built once (config/views_common.py).
_badges = PreparedQuery(_badges_query, STAND_IN_ID, STAND_IN_TIME)


@register.tag
def layout(parser, token):
    """`{% layout %}title{% layout_main %}main{% layout_extra_body %}scripts{% endlayout %}`:
    a Django page drawn in the one page document (templates/jinja2/layout.html), its three
    parts (each a `{% block %}` in templates/base.html) put in their places."""
    parts = []
    for end in ("layout_main", "layout_extra_body", "endlayout"):
        parts.append(parser.parse((end,)))
        parser.delete_first_token()
    return LayoutNode(*parts)


class LayoutNode(template.Node):
    child_nodelists = ("title", "main", "extra_body")

    def __init__(self, title, main, extra_body):
        self.title, self.main, self.extra_body = title, main, extra_body

    def render(self, context) -> str:
        parts = {name: getattr(self, name).render(context) for name in self.child_nodelists}
        request = context.get("request")
        if request is None:  # the bare 500 page, drawn without a request
            parts.update(request=None, csrf_token="", csrf_input="")
        return engines["jinja2"].get_template("layout.html").render(parts, request)


@register.inclusion_tag("inbox/_profile.html", takes_context=True)
def mailbox_on_profile(context):
    request = context["request"]
    return {"mailbox": Mailbox.objects.for_user(request.user).first()}
