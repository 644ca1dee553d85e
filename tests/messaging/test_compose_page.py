"""The compose page: one id per field, the fields that fit the kind, and no empty name."""

import re
from collections import Counter

from tests.messaging.test_flow import compose_url, draft
from tests.pages import page_text


def test_every_id_on_the_compose_page_is_unique(logged_in, application):
    page = page_text(logged_in, compose_url(application, kind="withdraw"))
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []
    assert 'id="choose_kind"' in page and 'id="id_kind"' in page


def _row(page: str, field: str) -> str:
    """The wrapper of one choice on the page, up to its field."""
    return re.search(rf"<div[^>]*>(?=\s*<div[^>]*id=\"div_choose_{field}\")", page)[0]


def test_a_thank_you_does_not_offer_a_reason(logged_in, application):
    page = page_text(logged_in, compose_url(application, kind="thank_you_interview"))
    assert "hidden" in _row(page, "reason"), "no reason applies to a thank-you"
    withdraw = page_text(logged_in, compose_url(application, kind="withdraw"))
    assert "hidden" not in _row(withdraw, "reason")
    assert 'data-for-kinds="decline_interview withdraw decline_offer"' in withdraw


def test_a_later_interview_asks_for_times_and_puts_them_in(logged_in, application, manager):
    page = page_text(logged_in, compose_url(application, kind="defer_interview"))
    assert "hidden" not in _row(page, "times")
    values = draft(
        logged_in, application, kind="defer_interview", times="Thursday 10:00%0AFriday 14:00"
    )
    assert "Thursday 10:00 or Friday 14:00" in values["body"]


def test_an_acceptance_carries_the_start_date(logged_in, application, manager):
    values = draft(logged_in, application, kind="accept_offer", start_date="Monday 6 April")
    assert "Monday 6 April" in values["body"]


def test_without_a_name_the_page_asks_for_one_and_never_signs_with_the_email(
    logged_in, alice, application, manager
):
    alice.display_name = ""
    alice.save(update_fields=["display_name"])
    page = page_text(logged_in, compose_url(application, kind="withdraw"))
    assert "Add your name to your profile" in page
    values = draft(logged_in, application, kind="withdraw")
    assert alice.email not in values["body"]
    assert "this is ," not in page


def test_the_phone_on_the_profile_is_left_in_the_voicemail(logged_in, alice, application, manager):
    alice.phone = "+44 20 7946 0000"
    alice.save(update_fields=["phone"])
    response = logged_in.get(compose_url(application, kind="withdraw"))
    assert "+44 20 7946 0000" in response.context["voicemail"]


def test_the_profile_takes_a_phone_number_and_refuses_nonsense(logged_in, alice):
    page = page_text(logged_in, "/accounts/profile/")
    assert 'name="phone"' in page
    from tests.accounts.test_profile import PREFERENCES

    bad = logged_in.post("/accounts/profile/", {**PREFERENCES, "phone": "call me maybe"})
    assert bad.status_code == 200 and "Type a phone number" in bad.content.decode()
    logged_in.post("/accounts/profile/", {**PREFERENCES, "phone": "+1 (555) 010-0199"})
    alice.refresh_from_db()
    assert alice.phone == "+1 (555) 010-0199"


def test_the_page_guards_the_users_edits_before_filling_in_again(logged_in, application):
    page = page_text(logged_in, compose_url(application, kind="withdraw"))
    assert "js/compose.js" in page, "the script that asks before replacing an edited draft"
    assert 'id="choose"' in page and "data-refill" in page and 'id="kept-edit"' in page


def test_a_template_greets_a_surname_only_contact_properly(logged_in, alice, application):
    from applications.models import Contact
    from messaging.models import UserTemplate

    contact = Contact.objects.create(owner=alice, name="Dr. Okafor", email="o@acme.example")
    application.contacts.add(contact)
    template = UserTemplate.objects.create(
        owner=alice, kind="withdraw", name="Mine", subject="Hi", body="Hi {contact_first_name},"
    )
    values = draft(logged_in, application, kind="withdraw", template=template.pk)
    assert values["body"] == "Hi Dr. Okafor,"
