from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0006_display_name_one_line")]
AFTER = [("accounts", "0007_display_name_one_line_data")]


def test_names_saved_with_line_breaks_become_one_line(alice, bob):
    # Saved before the rule (as the attack did), straight to the table.
    type(alice).objects.filter(pk=alice.pk).update(display_name="Alice\r\nBcc: x@example.com")
    type(bob).objects.filter(pk=bob.pk).update(display_name="Bob  Stone")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    to_the_latest(executor)
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.display_name == "Alice Bcc: x@example.com"
    assert bob.display_name == "Bob  Stone", "a name without control characters is left alone"


def test_each_user_starts_with_the_currency_of_where_they_live(alice, bob):
    type(bob).objects.filter(pk=bob.pk).update(time_zone="Europe/London")
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0007_display_name_one_line_data")])
    executor.loader.build_graph()
    executor.migrate([("accounts", "0008_user_currency")])
    to_the_latest(executor)
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.currency, bob.currency) == ("EUR", "GBP"), "Paris: euros; London: pounds"


def to_the_latest(executor) -> None:
    """Back to the latest schema, so the current model (with later fields) can read the rows
    and the tests after this one find the tables they expect."""
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("accounts"))
