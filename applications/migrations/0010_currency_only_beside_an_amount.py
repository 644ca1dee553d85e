"""A currency is written only beside an amount: new rows get none by default, and the EUR
that rows without a salary (or an offer without an amount) were given is cleared."""

import django.core.validators
from django.db import migrations, models


def clear_currency_without_amount(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Offer = apps.get_model("applications", "Offer")
    Application.objects.filter(salary_min__isnull=True, salary_max__isnull=True).exclude(
        salary_currency=""
    ).update(salary_currency="")
    Offer.objects.filter(amount__isnull=True).exclude(currency="").update(currency="")


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0009_application_submission"),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="salary_currency",
            field=models.CharField(
                blank=True,
                default="",
                max_length=3,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z]{3}$", "Use a three-letter currency code such as EUR, USD or GBP."
                    )
                ],
            ),
        ),
        migrations.AlterField(
            model_name="offer",
            name="currency",
            field=models.CharField(
                blank=True,
                default="",
                max_length=3,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z]{3}$", "Use a three-letter currency code such as EUR, USD or GBP."
                    )
                ],
            ),
        ),
        migrations.RunPython(clear_currency_without_amount, migrations.RunPython.noop),
    ]
