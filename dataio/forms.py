from django import forms

from dataio import csv_import
from dataio.models import ImportBatch

ACCEPTED_EXTENSIONS = (".csv", ".txt", ".tsv")


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, separated by commas or semicolons, with a header row; up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > csv_import.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB. "
                "Split it into smaller files."
            )
        if not upload.name.lower().endswith(ACCEPTED_EXTENSIONS):
            raise forms.ValidationError(
                "Choose a CSV file (its name ends in .csv). From a spreadsheet, use “Save as” "
                "or “Download” and pick “CSV UTF-8”."
            )
        return upload


class MappingForm(forms.Form):
    """Which field each column fills, how its dates read, and what to do with duplicates."""

    day_first = forms.TypedChoiceField(
        label="Dates such as 03/04/2024 mean",
        choices=[("1", "3 April 2024 (day first)"), ("0", "March 4, 2024 (month first)")],
        coerce=lambda value: value == "1",
    )
    skip_duplicates = forms.BooleanField(
        label="Skip applications I already have (same company and title)", required=False
    )

    def __init__(self, *args, header: list[str], batch: ImportBatch, **kwargs):
        initial = {
            "day_first": "1" if batch.day_first else "0",
            "skip_duplicates": batch.skip_duplicates,
            **{f"column_{i}": batch.mapping.get(str(i), "") for i in range(len(header))},
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.choices = choices = [("", "Ignore this column"), *csv_import.FIELDS.items()]
        self.columns = []
        for index, title in enumerate(header):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=title or f"Column {index + 1}", choices=choices, required=False
            )
            self.columns.append(name)

    def column_fields(self):
        return [self[name] for name in self.columns]

    def column_choices(self) -> list[dict]:
        """What the page draws for each column: its name, label, chosen field and errors.
        Drawn by one loop in the template rather than a widget template per column and
        option, which made a wide file's page slow (up to 200 columns × 12 options)."""
        return [
            {
                "name": bound.html_name,
                "id": bound.auto_id,
                "label": bound.label,
                "value": str(bound.value() or ""),
                "errors": bound.errors,
            }
            for bound in self.column_fields()
        ]

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("column_"): self.cleaned_data[name]
            for name in self.columns
            if self.cleaned_data.get(name)
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for problem in csv_import.mapping_problems(self.mapping()):
                self.add_error(None, problem)
        return cleaned
