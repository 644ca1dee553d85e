"""The shared cache: Redis, falling back to a table in the database while Redis is away.

The cache holds the rate limits (failed logins, password resets, sign-in codes...), which every
login, signup and reset consults. Without a fallback, a Redis outage turned each of those pages
into a server error. With it, the counts move to the database for the outage (every web
process shares it, so the limits still hold) and back to Redis once it answers again. Counts
made on one side are not seen on the other; for a rate limit that only means a fresh window.

After a failure the backend leaves Redis alone for `RETRY_SECONDS`, so an outage costs one
failed connection per process now and then instead of one per cache call.
"""

import logging
import time

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# The table the database side uses (created by accounts' migration 0005).
FALLBACK_TABLE = "bridges_cache_fallback"
RETRY_SECONDS = 15.0

# When Redis last failed, per location; shared by every thread of the process.
_down_until: dict[str, float] = {}


class FailoverCache(BaseCache):
    """A RedisCache whose every call falls back to a DatabaseCache when Redis fails."""

    def __init__(self, location, params):
        super().__init__(params)
        self._location = location
        options = dict(params.get("OPTIONS") or {})
        table = options.pop("FALLBACK_TABLE", FALLBACK_TABLE)
        # A Redis that does not answer must not hold a request for long.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        shared = {k: v for k, v in params.items() if k not in ("OPTIONS", "BACKEND")}
        self._primary = RedisCache(location, {**shared, "OPTIONS": options})
        self._fallback = DatabaseCache(table, {**shared, "OPTIONS": {"MAX_ENTRIES": 100_000}})

    def _call(self, name, *args, **kwargs):
        if time.monotonic() >= _down_until.get(self._location, 0.0):
            try:
                return getattr(self._primary, name)(*args, **kwargs)
            except RedisError as exc:
                _down_until[self._location] = time.monotonic() + RETRY_SECONDS
                logger.warning("Cache: Redis failed (%s); using the database for now.", exc)
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, key, value, timeout=..., version=None):
        return self._call("add", key, value, **_timeout(timeout), version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    def set(self, key, value, timeout=..., version=None):
        return self._call("set", key, value, **_timeout(timeout), version=version)

    def touch(self, key, timeout=..., version=None):
        return self._call("touch", key, **_timeout(timeout), version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version)

    def set_many(self, data, timeout=..., version=None):
        return self._call("set_many", data, **_timeout(timeout), version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        # The side in use; what the other holds expires by itself.
        return self._call("clear")

    def close(self, **kwargs):
        self._primary.close(**kwargs)
        self._fallback.close(**kwargs)


def _timeout(timeout) -> dict:
    # Django's backends take `timeout=DEFAULT_TIMEOUT` (a sentinel) when none is given.
    return {} if timeout is ... else {"timeout": timeout}
