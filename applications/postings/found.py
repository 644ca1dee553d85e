"""What a posting page told us: one `Posting` per job, and the `Reading` of a whole page."""

import dataclasses
import datetime
from decimal import Decimal, InvalidOperation

# Where a posting's details came from, best first. A guess (a page's title and Open Graph
# tags) names the page rather than the job: the card asks the user to check it.
JSON_LD = "json-ld"
MICRODATA = "microdata"
GUESS = "guess"
TEXT = "text"

# Salary periods as schema.org's unitText names them, with how the card says them.
PERIODS = {
    "YEAR": "a year",
    "MONTH": "a month",
    "WEEK": "a week",
    "DAY": "a day",
    "HOUR": "an hour",
}


@dataclasses.dataclass
class Posting:
    job_title: str = ""
    company: str = ""
    location: str = ""
    workplace_type: str = ""  # an applications.models.WorkplaceType value, or ""
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_currency: str = ""
    salary_period: str = ""  # a key of PERIODS, or ""
    posting_url: str = ""
    date_posted: datetime.date | None = None
    closes_on: datetime.date | None = None
    employment_type: str = ""
    description: str = ""
    source: str = ""

    @property
    def is_guess(self) -> bool:
        return self.source in (GUESS, TEXT)

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        company = f" at {self.company}" if self.company else ""
        return f"{self.job_title or 'Untitled posting'}{company}{where}"

    def to_json(self) -> dict:
        """Plain JSON values, for carrying a page's other postings in a signed form field."""
        data = dataclasses.asdict(self)
        for name, value in data.items():
            if isinstance(value, Decimal | datetime.date):
                data[name] = str(value)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Posting":
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values = {}
        for name, value in data.items():
            if name not in fields or value in (None, ""):
                continue
            if name in ("salary_min", "salary_max"):
                try:
                    value = Decimal(value)
                except InvalidOperation:
                    continue
            elif name in ("date_posted", "closes_on"):
                value = datetime.date.fromisoformat(value)
            values[name] = value
        return cls(**values)


@dataclasses.dataclass
class Reading:
    """What was found on one page: its postings (none, one, or several), the address it was
    read from, and what went wrong on the way, in words for the user."""

    url: str = ""
    postings: list[Posting] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.postings)
