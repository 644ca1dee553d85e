"""Reading a CSV file of applications: decoding it, finding its columns, checking each row.

Pure functions, no database: `dataio.services` stores the file between steps and imports the
rows this module has checked. Row numbers are the spreadsheet's: the header is row 1.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from accounts.models import DEFAULT_CURRENCY
from applications.models import EndReason, ended_by_for
from applications.money import currency_beside
from applications.stages import Stage

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# The mapping page draws a choice for every column, and every view of it reads the whole file:
# a file is refused at upload when it is wider, larger or longer than these.
MAX_COLUMNS = 200
MAX_CELLS = 500_000
MAX_CELL_CHARS = 10_000
DELIMITERS = ",;\t"
# csv.Sniffer reads this much of the file at most (it is slow on long lines).
SNIFF_CHARS = 16 * 1024
# How much of a value an error message quotes.
SHOWN_CHARS = 60

# The fields a column can fill, in the order the export writes them.
FIELDS = {
    "company": "Company",
    "job_title": "Title",
    "posting_url": "URL",
    "stage": "Stage",
    "applied_on": "Date applied",
    "salary": "Salary (a range, e.g. 50k-60k EUR)",
    "salary_min": "Salary min",
    "salary_max": "Salary max",
    "salary_currency": "Currency",
    "location": "Location",
    "notes": "Notes",
}

# Header names other trackers and spreadsheets use, after `_normalise`.
HEADER_ALIASES = {
    "company": ["company", "company name", "employer", "organisation", "organization"],
    "job_title": [
        "title",
        "job title",
        "position",
        "position title",
        "role",
        "job",
        "job position",
        "job role",
    ],
    "posting_url": [
        "url",
        "link",
        "job url",
        "job link",
        "posting url",
        "job posting url",
        "job posting",
        "posting",
        "listing url",
    ],
    "stage": ["status", "stage", "application status", "state"],
    "applied_on": [
        "date applied",
        "applied",
        "applied on",
        "applied date",
        "application date",
        "date of application",
        "date",
    ],
    "salary": ["salary", "salary range", "compensation", "pay"],
    "salary_min": ["salary min", "min salary", "minimum salary", "salary from"],
    "salary_max": ["salary max", "max salary", "maximum salary", "salary to"],
    "salary_currency": ["currency", "salary currency"],
    "location": ["location", "city", "place"],
    "notes": ["notes", "note", "comments", "comment"],
}

# Status names from other trackers: the stage, and the end reason where the name says one.
STAGE_ALIASES: dict[str, tuple[Stage, str]] = {
    **{name: (Stage.SAVED, "") for name in ("wishlist", "wish list", "bookmarked", "interested")},
    **{name: (Stage.SAVED, "") for name in ("to apply", "planned", "draft")},
    **{name: (Stage.APPLIED, "") for name in ("submitted", "application sent", "sent", "pending")},
    **{name: (Stage.APPLIED, "") for name in ("in review", "under review")},
    **{name: (Stage.SCREENING, "") for name in ("phone screen", "screen", "recruiter call")},
    **{name: (Stage.SCREENING, "") for name in ("recruiter screen", "phone interview")},
    **{name: (Stage.INTERVIEWING, "") for name in ("interview", "interviews", "onsite")},
    **{
        name: (Stage.INTERVIEWING, "") for name in ("on site", "final round", "technical interview")
    },
    **{name: (Stage.OFFER, "") for name in ("offered", "offer received")},
    **{name: (Stage.ACCEPTED, "") for name in ("hired", "offer accepted")},
    **{name: (Stage.DECLINED, "") for name in ("offer declined", "turned down")},
    **{name: (Stage.WITHDRAWN, "") for name in ("withdrew", "withdraw")},
    **{name: (Stage.REJECTED, "") for name in ("rejection", "not selected", "unsuccessful")},
    **{name: (Stage.CLOSED, EndReason.NO_RESPONSE) for name in ("ghosted", "no response")},
    "no answer": (Stage.CLOSED, EndReason.NO_RESPONSE),
}
for _stage in Stage:
    STAGE_ALIASES[_stage.value] = (_stage, "")
    STAGE_ALIASES[_stage.label.lower()] = (_stage, "")

CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "₣": "CHF"}
# A spreadsheet shows a cell starting with one of these as a formula; the export prefixes it
# with an apostrophe (which spreadsheets hide), and the import takes the apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@")
_MAX_LENGTHS = {"company": 200, "job_title": 200, "location": 200}
_MAX_SALARY = 100_000_000
_url_validator = URLValidator(schemes=["http", "https"])


class ImportFileError(Exception):
    """The file cannot be read as CSV; the message tells the user what to do."""


# --- The file -----------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text: UTF-8, with or without a byte-order mark; anything else is refused."""
    if not data.strip():
        raise ImportFileError("The file is empty.")
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportFileError(
            "This is a spreadsheet workbook (Excel or similar), not a CSV file. In your "
            "spreadsheet, use “Save as” or “Download” and choose “CSV UTF-8”."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError("This file is UTF-16 text. Save it again as “CSV UTF-8”.")
    if b"\x00" in data[:65536]:
        raise ImportFileError("This is a binary file, not a CSV (text) file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"The file is not UTF-8 text (the first bad character is on line {line}). "
            "Save it again as “CSV UTF-8”; most spreadsheets offer it under “Save as”."
        ) from exc
    if "\x00" in text or re.search(r"[\x01-\x08\x0e-\x1f]", text[:65536]):
        raise ImportFileError("This is a binary file, not a CSV (text) file.")
    return text


def detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab: csv.Sniffer's guess on the first lines, checked against the
    header line; a file whose header holds none of them has one column (comma)."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    sample = "\n".join(sample.splitlines()[:50])
    header = text.partition("\n")[0]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter not in tuple(DELIMITERS) or delimiter not in header:
        # The header names the columns, so it holds the delimiter more often than anything.
        counts = {d: header.count(d) for d in DELIMITERS}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    return delimiter


def read(text: str, delimiter: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows, each with its row number; blank rows are left out.

    Read record by record, so a file too wide (the header is checked first), too long or with
    too many cells is refused as soon as it shows it, without reading the rest."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0  # the last record read (the header is row 1)
    rows: list[tuple[int, list[str]]] = []
    try:
        record = next(reader, None)
        if record is None or not any(cell.strip() for cell in record):
            raise ImportFileError("The file has no header row naming its columns.")
        number = 1
        _check_record(number, record)
        header = [cell.strip() for cell in record]
        cells = len(record)
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            _check_record(number, record)
            cells += len(record)
            if cells > MAX_CELLS:
                raise ImportFileError(
                    f"The file has more than {MAX_CELLS:,} cells (rows × columns); Bridges "
                    "reads up to that many at a time. Delete the columns you do not need, or "
                    "split it into smaller files."
                )
            if len(rows) == MAX_ROWS:
                raise ImportFileError(
                    f"The file has more than {MAX_ROWS:,} rows; Bridges imports up to "
                    f"{MAX_ROWS:,} at a time. Split it into smaller files."
                )
            rows.append((number, record))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(_long_cell(number + 1)) from exc
        raise ImportFileError(f"The file is not valid CSV: {exc}.") from exc
    if not rows:
        raise ImportFileError("The file has a header but no rows of data.")
    return header, rows


def _check_record(number: int, record: list[str]) -> None:
    if len(record) > MAX_COLUMNS:
        where = "The header row" if number == 1 else f"Row {number}"
        raise ImportFileError(
            f"{where} has {len(record):,} columns; Bridges reads up to {MAX_COLUMNS}. Delete "
            "the columns you do not need (keep at least the company and the title) and save "
            "the file again."
        )
    if any(len(cell) > MAX_CELL_CHARS for cell in record):
        raise ImportFileError(_long_cell(number))


def _long_cell(number: int) -> str:
    where = "the header row" if number == 1 else f"row {number}"
    return (
        f"A cell in {where} is longer than {MAX_CELL_CHARS:,} characters; Bridges keeps up "
        "to that many in a cell. Shorten it, or check that the file is a CSV file."
    )


def shown(value: str) -> str:
    """A value as an error message quotes it: long ones cut short."""
    return value if len(value) <= SHOWN_CHARS else value[: SHOWN_CHARS - 1] + "…"


def _normalise(header: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", header.lower()).split())


def guess_mapping(header: list[str]) -> dict[str, str]:
    """{column index: field} for the columns whose names Bridges recognises."""
    by_alias = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
    mapping: dict[str, str] = {}
    for index, title in enumerate(header):
        name = by_alias.get(_normalise(title))
        if name and name not in mapping.values():
            mapping[str(index)] = name
    return mapping


def guess_day_first(rows: Iterable[tuple[int, list[str]]], column: int | None) -> bool:
    """Whether dates like 03/04/2024 are day-first: a day above 12 in either place decides;
    with nothing to go by, day-first (most of the world)."""
    if column is None:
        return True
    for _, row in rows:
        match = _NUMERIC_DATE.match(row[column].strip()) if column < len(row) else None
        if match:
            first, second = int(match["a"]), int(match["b"])
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return True


# --- One value ------------------------------------------------------------------------------


_ISO_DATE = re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$")
_NUMERIC_DATE = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})$"
)
_NAMED_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d-%B-%Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%a, %d %b %Y",
    "%A, %B %d, %Y",
)


