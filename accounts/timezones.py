"""The IANA time zones a user can pick, and the check that a stored one is real."""

import functools
import zoneinfo

from django.core.exceptions import ValidationError


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    # "localtime" and "Factory" are artefacts of the tz database, not places.
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}))


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Pick one from the list, e.g. Europe/Paris.",
            params={"value": value},
            code="unknown_time_zone",
        )
