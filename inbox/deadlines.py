"""When an offer must be answered, read from the words of the email that makes it: a date
in a sentence about answering ("by 14 March", "no later than 2031-03-14"), "within five
(business) days", or "by Friday", counted from the email's date."""

import datetime
import re

from applications.business_days import next_business_day

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? ({_MONTH})\.?(?:,? (\d{{4}}))?\b", re.I
)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WITHIN = re.compile(
    r"\bwithin (\d{1,2}|one|two|three|four|five|six|seven|ten|fourteen) (business |working )?days?\b",
    re.I,
)
_WEEKDAY = re.compile(r"\bby (?:this |next )?(monday|tuesday|wednesday|thursday|friday)\b", re.I)
_DEADLINE_WORDS = re.compile(
    r"\b(?:by|before|until|no later than|deadline|respond|reply|answer|decision|accept|"
    r"expires?|valid (?:until|through)|sign(?:ed)?|return)\b",
    re.I,
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBERS |= {"ten": 10, "fourteen": 14}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]


def deadline(parts: list[str], sent_at: datetime.datetime) -> datetime.date | None:
    """When an offer must be answered, if a sentence that speaks of answering says so."""
    sent = sent_at.date()
    for sentence in parts:
        if not _DEADLINE_WORDS.search(sentence):
            continue
        if found := _absolute_date(sentence, sent):
            return found
        if match := _WITHIN.search(sentence):
            count = int(match[1]) if match[1].isdigit() else _NUMBERS[match[1].lower()]
            if not match[2]:
                return sent + datetime.timedelta(days=count)
            day = sent
            for _ in range(count):
                day = next_business_day(day)
            return day
        if match := _WEEKDAY.search(sentence):
            weekday = _WEEKDAYS.index(match[1].lower())
            return sent + datetime.timedelta(days=(weekday - sent.weekday()) % 7 or 7)
    return None


def _absolute_date(sentence: str, sent: datetime.date) -> datetime.date | None:
    for pattern, order in ((_ISO, "ymd"), (_DAY_MONTH, "dmy"), (_MONTH_DAY, "mdy")):
        for match in pattern.finditer(sentence):
            values = dict(zip(order, match.groups(), strict=True))
            month = values["m"]
            month = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
            years = [int(values["y"])] if values["y"] else [sent.year, sent.year + 1]
            for year in years:  # without a year: the next such day (3 January, in December)
                try:
                    found = datetime.date(year, month, int(values["d"]))
                except ValueError:
                    continue
                if found >= sent:
                    return found
    return None
