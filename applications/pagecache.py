"""The candidate's busiest pages, rendered once and kept until their data or the clock moves on.

The board draws 200 cards, the list and the detail page a few dozen rows each: rendering them
costs far more than anything else a request does. So the part of each page that shows the
user's data (a *fragment*) is cached, and only the page around it (messages, the title) is
drawn on every request.

Three things keep a cached fragment true:

- **The user's data.** Each user has a `pages_version`, read with the user at the start of the
  request, before any data. Any write to what the pages show raises it in the same transaction
  (`changed`, called by the signals in `applications/signals.py` and by bulk writes), so the
  new version is seen exactly when the new data is. A drawing made from older data can only be
  stored under an older version, which no request asks for again.
- **The clock.** "3 days in stage" becomes 4, "by Tue 14:00" becomes "overdue since".
  A fragment is stored with the moment its text goes out of date (`stale_at`) and redrawn from
  then on. The user's time zone is part of the key.
- **The request.** Forms in a fragment carry the request's own CSRF token: the fragment is
  rendered with a placeholder, filled in on every serve.

A fragment's key also holds a digest of the code and templates (`release`), so a deployment
never serves markup drawn by the previous one. Fragments are packed with zlib in the shared
cache, and each process keeps those it used last unpacked in front of it (`_Recent`). Without
a working cache, pages are drawn as before: slower, never wrong.
"""

import datetime
import hashlib
import logging
import pickle
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache as memoize
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.signals import request_started
from django.db.models import F
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

# A drawing lasts a day at most, even if nothing changed. A user stores at most 2,000 a day:
# about 400 writes, each followed by a visit to every page (a few kB each packed, 15 kB a board).
FRAGMENT_TIMEOUT = 24 * 3600
DAILY_BUDGET = 2_000


# What the board, the list, the detail page, the follow-ups page and the navigation draw, and
# the fields of those they never draw (the reminder sweep's bookkeeping). The signals in
# applications/signals.py listen to these models; tests/applications/test_pagecache.py fails
# if a model is added without saying whether the pages show it.
SHOWN = frozenset(
    {
        "applications.Application",
        "applications.Tag",
        "applications.Contact",
        "applications.FollowUp",
        "applications.Interview",
        "applications.Offer",
        "applications.TimelineEvent",
        "messaging.Message",
    }
)
NOT_DRAWN = {"applications.FollowUp": frozenset({"remind_at", "reminders_sent"})}


def shows(model, fields=None) -> bool:
    """Whether the pages draw this model (a proxy counts as its model), or these fields of it."""
    label = model._meta.concrete_model._meta.label
    if label not in SHOWN:
        return False
    return fields is None or not set(fields) <= NOT_DRAWN.get(label, frozenset())


@dataclass(frozen=True)
class Rendered:
    content: Any  # the markup (or, for `cached`, any value the cache can keep)
    # When the text goes out of date (a day count ticks, something falls due); None: never.
    stale_at: datetime.datetime | None = None


def changed(*owner_ids: int | None) -> None:
    """The data of these users changed: their pages are drawn afresh from now on.

    Called inside the writing transaction, it raises their `pages_version` there: the new
    version becomes visible with the data it stands for, or not at all."""
    ids = sorted({int(pk) for pk in owner_ids if pk is not None})
    if not ids:
        return
    get_user_model().objects.filter(pk__in=ids).update(pages_version=F("pages_version") + 1)
    _changed_in_this_thread().update(ids)


def _changed_in_this_thread() -> set[int]:
    """Users whose version this thread raised since its request began: a request that
    writes and then draws (the board after a drag) reads its user's version again."""
    ids = getattr(_thread, "changed", None)
    if ids is None or len(ids) > 10_000:  # a worker thread serves no request: keep it small
        ids = _thread.changed = set()
    return ids


def _request_started(**kwargs) -> None:
    _thread.changed = set()


_thread = threading.local()
request_started.connect(_request_started, dispatch_uid="pagecache-request-started")


def fragment(
    request, name: str, render: Callable[[], Rendered], *, vary: Iterable[str] = ()
) -> SafeString:
    """The fragment `name` of the logged-in user's page: from the cache, or `render()`ed."""
    return fill(request, cached(request, name, render, vary=vary))


def fill(request, html: str) -> SafeString:
    """Cached markup with the request's own CSRF token in place of the placeholder."""
    # Any masked form of the request's secret is valid: one is made per request, not per form.
    token = getattr(request, "_pages_csrf", None)
    if token is None:
        token = request._pages_csrf = get_token(request)
    return mark_safe(html.replace(csrf_placeholder(), token))  # noqa: S308


def cached(request, name: str, compute: Callable[[], Rendered], *, vary: Iterable[str] = ()):
    """What `compute()` gives for the logged-in user, kept like a fragment."""
    key = _fragment_key(request, name, vary)
    entry = _recent.get(key)
    if _expired(entry):
        try:
            entry = _unpacked(cache.get(key))
        except Exception:
            logger.exception("The page cache cannot be read; drawing %s afresh", name)
            entry = None
        if _expired(entry):
            # A day after drawing at most, here and in every process's own copy.
            limit = timezone.now() + datetime.timedelta(seconds=FRAGMENT_TIMEOUT)
            rendered = compute()
            entry = (min(rendered.stale_at or limit, limit), rendered.content)
            try:
                if _within_budget(request.user.pk):
                    cache.set(key, _packed(entry), FRAGMENT_TIMEOUT)
            except Exception:
                logger.exception("The page cache cannot be written")
        _recent.put(key, entry)
    return entry[1]