def parse_date(value: str, *, day_first: bool, today: datetime.date) -> datetime.date:
    """A date in one of the common forms (ISO, day/month/year or month/day/year as the file
    says, with month names in English, or an ISO date-time); ValueError says what is wrong."""
    value = value.strip()
    date = _try_parse_date(value, day_first)
    if date is None:
        order = "31/12/2024" if day_first else "12/31/2024"
        raise ValueError(
            f"“{shown(value)}” is not a date Bridges understands; use e.g. 2024-12-31, {order} "
            "or 31 Dec 2024."
        )
    if date > today + datetime.timedelta(days=1):
        raise ValueError(f"{date:%Y-%m-%d} is in the future; it cannot be the date you applied.")
    if date.year < 1990:
        raise ValueError(f"{date:%Y-%m-%d} is before 1990; it cannot be the date you applied.")
    return date


def _try_parse_date(value: str, day_first: bool) -> datetime.date | None:
    try:
        if match := _ISO_DATE.match(value):
            return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        if match := _NUMERIC_DATE.match(value):
            first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
            if year < 100:
                year += 2000
            day, month = (first, second) if day_first else (second, first)
            return datetime.date(year, month, day)
    except ValueError:
        return None
    for form in _NAMED_FORMATS:
        try:
            return datetime.datetime.strptime(value, form).date()
        except ValueError:
            continue
    if "T" in value or " " in value:
        try:
            return datetime.datetime.fromisoformat(value).date()
        except ValueError:
            return None
    return None


