"""A schema.org `JobPosting` (as JSON-LD, or microdata turned into the same shape) read into
a `Posting`: the fields applicant-tracking systems fill, in every form they fill them (a
string or an object, one value or a list, a reference to a node elsewhere on the page)."""

import datetime
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from applications.models import WorkplaceType
from applications.postings import text
from applications.postings.found import PERIODS, Posting

EMPLOYMENT_TYPES = {
    "FULL_TIME": "Full-time",
    "PART_TIME": "Part-time",
    "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary",
    "INTERN": "Internship",
    "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Per diem",
    "OTHER": "Other",
}
# unitText as boards write it (“YEAR”, “per year”, “annual”, “hourly”…), to PERIODS' keys.
_PERIOD_WORDS = (
    ("HOUR", ("hour",)),
    ("DAY", ("day", "daily")),
    ("WEEK", ("week",)),
    ("MONTH", ("month",)),
    ("YEAR", ("year", "annual", "annum")),
)
_NUMBER = re.compile(r"(\d[\d,.\s]*)\s*([kK])?")
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")
_WORDS = {"hybrid": WorkplaceType.HYBRID, "remote": WorkplaceType.REMOTE}


def kind_of(node) -> set[str]:
    """The schema.org types a node declares, without their vocabulary prefix."""
    if not isinstance(node, dict):
        return set()
    declared = node.get("@type", [])
    declared = declared if isinstance(declared, list) else [declared]
    return {re.split(r"[/:#]", str(name))[-1] for name in declared if name}


def read_job_posting(node: dict, *, refs: dict, source: str) -> Posting:
    """A Posting from one JobPosting node; `refs` resolves `{"@id": …}` references."""

    def resolve(value):
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
            return refs.get(value["@id"], value)
        return value

    def first(value):
        value = resolve(value)
        if isinstance(value, list):
            return resolve(value[0]) if value else None
        return value

    def each(value) -> list:
        value = resolve(value)
        return [resolve(item) for item in (value if isinstance(value, list) else [value])]

    def name_of(value) -> str:
        value = first(value)
        if isinstance(value, dict):
            return text.one_line(value.get("name") or value.get("legalName") or "")
        return text.one_line(value)

    places = [_place(resolve, place) for place in each(node.get("jobLocation")) if place]
    places = [place for place in dict.fromkeys(places) if place]
    remote = any(
        str(kind).upper() == "TELECOMMUTE" for kind in each(node.get("jobLocationType")) if kind
    )
    location = _join_places(places)
    if not location and remote:
        areas = [name_of(area) for area in each(node.get("applicantLocationRequirements"))]
        location = ", ".join(dict.fromkeys(area for area in areas if area))[:200]
    title = text.one_line(node.get("title") or node.get("name") or "")
    low, high, currency, period = _salary(resolve, node)
    return Posting(
        job_title=title,
        company=name_of(node.get("hiringOrganization")),
        location=location,
        workplace_type=_workplace(remote, bool(places), f"{title} {location}"),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_period=period,
        posting_url=web_address(first(node.get("url"))),
        date_posted=_date(first(node.get("datePosted"))),
        closes_on=_date(first(node.get("validThrough"))),
        employment_type=", ".join(
            dict.fromkeys(_employment(kind) for kind in each(node.get("employmentType")) if kind)
        ),
        description=text.description(first(node.get("description")) or ""),
        source=source,
    )


def _place(resolve, place) -> str:
    place = resolve(place)
    if isinstance(place, str):
        return text.one_line(place)
    if not isinstance(place, dict):
        return ""
    address = resolve(place.get("address"))
    if isinstance(address, list):
        address = resolve(address[0]) if address else None
    if isinstance(address, str):
        return text.one_line(address)
    if not isinstance(address, dict):
        return text.one_line(place.get("name") or "")
    parts = []
    for key in ("addressLocality", "addressRegion", "addressCountry"):
        value = resolve(address.get(key))
        value = value.get("name", "") if isinstance(value, dict) else value
        part = text.one_line(value or "")
        # “Berlin, Berlin, DE”: a region named like its city is said once.
        if part and part not in parts and not any(part in p.split(", ") for p in parts):
            parts.append(part)
    return ", ".join(parts) or text.one_line(place.get("name") or "")


def _join_places(places: list[str]) -> str:
    if len(places) > 3:
        return " · ".join(places[:3]) + f" and {len(places) - 3} more"
    return " · ".join(places)[:200]


def _workplace(remote: bool, has_place: bool, words: str) -> str:
    said = [kind for word, kind in _WORDS.items() if re.search(rf"\b{word}\b", words, re.I)]
    if WorkplaceType.HYBRID in said:
        return WorkplaceType.HYBRID
    if remote or said:
        return WorkplaceType.REMOTE
    # A job with a place of work and nothing said about working elsewhere is done there.
    return WorkplaceType.ONSITE if has_place else ""


def _salary(resolve, node: dict) -> tuple[Decimal | None, Decimal | None, str, str]:
    amount = resolve(node.get("baseSalary") or node.get("estimatedSalary"))
    if isinstance(amount, list):
        amount = resolve(amount[0]) if amount else None
    currency = node.get("salaryCurrency") or ""
    if not isinstance(amount, dict):
        low = _amount(amount)
        return low, None, _currency(currency), "YEAR" if low is not None else ""
    currency = amount.get("currency") or currency
    value = resolve(amount.get("value"))
    unit = amount.get("unitText") or ""
    if isinstance(value, dict):
        unit = value.get("unitText") or unit
        low = _amount(value.get("minValue"))
        high = _amount(value.get("maxValue"))
        if low is None and high is None:
            low = _amount(value.get("value"))
    else:
        low = _amount(value if value is not None else amount.get("minValue"))
        high = _amount(amount.get("maxValue"))
    if low is not None and high is not None and low > high:
        low, high = high, low
    if low == high:
        high = None
    period = _period(unit) if (low is not None or high is not None) else ""
    return low, high, _currency(currency), period


def _amount(value) -> Decimal | None:
    """A salary figure: a number, or text such as “$120,000”, “120000.00” or “120k”."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        match = _NUMBER.search(str(value))
        if not match:
            return None
        digits = re.sub(r"[\s,]", "", match.group(1))
        if digits.count(".") > 1:  # “120.000” written with dots for thousands
            digits = digits.replace(".", "")
        try:
            number = Decimal(digits)
        except InvalidOperation:
            return None
        if match.group(2):
            number *= 1000
    if not number.is_finite() or number < 0 or number >= 10**9:
        return None
    return Decimal(int(number)) if number == number.to_integral() else number.normalize()


def _currency(value) -> str:
    value = str(value or "").strip()
    return value.upper() if _CURRENCY.match(value) else ""


def _period(unit) -> str:
    unit = str(unit or "").strip().lower()
    if unit.upper() in PERIODS:
        return unit.upper()
    for period, words in _PERIOD_WORDS:
        if any(word in unit for word in words):
            return period
    return "YEAR"


def _employment(kind) -> str:
    kind = text.one_line(kind, limit=40)
    return EMPLOYMENT_TYPES.get(kind.upper().replace("-", "_").replace(" ", "_"), kind)


def _date(value) -> datetime.date | None:
    """The calendar date a posting gives (as the poster wrote it, in their own offset)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return datetime.datetime.fromisoformat(value).date()
    except ValueError:
        pass
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def web_address(value) -> str:
    if not isinstance(value, str):
        return ""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.hostname and len(value) <= 500:
        return value
    return ""
