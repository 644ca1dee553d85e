"""How the hot pages write URLs and times hundreds of times a drawing, cheaply and exactly as
Django would (the bottom layer: it imports no app). The Jinja2 fragments use these through
config/jinja2.py; a view that hands its template ready-made values uses them directly."""

import datetime
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from markupsafe import Markup, escape

# Stand-ins for ids while a URL's shape is worked out: numbers no real id reaches.
_MARKS = tuple(str(987_654_320 + n) for n in range(4))


def url_shape(name: str, count: int) -> str | None:
    """The URL `name` takes with `count` integer arguments, as a format string ("/applications/
    {0}/"), or None when the stand-ins do not come back exactly once each (a converter that
    rewrites them)."""
    return _shape(get_script_prefix(), name, count)


@lru_cache(maxsize=512)
def _shape(prefix: str, name: str, count: int) -> str | None:
    # Depends only on the URLconf and the script prefix, which key it.
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
        shape = url_shape(name, len(args))
        if shape is not None:
            return shape.format(*args)
    return reverse(name, args=args)


def url_of(name: str, count: int = 1):
    """`url(name, *ids)` as a function of `count` integer ids, for a list that writes the
    same URL for each of its rows: the URL's shape is looked up once, not once a row."""
    shape = url_shape(name, count)
    if shape is None:
        return lambda *ids: reverse(name, args=ids)
    return shape.format


# The date patterns the fragments draw on every row, written without Django's general
# formatter or strftime (the same text: Django's "c" is the ISO format, and its day and month
# names are English). Each takes a time already in the zone it is shown in.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_when(local: datetime.datetime) -> str:
    """ "Tue 1 Dec, 10:00": Django's `date:"D j M, H:i"`."""
    return (
        f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}, "
        f"{local.hour:02}:{local.minute:02}"
    )


def day_and_time(local: datetime.datetime) -> str:
    """ "Wed 2 Dec 2026, 18:05": Django's `date:"D j M Y, H:i"`."""
    return (
        f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}, "
        f"{local.hour:02}:{local.minute:02}"
    )


_MONTH_NAMES = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)


def month_and_year(local: datetime.datetime) -> str:
    """ "December 2026": Django's `date:"F Y"`."""
    return f"{_MONTH_NAMES[local.month - 1]} {local.year}"


def day_month_year(local: datetime.datetime) -> str:
    """ "1 Dec 2026": Django's `date:"j M Y"`."""
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}"


FAST_PATTERNS = {
    "c": datetime.datetime.isoformat,
    "D j M, H:i": short_when,
    "D j M Y, H:i": day_and_time,
    "F Y": month_and_year,
    "j M Y": day_month_year,
}


def with_breaks(text: str) -> Markup:
    """The text escaped, its line breaks as <br>: what Django's `linebreaksbr` writes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Markup(str(escape(text)).replace("\n", "<br>"))  # noqa: S704 (escaped just here)
