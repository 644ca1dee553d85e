"""Trigram indexes for the admin's search (PostgreSQL only; a no-op elsewhere).

The admin searches with `icontains`, which PostgreSQL runs as `UPPER(col::text) LIKE
UPPER('%term%')`: each index is on that very expression, with pg_trgm's operator class, so a
search over 100,000 applications reads the index instead of every row. The extension is
enabled where the database user may (it is a trusted extension from PostgreSQL 13); where it
cannot be, the indexes are left out and search still works, only slower.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

# (index name, table, column): the columns the recruiter's lists search.
INDEXES = [
    ("application_company_trgm", "applications_application", "company"),
    ("application_job_title_trgm", "applications_application", "job_title"),
    ("user_display_name_trgm", "accounts_user", "display_name"),
    ("user_email_trgm", "accounts_user", "email"),
    ("message_subject_trgm", "messaging_message", "subject"),
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning("pg_trgm is not available (%s); search runs without its indexes.", error)
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_user_phone"),
        ("applications", "0010_currency_only_beside_an_amount"),
        ("messaging", "0004_outbox_carries_users_messages"),
    ]

    operations = [migrations.RunPython(create, drop)]
