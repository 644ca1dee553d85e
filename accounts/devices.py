"""Browsers that have logged in to an account before (“known devices”).

Failed logins lock an account for a while. A known device keeps its own count, so somebody
failing on purpose with the owner's email address cannot lock the owner out of the browser
they always use. The cookie holds signed, salted hashes of the accounts, never the addresses.
"""

import hashlib

from django.conf import settings
from django.core import signing

COOKIE = "bridges_device"
MAX_AGE = 365 * 24 * 60 * 60
MAX_ACCOUNTS = 5
_SALT = "bridges.accounts.devices"


def _fingerprint(email: str) -> str:
    return hashlib.sha256(f"{_SALT}:{email.strip().lower()}".encode()).hexdigest()[:20]


def _known(request) -> list[str]:
    try:
        value = signing.loads(request.COOKIES.get(COOKIE, ""), salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    return value if isinstance(value, list) else []


def is_known(request, email: str) -> bool:
    return bool(email) and _fingerprint(email) in _known(request)


def remember(request, response, email: str) -> None:
    """Marks this browser as known for `email` (keeping a few other accounts it knows)."""
    fingerprint = _fingerprint(email)
    known = [fingerprint] + [f for f in _known(request) if f != fingerprint]
    response.set_cookie(
        COOKIE,
        signing.dumps(known[:MAX_ACCOUNTS], salt=_SALT),
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
