"""Typed readers for settings that come from the environment.

Each reader fails at start-up with ImproperlyConfigured and a sentence naming the variable,
so a typo in a deployment is caught before the first request, not in the middle of one.
"""

import os
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", *, environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] = os.environ) -> bool:
    if name not in environ:
        return default
    value = environ[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={environ[name]!r} is not a yes/no value; use one of 1, 0, true, false, yes, no."
    )


def env_int(
    name: str, default: int, *, minimum: int = 0, environ: Mapping[str, str] = os.environ
) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] = os.environ
) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    if name not in environ:
        return list(default)
    return [item.strip() for item in environ[name].split(",") if item.strip()]


def env_url(
    name: str, default: str, *, schemes: tuple[str, ...], environ: Mapping[str, str] = os.environ
) -> str:
    value = env_str(name, default, environ=environ)
    scheme, separator, _ = value.partition("://")
    if not separator or scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a URL with one of the schemes: {', '.join(schemes)}."
        )
    return value


def redis_neighbour(url: str) -> str:
    """The same Redis server, next database: the cache must never share the broker's, since
    clearing a cache empties its whole database, queued tasks included."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return url
    current = parts.path.strip("/") or "0"
    if not current.isdigit():
        raise ImproperlyConfigured(f"{url!r} names Redis database {current!r}, not a number.")
    return urlunsplit(parts._replace(path=f"/{int(current) + 1}"))


def env_database(
    name: str, default: str, *, environ: Mapping[str, str] = os.environ
) -> dict[str, object]:
    value = env_str(name, default, environ=environ)
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a database URL ({exc}).") from None
    return config


def env_choice(
    name: str, default: str, *, choices: tuple[str, ...], environ: Mapping[str, str] = os.environ
) -> str:
    value = env_str(name, default, environ=environ)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def strong_secret_key(key: str) -> bool:
    """Django's own bar for a production SECRET_KEY (the deploy check's security.W009), which
    production enforces at startup instead of merely warning."""
    from django.core.checks.security import base

    return (
        len(key) >= base.SECRET_KEY_MIN_LENGTH
        and len(set(key)) >= base.SECRET_KEY_MIN_UNIQUE_CHARACTERS
        and not key.startswith(base.SECRET_KEY_INSECURE_PREFIX)
    )