def _within_budget(user_pk: int) -> bool:
    """At most DAILY_BUDGET drawings a user a day go to the shared cache: every search and
    filter is a drawing of its own, and nobody's requests may fill Redis. Past the budget,
    pages are drawn every time, as without a cache."""
    key = f"pages:stored:{user_pk}:{timezone.now():%Y%m%d}"
    cache.add(key, 0, 2 * 24 * 3600)
    return cache.incr(key) <= DAILY_BUDGET


def _packed(entry: tuple) -> tuple:
    """Compressed for the shared cache: a board of 200 cards is 250 kB of markup, 15 kB
    packed (0.7 ms to pack when drawn, 0.3 ms to unpack in another process)."""
    stale_at, content = entry
    return stale_at, zlib.compress(pickle.dumps(content, pickle.HIGHEST_PROTOCOL), 1)


def _unpacked(packed: tuple | None) -> tuple | None:
    if packed is None:
        return None
    stale_at, payload = packed
    return stale_at, pickle.loads(zlib.decompress(payload))  # noqa: S301 (our own cache)


def _expired(entry) -> bool:
    return entry is None or (entry[0] is not None and timezone.now() >= entry[0])


class _Recent:
    """The entries this process used last, in front of the shared cache, within a budget of
    characters. Safe to keep because a key names one drawing: a write raises the user's version
    and so every key of theirs; only the clock ages an entry, and each entry says when."""

    def __init__(self, budget: int):
        self.budget = budget
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        size = _size(entry)
        if size > self.budget:
            return
        with self._lock:
            if key in self._entries:
                self._size -= _size(self._entries.pop(key))
            self._entries[key] = entry
            self._size += size
            while self._size > self.budget:
                _, oldest = self._entries.popitem(last=False)
                self._size -= _size(oldest)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


def _size(entry: tuple) -> int:
    content = entry[1]
    parts = content if isinstance(content, tuple) else (content,)
    return 64 + sum(len(part) for part in parts if isinstance(part, str))


# 16 million characters a process: about sixty boards of 200 cards.
_recent = _Recent(budget=16_000_000)


def render_fragment(request, template: str, context: dict) -> str:
    """A template rendered for the cache: its forms carry the CSRF placeholder."""
    return render_to_string(template, context | {"csrf_token": csrf_placeholder()}, request)


def earliest(*moments: datetime.datetime | None, after: datetime.datetime):
    """The first of these moments later than `after` (when the drawing began), or None.

    A moment between `after` and the end of the drawing may or may not show in it: it is
    kept, so at worst the next request draws the page again."""
    return min(
        (moment for moment in moments if moment is not None and moment > after), default=None
    )


def day_ticks(since: datetime.datetime, *, after: datetime.datetime) -> datetime.datetime:
    """When a whole-day count from `since` ("3 days in stage") next goes up after `after`."""
    return since + datetime.timedelta(days=(after - since).days + 1)


def _version(request) -> int:
    """The user's `pages_version`, read with the user at the start of the request (before any
    data the pages show), or again if this request has since written."""
    user = request.user
    if user.pk in _changed_in_this_thread():
        user.refresh_from_db(fields=["pages_version"])
        _changed_in_this_thread().discard(user.pk)
    return user.pages_version


def _fragment_key(request, name: str, vary: Iterable[str]) -> str:
    parts = [
        name,
        str(request.user.pk),
        str(_version(request)),
        timezone.get_current_timezone_name(),
        release(),
        # A new SECRET_KEY makes a new placeholder: drawings holding the old one go with it.
        csrf_placeholder(),
        *vary,
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"pages:fragment:{request.user.pk}:{digest}"


@memoize
def csrf_placeholder() -> str:
    """Stands for the CSRF token in a cached fragment. Derived from the secret key, so every
    process agrees on it and no user text can spell it."""
    return "csrf" + salted_hmac("applications.pagecache", "csrf-placeholder").hexdigest()[:32]


@memoize
def release() -> str:
    """A digest of the project's own code and templates, its pinned dependencies and the
    admin's address: a deployment that changes any of them starts with an empty page cache,
    so no page shows markup drawn by the previous one. Taken when the process starts
    (applications/apps.py), before new files could be read under an old digest."""
    root = Path(settings.BASE_DIR)
    folders = {root / "config", root / "templates"} | {
        Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == root
    }
    digest = hashlib.sha256(settings.ADMIN_URL.encode())  # the staff link in the navigation
    lock = root / "requirements.lock"  # third-party markup: crispy forms, Django's widgets
    if lock.exists():
        digest.update(lock.read_bytes())
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".html", ".py", ".txt") and "migrations" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
