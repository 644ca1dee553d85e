"""Names saved before display names had to be one line: each run of line breaks, tabs or other
control characters becomes one space, so every name passes the new rule."""

import re
import unicodedata

from django.db import migrations


def _breaking(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def _one_line(name: str) -> str:
    if not any(_breaking(char) for char in name):
        return name
    spaced = "".join(" " if _breaking(char) else char for char in name)
    return re.sub(r" {2,}", " ", spaced).strip()


def clean_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(display_name="").only("pk", "display_name").iterator():
        cleaned = _one_line(user.display_name)
        if cleaned != user.display_name:
            User.objects.filter(pk=user.pk).update(display_name=cleaned)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_display_name_one_line")]

    operations = [migrations.RunPython(clean_names, migrations.RunPython.noop)]
