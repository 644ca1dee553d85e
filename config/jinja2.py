"""The Jinja2 environment for the pages' hot fragments (the board's cards, the list's rows,
the follow-ups, the timeline): what Django's templates draw in tens of milliseconds for 200
cards, Jinja2's compiled templates draw in a few. Every other page stays a Django template.

Autoescaping is on (Django's Jinja2 backend turns it on), and a missing variable is an error
while developing rather than an empty string.
"""

import datetime

from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, StrictUndefined

from messaging.catalogue import not_interested_kind


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def pluralize(count: int, plural: str = "s", singular: str = "") -> str:
    return singular if count == 1 else plural


def short_when(moment: datetime.datetime) -> str:
    """ "Tue 1 Dec, 10:00" in the current time zone, as Django's `date:"D j M, H:i"` writes it."""
    local = timezone.localtime(moment)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def date(value, pattern: str) -> str:
    """Django's `date` filter: `pattern` in Django's format letters, a datetime shown in the
    current time zone."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return dateformat.format(value, pattern)


def linebreaksbr(value) -> SafeString:
    """Django's `linebreaksbr`: the text escaped, its line breaks as <br>."""
    return defaultfilters.linebreaksbr(value, autoescape=True)


def crispy(form) -> SafeString:
    """A form as crispy-forms draws it on the Django pages."""
    return mark_safe(render_crispy_form(form))  # noqa: S308 (crispy escapes what it draws)


def environment(**options) -> Environment:
    options["autoescape"] = True  # as Django's backend sets it: said here for every reader
    if settings.DEBUG:
        options["undefined"] = StrictUndefined
    env = Environment(**options)  # noqa: S701 (autoescape is set just above)
    # The rules a fragment asks of an app its own app sits below (applications/detail.html
    # offers “Not interested” with the message messaging fits to the stage).
    env.globals.update(static=static, url=url, not_interested_kind=not_interested_kind)
    env.filters.update(
        pluralize=pluralize,
        short_when=short_when,
        date=date,
        linebreaksbr=linebreaksbr,
        truncatechars=defaultfilters.truncatechars,
        floatformat=defaultfilters.floatformat,
        crispy=crispy,
    )
    return env
