"""Working-day arithmetic in a user's time zone: when “by the end of the business day” falls."""

import datetime

END_OF_DAY = datetime.time(18, 0)


def next_business_day(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def end_of_business_day(moment: datetime.datetime, tz: datetime.tzinfo) -> datetime.datetime:
    """18:00 local on the day of `moment`, or on the next working day when `moment` falls on
    a weekend or after 18:00 there."""
    local = moment.astimezone(tz)
    day = local.date()
    if day.weekday() >= 5 or local.time() >= END_OF_DAY:
        day = next_business_day(day)
    return datetime.datetime.combine(day, END_OF_DAY, tzinfo=tz)


def add_business_days(
    moment: datetime.datetime, days: int, tz: datetime.tzinfo
) -> datetime.datetime:
    """The same local time `days` working days later."""
    local = moment.astimezone(tz)
    day = local.date()
    for _ in range(days):
        day = next_business_day(day)
    return datetime.datetime.combine(day, local.time(), tzinfo=tz)


def add_days(moment: datetime.datetime, days: int, tz: datetime.tzinfo) -> datetime.datetime:
    """The same local time `days` calendar days later (23 or 25 hours a day across DST)."""
    local = moment.astimezone(tz)
    return datetime.datetime.combine(local.date() + datetime.timedelta(days=days), local.timetz())
