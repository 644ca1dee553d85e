"""The two forms of adding from a posting: where to read it from, and the card that shows what
was found, to correct before saving. The card is the typed form (its checks, its duplicate
warning) with the posting's own details added."""

import json
from decimal import Decimal

from django import forms
from django.utils.formats import date_format

from applications.forms import ApplicationForm, DateInput
from applications.models import SALARY_UPSIDE_DOWN
from applications.postings import fetching
from applications.postings.found import PERIODS, Posting
from applications.stages import Stage

MOST_PASTED = fetching.MOST_BYTES


class PostingSourceForm(forms.Form):
    url = forms.CharField(
        label="Link to the posting",
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autofocus": True}),
    )
    page = forms.CharField(
        label="Or paste the page",
        required=False,
        max_length=MOST_PASTED,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For a board that needs you to log in: select all on the posting's page and "
        "paste it here (or paste its HTML source).",
    )
    # JSON-LD blocks sent by the bookmarklet from the page the user was on.
    jsonld = forms.CharField(required=False, max_length=MOST_PASTED, widget=forms.HiddenInput)

    def clean_url(self) -> str:
        return self.cleaned_data["url"].strip()

    def clean_jsonld(self) -> list[str]:
        raw = self.cleaned_data["jsonld"]
        if not raw:
            return []
        try:
            blocks = json.loads(raw)
        except ValueError:
            blocks = None
        if not isinstance(blocks, list) or not all(isinstance(b, str) for b in blocks):
            raise forms.ValidationError(
                "The bookmarklet sent something Bridges could not read; paste the link instead."
            )
        return blocks

    def clean(self):
        cleaned = super().clean()
        given = cleaned.get("url") or cleaned.get("page") or cleaned.get("jsonld")
        if not given and not self.errors:
            raise forms.ValidationError("Paste a link to the posting, or the page itself.")
        return cleaned


class PostingCardForm(ApplicationForm):
    """What the posting says, to correct before saving as a new application."""

    # A posting's figures may have cents (an hourly rate); whole numbers are kept per year.
    salary_min = forms.DecimalField(
        label="Salary from", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    salary_max = forms.DecimalField(
        label="Salary to", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    salary_period = forms.ChoiceField(
        label="Per",
        required=False,
        choices=list(PERIODS.items()),
        help_text="Not yearly? It is kept in the application's history.",
    )
    date_posted = forms.DateField(label="Posted on", required=False, widget=DateInput())
    closes_on = forms.DateField(
        label="Applications close",
        required=False,
        widget=DateInput(),
        help_text="Saved before applying, Bridges reminds you two days before.",
    )
    employment_type = forms.CharField(label="Employment type", required=False, max_length=100)

    class Meta(ApplicationForm.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].widget.attrs.pop("autofocus", None)
        self.fields["salary_currency"].label = "Currency"

    def clean(self):
        cleaned = super().clean()
        self.yearly = cleaned.get("salary_period", "YEAR") in ("YEAR", "")
        self.salary = (cleaned.get("salary_min"), cleaned.get("salary_max"))
        low, high = self.salary
        if not self.yearly and low is not None and high is not None and low > high:
            # A yearly range is checked by the model; another period never reaches it.
            self.add_error("salary_max", SALARY_UPSIDE_DOWN)
        for name, value in zip(("salary_min", "salary_max"), self.salary, strict=True):
            cleaned[name] = _whole(value) if self.yearly and value is not None else None
        # Not yearly: the salary stays in the note, so no currency is kept without it.
        self.currency_said = cleaned.get("salary_currency") or ""
        self.settle_currency(cleaned)
        return cleaned

    def timeline_note(self) -> str:
        """What the posting said that has no field of its own, for the application's history."""
        data = self.cleaned_data
        said = []
        if data.get("date_posted"):
            said.append(f"posted on {date_format(data['date_posted'], 'j F Y')}")
        if data.get("closes_on"):
            said.append(f"applications close on {date_format(data['closes_on'], 'j F Y')}")
        if data.get("employment_type"):
            said.append(data["employment_type"])
        low, high = self.salary
        if not self.yearly and (low is not None or high is not None):
            figures = "\u2013".join(_figure(v) for v in (low, high) if v is not None)
            currency = self.currency_said
            period = PERIODS.get(data.get("salary_period"), "")
            said.append(f"salary {figures} {currency} {period}".replace("  ", " ").strip())
        text = "Added from a job posting."
        return f"{text} The posting says: {'; '.join(said)}." if said else text


def card_data(posting: Posting) -> dict[str, str]:
    """The card's fields as a browser would send them, filled from what the posting said."""
    has_salary = posting.salary_min is not None or posting.salary_max is not None
    return {
        "company": posting.company,
        "job_title": posting.job_title,
        "stage": Stage.SAVED,
        "posting_url": posting.posting_url,
        "location": posting.location,
        "workplace_type": posting.workplace_type,
        "salary_min": _figure(posting.salary_min),
        "salary_max": _figure(posting.salary_max),
        "salary_currency": posting.salary_currency if has_salary else "",
        "salary_period": posting.salary_period or "YEAR",
        "date_posted": posting.date_posted.isoformat() if posting.date_posted else "",
        "closes_on": posting.closes_on.isoformat() if posting.closes_on else "",
        "employment_type": posting.employment_type,
        "job_description": posting.description,
        "source": "",
        "priority": "3",
        "applied_on": "",
        "tags": "",
        "notes": "",
    }


def _figure(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"


def _whole(value: Decimal) -> int:
    return int(value.to_integral_value())
