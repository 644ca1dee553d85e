"""The app password at rest: encrypted with Fernet keys from INBOX_ENCRYPTION_KEYS.

The first key encrypts; every key decrypts (MultiFernet), so a key is rotated by putting the
new one first, keeping the old ones after it, and running `manage.py inbox_reencrypt`, which
rewrites every stored password with the first key; the old keys can then be removed.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables


class NotConfigured(Exception):
    """No encryption key is set: mailboxes cannot be connected on this server."""


class Unreadable(Exception):
    """No configured key opens the stored password (a key was removed too early)."""


def check_keys(keys: list[str] | None = None) -> None:
    for n, key in enumerate(settings.INBOX_ENCRYPTION_KEYS if keys is None else keys, 1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"INBOX_ENCRYPTION_KEYS: key {n} is not a Fernet key (32 url-safe base64-encoded "
                "bytes; make one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`)."
            ) from None


def available() -> bool:
    return bool(settings.INBOX_ENCRYPTION_KEYS)


def _keys() -> MultiFernet:
    if not settings.INBOX_ENCRYPTION_KEYS:
        raise NotConfigured("INBOX_ENCRYPTION_KEYS is not set on this server.")
    return MultiFernet([Fernet(key) for key in settings.INBOX_ENCRYPTION_KEYS])


@sensitive_variables("password")
def encrypt(password: str) -> str:
    return _keys().encrypt(password.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise Unreadable(
            "The saved app password cannot be read with the keys this server has."
        ) from None


def reencrypt(token: str) -> str:
    """The same password under the first key (unchanged if it already is)."""
    try:
        return _keys().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise Unreadable(
            "The saved app password cannot be read with the keys this server has."
        ) from None
