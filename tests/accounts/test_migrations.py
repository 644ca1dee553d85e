"""Data migrations of accounts, run forwards on rows saved before them."""

BEFORE = ("accounts", "0006_display_name_one_line")
AFTER = ("accounts", "0007_display_name_one_line_data")


def test_names_saved_with_line_breaks_become_one_line(migrate, alice, bob):
    # Saved before the rule (as the attack did), straight to the table.
    type(alice).objects.filter(pk=alice.pk).update(display_name="Alice\r\nBcc: x@example.com")
    type(bob).objects.filter(pk=bob.pk).update(display_name="Bob  Stone")
    migrate(BEFORE)
    migrate(AFTER)
    alice.refresh_from_db(fields=["display_name"])
    bob.refresh_from_db(fields=["display_name"])
    assert alice.display_name == "Alice Bcc: x@example.com"
    assert bob.display_name == "Bob  Stone", "a name without control characters is left alone"


def test_each_user_starts_with_the_currency_of_where_they_live(migrate, alice, bob):
    type(bob).objects.filter(pk=bob.pk).update(time_zone="Europe/London")
    migrate(AFTER)
    migrate(("accounts", "0008_user_currency"))
    alice.refresh_from_db(fields=["currency"])
    bob.refresh_from_db(fields=["currency"])
    assert (alice.currency, bob.currency) == ("EUR", "GBP"), "Paris: euros; London: pounds"
