"""What a display name may hold: it goes into the From and signature of every message a user
sends, where a line break would split the header (and each send would fail)."""

import unicodedata

from django.core.exceptions import ValidationError


def validate_display_name(value: str) -> None:
    # Cc: control characters (CR, LF, tab, NUL...); Zl/Zp: Unicode line and paragraph breaks.
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value):
        raise ValidationError(
            "Your name must be one line, without line breaks, tabs or other control characters.",
            code="control_characters",
        )
