"""The Jinja2 environment for the pages' hot fragments (the board's cards, the list's rows,
the follow-ups, the timeline): what Django's templates draw in tens of milliseconds for 200
cards, Jinja2's compiled templates draw in a few. Every other page stays a Django template,
drawn inside the one page document, layout.html, with its navigation (templates/base.html).

Autoescaping is on (Django's Jinja2 backend turns it on), and a missing variable is an error
while developing rather than an empty string.
"""

import datetime
from functools import lru_cache

from django.conf import settings
from django.contrib.messages import get_messages
from django.template import defaultfilters
from django.template.backends.utils import csrf_input
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString
from jinja2 import Environment, StrictUndefined

from inbox.templatetags.inbox import navigation
from messaging.catalogue import not_interested_kind

# Stand-ins for ids while a URL's shape is worked out: numbers no real id reaches.
_MARKS = tuple(str(987_654_320 + n) for n in range(4))


@lru_cache(maxsize=512)
def _shape(prefix: str, name: str, count: int) -> str | None:
    """The URL `name` takes with `count` integer arguments, as a format string ("/applications/
    {0}/"), or None when the stand-ins do not come back exactly once each (a converter that
    rewrites them). Depends only on the URLconf and the script prefix, which key it."""
    path = reverse(name, args=_MARKS[:count])
    if any(path.count(mark) != 1 for mark in _MARKS[:count]):
        return None
    shape = path.replace("{", "{{").replace("}", "}}")
    for index, mark in enumerate(_MARKS[:count]):
        shape = shape.replace(mark, f"{{{index}}}")
    return shape


def url(name: str, *args) -> str:
    """Django's `reverse(name, args=args)`. A card or row draws the same few URLs with ids
    hundreds of times a page, so each URL's shape is worked out once and ids are put in it."""
    if len(args) <= len(_MARKS) and all(type(arg) is int for arg in args):
        shape = _shape(get_script_prefix(), name, len(args))
        if shape is not None:
            return shape.format(*args)
    return reverse(name, args=args)


def csrf_once(request) -> dict:
    """A context processor for the fragments: one CSRF input per drawing, however many forms
    it holds (Django's own `csrf_input` masks a new token at every use, as costly as it is
    pointless inside one page; Django's templates too use one per page)."""
    return {"csrf_input": _CsrfInput(request)}


class _CsrfInput:
    def __init__(self, request):
        self._request, self._html = request, None

    def __html__(self) -> str:
        if self._html is None:
            self._html = csrf_input(self._request)
        return self._html

    __str__ = __html__


def pluralize(count: int, plural: str = "s", singular: str = "") -> str:
    return singular if count == 1 else plural


def short_when(moment: datetime.datetime) -> str:
    """ "Tue 1 Dec, 10:00" in the current time zone, as Django's `date:"D j M, H:i"` writes it."""
    return _FAST_PATTERNS["D j M, H:i"](timezone.localtime(moment))


# The patterns the fragments draw on every row, written without Django's general formatter
# (the same text: Django's "c" is the ISO format, and its day and month names are English).
_FAST_PATTERNS = {
    "c": datetime.datetime.isoformat,
    "D j M, H:i": lambda moment: f"{moment:%a} {moment.day} {moment:%b}, {moment:%H:%M}",
    "D j M Y, H:i": lambda moment: (
        f"{moment:%a} {moment.day} {moment:%b} {moment:%Y}, {moment:%H:%M}"
    ),
    "j M Y": lambda moment: f"{moment.day} {moment:%b} {moment:%Y}",
}


def date(value, pattern: str) -> str:
    """Django's `date` filter: `pattern` in Django's format letters, a datetime shown in the
    current time zone."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
        if fast := _FAST_PATTERNS.get(pattern):
            return fast(value)
    return dateformat.format(value, pattern)


def linebreaksbr(value) -> SafeString:
    """Django's `linebreaksbr`: the text escaped, its line breaks as <br>."""
    return defaultfilters.linebreaksbr(value, autoescape=True)


def environment(**options) -> Environment:
    options["autoescape"] = True  # as Django's backend sets it: said here for every reader
    if settings.DEBUG:
        options["undefined"] = StrictUndefined
    env = Environment(**options)  # noqa: S701 (autoescape is set just above)
    # The rules a fragment asks of an app its own app sits below (applications/detail.html
    # offers “Not interested” with the message messaging fits to the stage).
    env.globals.update(static=static, url=url, not_interested_kind=not_interested_kind)
    # The page document (layout.html) draws the navigation and the messages.
    env.globals.update(navigation=navigation, get_messages=get_messages)
    env.filters.update(
        pluralize=pluralize,
        short_when=short_when,
        date=date,
        linebreaksbr=linebreaksbr,
        truncatechars=defaultfilters.truncatechars,
        floatformat=defaultfilters.floatformat,
    )
    return env
