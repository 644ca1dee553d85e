"""The candidate's busiest pages, rendered once and kept until their data or the clock moves on.

The board draws 200 cards, the list and the detail page a few dozen rows each: rendering them
costs far more than anything else a request does. So the part of each page that shows the
user's data (a *fragment*) is cached, and only the page around it (navigation, messages) is
drawn on every request.

Three things keep a cached fragment true:

- **The user's data.** Each user has a version token in the cache, read before any data. Any
  write to what the pages show forgets it (`changed`, called by the signals in
  `applications/signals.py` and by every bulk write), at once and again when the transaction
  commits. A reader that read the old token can only store what it rendered under
  that dead token; a reader that reads the new token reads data committed after it.
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
from functools import partial
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string, salted_hmac
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

# A month on, a user's token is forgotten and the next visit draws afresh. A fragment lasts a
# day at most, even if nothing changed.
TOKEN_TIMEOUT = 30 * 24 * 3600
FRAGMENT_TIMEOUT = 24 * 3600


@dataclass(frozen=True)
class Rendered:
    content: Any  # the markup (or, for `cached`, any value the cache can keep)
    # When the text goes out of date (a day count ticks, something falls due); None: never.
    stale_at: datetime.datetime | None = None


def changed(*owner_ids: int | None) -> None:
    """The data of these users changed: their pages are drawn afresh from now on."""
    ids = sorted({int(pk) for pk in owner_ids if pk is not None})
    if not ids:
        return
    _forget(ids)
    # Again after the commit: a page drawn from the data as it was before the commit, in the
    # moment between the two, must not outlive it.
    transaction.on_commit(partial(_forget, ids))


def _forget(ids: list[int]) -> None:
    try:
        cache.delete_many([_token_key(pk) for pk in ids])
    except Exception:  # the cache being down must not undo a committed write
        logger.exception("Could not forget the cached pages of users %s", ids)


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
    try:
        key = _fragment_key(request, name, vary)
    except Exception:
        logger.exception("The page cache cannot be read; drawing %s afresh", name)
        return compute().content
    entry = _recent.get(key)
    if _expired(entry):
        try:
            entry = _unpacked(cache.get(key))
        except Exception:
            logger.exception("The page cache cannot be read; drawing %s afresh", name)
            entry = None
        if _expired(entry):
            rendered = compute()
            entry = (rendered.stale_at, rendered.content)
            try:
                cache.set(key, _packed(entry), FRAGMENT_TIMEOUT)
            except Exception:
                logger.exception("The page cache cannot be written")
        # Kept here no longer than in the shared cache, even if nothing would age it.
        local_limit = timezone.now() + datetime.timedelta(seconds=FRAGMENT_TIMEOUT)
        _recent.put(key, (min(entry[0] or local_limit, local_limit), entry[1]))
    return entry[1]


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
    characters. Safe to keep because a key names one drawing: a write changes the user's token
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


def earliest(*moments: datetime.datetime | None) -> datetime.datetime | None:
    """The first of these moments that is still to come, or None."""
    now = timezone.now()
    future = [moment for moment in moments if moment is not None and moment > now]
    return min(future, default=None)


def day_ticks(since: datetime.datetime) -> datetime.datetime:
    """When a whole-day count from `since` ("3 days in stage") next goes up."""
    elapsed = timezone.now() - since
    return since + datetime.timedelta(days=elapsed.days + 1)


def _token_key(user_pk: int) -> str:
    return f"pages:token:{user_pk}"


def _token(request) -> str:
    """The user's version token: read once per request, made when there is none."""
    token = getattr(request, "_pages_token", None)
    if token is None:
        key = _token_key(request.user.pk)
        token = cache.get(key)
        if token is None:
            cache.add(key, get_random_string(16), TOKEN_TIMEOUT)
            # Whoever added first wins; if it is gone again already, the page is drawn anew.
            token = cache.get(key) or get_random_string(16)
        request._pages_token = token
    return token


def _fragment_key(request, name: str, vary: Iterable[str]) -> str:
    parts = [
        name,
        str(request.user.pk),
        _token(request),
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
    """A digest of the project's own code and templates: a deployment that changes either
    starts with an empty page cache, so no page shows markup drawn by the previous one."""
    root = Path(settings.BASE_DIR)
    folders = {root / "config", root / "templates"} | {
        Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == root
    }
    digest = hashlib.sha256()
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".html", ".py", ".txt") and "migrations" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
