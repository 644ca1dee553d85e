"""Saving an edit form that may be stale: the one rule for every edit form of the pipeline.

An edit form carries, in a hidden `seen` field, a short digest of each of its fields as the
form showed them. On save, with the row locked, each field falls in one of four cases:

- what you typed is what is saved now: nothing to do;
- the saved value is still the one the form showed: yours is written;
- you left the field as the form showed it, and it was changed meanwhile: theirs is kept;
- both changed it, differently: a clash. Nothing is saved; the form comes back with your
  input, each clash shown as “saved meanwhile” against “yours”, and a fresh `seen`, so that
  saving again keeps yours, knowingly.

A form without a (readable) `seen` has seen nothing: every field it would change is a clash.
See docs/editing.md.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

SEEN = "seen"


def canonical(value) -> str:
    """One spelling of a value, the same whether it came from a form or from the database."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return "\x1f".join(sorted({canonical(item) for item in value}))
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, datetime.datetime):
        return (
            value.astimezone(datetime.UTC).isoformat() if timezone.is_aware(value) else str(value)
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def digest(value) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()[:16]


def _is_tags(model_field) -> bool:
    return model_field.many_to_many and model_field.related_model._meta.model_name == "tag"


def current_values(instance: models.Model, names) -> dict:
    """The saved values of `names`; a relation to many is its list of rows (tags: their names,
    as the form types them). An unsaved instance has no related rows yet."""
    values = {}
    for name in names:
        model_field = instance._meta.get_field(name)
        if not model_field.many_to_many:
            values[name] = getattr(instance, name)
        elif instance.pk is None:
            values[name] = []
        elif _is_tags(model_field):
            values[name] = [tag.name for tag in getattr(instance, name).all()]
        else:
            values[name] = list(getattr(instance, name).all())
    return values


def fingerprint(instance: models.Model, names) -> str:
    """What goes in the form's hidden `seen` field."""
    return json.dumps(
        {name: digest(value) for name, value in current_values(instance, names).items()},
        separators=(",", ":"),
    )


def read_fingerprint(text: str | None) -> dict[str, str]:
    """The `seen` a form sent back; anything unreadable counts as having seen nothing."""
    try:
        seen = json.loads(text or "")
    except ValueError:
        return {}
    if not isinstance(seen, dict):
        return {}
    return {str(name): value for name, value in seen.items() if isinstance(value, str)}


def shown(instance: models.Model, name: str, value) -> str:
    """A value as the conflict message shows it."""
    model_field = instance._meta.get_field(name)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ", ".join(sorted(str(item) for item in value)) or "(none)"
    if value in (None, ""):
        return "(empty)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "D j M Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "D j M Y")
    return str(value)


@dataclass
class Clash:
    name: str
    label: str
    theirs: str
    yours: str


@dataclass
class Edit:
    """What an edit form submits: the values typed (`yours`, by field name) and the digests
    of what the form showed (`seen`). After a save, `kept` names the fields changed meanwhile
    that the save left as they were."""

    yours: dict
    seen: dict[str, str]
    kept: list[str] = field(default_factory=list)


class EditConflict(Exception):
    """The row changed meanwhile in a field the form changed too; nothing was saved."""

    def __init__(self, clashes: list[Clash], kept: list[str], kept_labels: list[str] = ()):
        self.clashes = clashes
        self.kept = kept
        self.kept_labels = list(kept_labels)
        super().__init__("Changed meanwhile: " + ", ".join(clash.label for clash in clashes))


def label(instance: models.Model, name: str) -> str:
    return capfirst(instance._meta.get_field(name).verbose_name)


def reconcile(locked: models.Model, edit: Edit) -> list[str]:
    """The fields to write from `edit` onto `locked` (the row as it is now, locked by the
    caller), or EditConflict. Fills `edit.kept`."""
    theirs = current_values(locked, edit.yours)
    write, kept, clashes = [], [], []
    for name, yours in edit.yours.items():
        now, typed = digest(theirs[name]), digest(yours)
        if typed == now:
            continue
        if edit.seen.get(name) == now:
            write.append(name)
        elif edit.seen.get(name) == typed:
            kept.append(name)
        else:
            clashes.append(
                Clash(
                    name,
                    label(locked, name),
                    shown(locked, name, theirs[name]),
                    shown(locked, name, yours),
                )
            )
    if clashes:
        raise EditConflict(clashes, kept, [label(locked, name).lower() for name in kept])
    edit.kept = kept
    return write


def apply(locked: models.Model, edit: Edit, write: list[str]) -> tuple[list[str], list[str]]:
    """Sets the columns to write on `locked` and checks the row still makes sense as merged
    (a range whose ends were edited apart). Returns (columns, relations to many) to save."""
    columns = [name for name in write if not locked._meta.get_field(name).many_to_many]
    for name in columns:
        setattr(locked, name, edit.yours[name])
    try:
        locked.clean()
    except forms.ValidationError as invalid:
        names = [name for name in getattr(invalid, "error_dict", {}) if name in edit.yours]
        theirs = current_values(type(locked).objects.get(pk=locked.pk), names)
        raise EditConflict(
            [
                Clash(
                    name,
                    label(locked, name),
                    shown(locked, name, theirs[name]),
                    shown(locked, name, edit.yours[name]),
                )
                for name in names
            ],
            edit.kept,
        ) from None
    return columns, [name for name in write if name not in columns]


class EditForm:
    """Mixed into a ModelForm: the hidden `seen` field, and what a conflict does to the form.

    `edit_fields` are the fields compared (by default every field of the model the form has).
    A new row gets `seen` only with `seen_when_new` (an offer: two tabs may record the first
    one at once)."""

    seen_when_new = False

    def add_seen(self) -> None:
        """Called at the end of the form's `__init__`, once its fields are final."""
        if self.instance.pk or self.seen_when_new:
            self.fields[SEEN] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.initial[SEEN] = fingerprint(self.instance, self.edit_fields())

    def edit_fields(self) -> list[str]:
        names = {f.name for f in self.instance._meta.get_fields()}
        return [name for name in self.fields if name in names]

    def edit(self) -> Edit | None:
        """The submitted edit, or None for a new row that needs no comparison."""
        if SEEN not in self.fields:
            return None
        return Edit(
            yours={name: self.cleaned_data[name] for name in self.edit_fields()},
            seen=read_fingerprint(self.cleaned_data.get(SEEN)),
        )

    def show_conflict(self, conflict: EditConflict, current: models.Model) -> None:
        """Draws the form again: your input kept, the fields you did not touch showing what
        is saved now, each clash flagged, and a `seen` of the row as it is now."""
        data = self.data.copy()
        now = type(self)(instance=current, **self.conflict_form_kwargs())
        for name in conflict.kept:
            value = now[name].field.widget.format_value(now[name].value())
            if isinstance(value, list):
                data.setlist(name, value)
            else:
                data[name] = "" if value is None else value
        data[SEEN] = fingerprint(current, self.edit_fields())
        self.data = data
        self.full_clean()
        # The page says what happened above the form (_edit_conflict.html); each clash is
        # also marked on its field.
        for clash in conflict.clashes:
            if clash.name in self.fields:
                self.add_error(
                    clash.name, "Changed meanwhile too: what is saved now is shown above."
                )

    def conflict_form_kwargs(self) -> dict:
        """What this form's constructor needs besides the instance (the user, say)."""
        return {}