def parse_stage(value: str) -> tuple[Stage, str]:
    stage = STAGE_ALIASES.get(_normalise(value))
    if stage is None:
        known = ", ".join(s.label for s in Stage)
        raise ValueError(f"“{shown(value)}” is not a stage Bridges knows. The stages are: {known}.")
    return stage


_AMOUNT = re.compile(r"\d[\d,.' \u00a0\u202f]*\d|\d")
_THOUSANDS = re.compile(r"^\d{1,3}([,.' \u00a0\u202f]\d{3})+$")


def _amount(number: str, thousands: bool) -> int:
    try:
        if _THOUSANDS.match(number):
            value = float(re.sub(r"[,.' \u00a0\u202f]", "", number))
        else:
            value = float(number.replace(",", "."))
    except ValueError as exc:
        raise ValueError(f"“{shown(number)}” is not an amount.") from exc
    value *= 1000 if thousands else 1
    if value > _MAX_SALARY:
        raise ValueError(f"{shown(number)} is too large for a salary.")
    return int(value)


def parse_salary(value: str) -> tuple[int | None, int | None, str]:
    """A salary or range such as “50000”, “€50k to 60k”, “50,000 - 60,000 USD”: (min, max,
    currency code or "")."""
    text = value.strip()
    currency = ""
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in text:
            currency, text = code, text.replace(symbol, " ")
    code = re.search(r"\b([A-Za-z]{3})\b", text)
    if code and code[1].lower() not in ("per", "and", "the"):
        currency = code[1].upper()
        text = text.replace(code[1], " ")
    amounts = [
        _amount(match[0].strip(" '\u00a0\u202f"), text[match.end() :].lstrip()[:1] in ("k", "K"))
        for match in _AMOUNT.finditer(text)
    ]
    if not amounts or len(amounts) > 2:
        raise ValueError(f"“{shown(value)}” is not a salary or a range such as 50000-60000 EUR.")
    low, high = amounts[0], amounts[-1]
    if low > high:
        raise ValueError(f"In “{shown(value)}” the top of the range is below its bottom.")
    return low, high, currency


def parse_amount(value: str) -> int:
    low, high, _ = parse_salary(value)
    if low != high:
        raise ValueError(f"“{shown(value)}” should be one amount.")
    return low


