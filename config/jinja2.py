"""The Jinja2 environment for the pages' hot fragments (the board's cards, the list's rows,
the follow-ups, the timeline): what Django's templates draw in tens of milliseconds for 200
cards, Jinja2's compiled templates draw in a few. Every other page stays a Django template,
drawn inside the one page document, layout.html, with its navigation (templates/base.html).

Autoescaping is on (Django's Jinja2 backend turns it on), each output value written by
`escape_output` (the same text as markupsafe's `escape`, at a quarter of its cost), and a
missing variable is an error while developing rather than an empty string.
"""

import datetime
from functools import lru_cache

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template import defaultfilters
from django.templatetags.static import static
from django.utils import dateformat, timezone
from django.utils.html import format_html
from jinja2 import Environment, StrictUndefined
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from config import formats
from inbox.templatetags.inbox import navigation
from messaging.catalogue import not_interested_kind


def csrf_once(request) -> dict:
    """A context processor for the fragments: one CSRF token per request, however many forms
    its page holds and wherever the page writes it (Django's own `csrf_input` and `csrf_token` mask a
    new token at every use, as costly as it is pointless inside one page; Django's templates
    too use one per page)."""
    # One a request: a hot page is drawn twice (its content, then the page around it).
    drawn = getattr(request, "_csrf_once", None)
    if drawn is None:
        token = _CsrfToken(request)
        drawn = {"csrf_token": token, "csrf_input": _CsrfInput(token)}
        if request is not None:
            request._csrf_once = drawn
    return drawn


class _CsrfToken:
    def __init__(self, request):
        self._request, self._value = request, None

    def __str__(self) -> str:
        if self._value is None:
            self._value = get_token(self._request)
        return self._value


class _CsrfInput:
    def __init__(self, token: _CsrfToken):
        self._token, self._html = token, None

    def __html__(self) -> str:
        # Written once a drawing: the follow-ups page writes it in each of its forms.
        if self._html is None:
            self._html = format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', str(self._token)
            )
        return self._html

    __str__ = __html__


@lru_cache(maxsize=256)
def static_url(path: str) -> str:
    """Django's `static(path)`, worked out once per process (every page's head links the same
    files; their hashed names change only with a deployment, which starts new processes)."""
    return static(path)


@receiver(setting_changed)
def _static_settings_changed(*, setting: str, **kwargs) -> None:
    if setting in ("STATIC_URL", "STATIC_ROOT", "STORAGES"):
        static_url.cache_clear()


def pluralize(count: int, plural: str = "s", singular: str = "") -> str:
    return singular if count == 1 else plural


def date(value, pattern: str) -> str:
    """Django's `date` filter: `pattern` in Django's format letters, a datetime shown in the
    current time zone."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
        if fast := formats.FAST_PATTERNS.get(pattern):
            return fast(value)
    return dateformat.format(value, pattern)


def linebreaksbr(value) -> Markup:
    """Django's `linebreaksbr`: the text escaped, its line breaks as <br>."""
    return formats.with_breaks(str(value))


def escape_output(value) -> str:
    """What markupsafe's `escape` writes for a value a template outputs, as plain text: the
    five characters HTML gives meaning to as markupsafe writes them (`&#34;`, `&#39;` for the
    quotes), and an object with `__html__` (Markup, a form field) as it draws itself. Not
    wrapped in Markup: an output is only ever joined to the page, and wrapping costs more than
    the escaping (markupsafe 3's `escape` took 1 µs a value here, 60% of drawing the board's
    200 cards)."""
    if value.__class__ is not str:
        html = getattr(value, "__html__", None)
        if html is not None:
            return html()
        value = str(value)
    if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        value = value.replace('"', "&#34;").replace("'", "&#39;")
    return value


class _CodeGenerator(CodeGenerator):
    """Jinja2's compiler, each output value of an autoescaped template written with
    `escape_output` rather than markupsafe's `escape` (the rest as Jinja2 writes it: the
    method below is Jinja2's own with that one name changed)."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.volatile:
            self.write("(environment.escape_output if context.eval_ctx.autoescape else str)(")
        elif frame.eval_ctx.autoescape:
            self.write("environment.escape_output(")
        else:
            self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)


class _Environment(Environment):
    code_generator_class = _CodeGenerator
    escape_output = staticmethod(escape_output)


def environment(**options) -> Environment:
    options["autoescape"] = True  # as Django's backend sets it: said here for every reader
    if settings.DEBUG:
        options["undefined"] = StrictUndefined
    env = _Environment(**options)
    # The rules a fragment asks of an app its own app sits below (applications/detail.html
    # offers “Not interested” with the message messaging fits to the stage).
    env.globals.update(static=static_url, url=formats.url, not_interested_kind=not_interested_kind)
    # The page document (layout.html) draws the navigation and the messages.
    env.globals.update(navigation=navigation, get_messages=get_messages)
    env.filters.update(
        pluralize=pluralize,
        date=date,
        linebreaksbr=linebreaksbr,
        truncatechars=defaultfilters.truncatechars,
        floatformat=defaultfilters.floatformat,
    )
    return env
