"""Invitation codes: short enough to read out on the phone, long enough not to be guessed.

Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L) give 31^10 ≈ 8·10^14
codes; joining is rate-limited, so guessing one is out of reach. Codes are shown in groups of
five and compared without case, spaces or dashes.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == LENGTH else code