def parse_currency(value: str) -> str:
    value = value.strip()
    code = CURRENCY_SYMBOLS.get(value, value.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(
            f"“{shown(value)}” is not a currency; use a three-letter code such as EUR."
        )
    return code


def parse_url(value: str) -> str:
    url = value.strip()
    if "://" not in url:
        url = "https://" + url
    if len(url) > 500:
        raise ValueError("The URL is longer than 500 characters.")
    try:
        _url_validator(url)
    except ValidationError as exc:
        raise ValueError(f"“{shown(value)}” is not a web address.") from exc
    return url


def unescape_formula(value: str) -> str:
    """Takes off the apostrophe the export puts before a value a spreadsheet would run."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


# --- One row --------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    duplicate: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return duplicate_key(self.values.get("company", ""), self.values.get("job_title", ""))


def duplicate_key(company: str, job_title: str) -> tuple[str, str]:
    return (" ".join(company.casefold().split()), " ".join(job_title.casefold().split()))


def check_row(
    number: int,
    cells: list[str],
    mapping: dict[str, str],
    *,
    day_first: bool,
    today,
    currency: str = DEFAULT_CURRENCY,
) -> Row:
    """The row's values for an Application, or the errors that keep it out. A salary that
    names no currency is in `currency` (the user's own)."""
    row = Row(number)
    raw = {
        name: unescape_formula(cells[int(index)].strip())
        for index, name in mapping.items()
        if int(index) < len(cells)
    }
    for name, label in (("company", "the company"), ("job_title", "the title")):
        value = " ".join(raw.get(name, "").split())
        if not value:
            row.errors.append(f"{label.capitalize()} is missing.")
        elif len(value) > _MAX_LENGTHS[name]:
            row.errors.append(
                f"{label.capitalize()} is longer than {_MAX_LENGTHS[name]} characters."
            )
        row.values[name] = value
    location = raw.get("location", "")
    if len(location) > _MAX_LENGTHS["location"]:
        row.errors.append("The location is longer than 200 characters.")
    row.values["location"] = location
    row.values["notes"] = raw.get("notes", "")
    parsers: list[tuple[str, Callable]] = [
        ("posting_url", parse_url),
        ("applied_on", lambda v: parse_date(v, day_first=day_first, today=today)),
        ("stage", parse_stage),
        ("salary", parse_salary),
        ("salary_min", parse_amount),
        ("salary_max", parse_amount),
        ("salary_currency", parse_currency),
    ]
    parsed = {}
    for name, parse in parsers:
        if raw.get(name):
            try:
                parsed[name] = parse(raw[name])
            except ValueError as exc:
                row.errors.append(str(exc))
    row.values["posting_url"] = parsed.get("posting_url", "")
    row.values["applied_on"] = parsed.get("applied_on")
    _set_stage(row, parsed.get("stage"))
    _set_salary(row, parsed, currency)
    return row


def _set_stage(row: Row, parsed: tuple[Stage, str] | None) -> None:
    if parsed is None:
        parsed = (Stage.APPLIED if row.values["applied_on"] else Stage.SAVED, "")
    stage, reason = parsed
    if stage in (Stage.DECLINED, Stage.WITHDRAWN, Stage.REJECTED, Stage.CLOSED) and not reason:
        reason = EndReason.NO_REASON
    row.values["stage"] = stage
    row.values["end_reason"] = reason
    row.values["ended_by"] = (
        ended_by_for(stage, reason) if reason or stage == Stage.ACCEPTED else ""
    )


def _set_salary(row: Row, parsed: dict, default_currency: str) -> None:
    low, high, currency = parsed.get("salary", (None, None, ""))
    low = parsed.get("salary_min", low)
    high = parsed.get("salary_max", high)
    currency = currency_beside(
        (low, high), parsed.get("salary_currency", currency), default_currency
    )
    if low is not None and high is not None and low > high:
        row.errors.append("The top of the salary range is below its bottom.")
    row.values.update(salary_min=low, salary_max=high, salary_currency=currency)


@dataclass
class Checked:
    rows: list[Row]
    total: int

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(row.number, error) for row in self.rows for error in row.errors]

    @property
    def duplicates(self) -> list[Row]:
        return [row for row in self.rows if row.duplicate]


def check_rows(
    rows: list[tuple[int, list[str]]],
    mapping: dict[str, str],
    *,
    day_first: bool,
    existing: set[tuple[str, str]],
    today: datetime.date,
    currency: str = DEFAULT_CURRENCY,
    on_progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> Checked:
    """Every row checked (a salary without a currency in `currency`); duplicates of
    `existing` (company, title) or of an earlier row are marked."""
    checked: list[Row] = []
    seen: dict[tuple[str, str], int] = {}
    for position, (number, cells) in enumerate(rows, start=1):
        row = check_row(number, cells, mapping, day_first=day_first, today=today, currency=currency)
        if not row.errors:
            if row.key in existing:
                row.duplicate = "You already have this application."
            elif row.key in seen:
                row.duplicate = f"Same company and title as row {seen[row.key]}."
            else:
                seen[row.key] = number
        checked.append(row)
        if on_progress and position % every == 0:
            on_progress(position)
    return Checked(checked, len(rows))


def mapping_problems(mapping: dict[str, str]) -> list[str]:
    fields = list(mapping.values())
    problems = [
        f"{FIELDS[name]} is chosen for more than one column."
        for name in FIELDS
        if fields.count(name) > 1
    ]
    for name in ("company", "job_title"):
        if name not in fields:
            problems.append(f"Choose the column that holds the {FIELDS[name].lower()}.")
    return problems
