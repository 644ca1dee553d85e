"""The table the shared cache falls back to while Redis is away (config/cache.py)."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

from config.cache import FALLBACK_TABLE


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, FALLBACK_TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(FALLBACK_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_remove_user_pages_version")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
