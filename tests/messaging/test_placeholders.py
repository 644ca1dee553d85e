"""User templates are substituted safely, whatever is typed into them."""

import pytest
from django.core.exceptions import ValidationError

from messaging.models import UserTemplate
from messaging.placeholders import PLACEHOLDERS, substitute, unknown_placeholders

VALUES = {name: f"<{name}>" for name in PLACEHOLDERS} | {"company": "Acme"}


def test_known_placeholders_are_filled_in():
    assert substitute("Dear {contact_name} at {company}", VALUES) == "Dear <contact_name> at Acme"


@pytest.mark.parametrize(
    "hostile",
    [
        "{company.__class__}",
        "{company.__class__.__mro__[1].__subclasses__}",
        "{company:>99999999}",
        "{company!r}",
        "{0}",
        "{}",
        "{% load static %}{% debug %}",
        "{{ request.user.password }}",
        "{{company}}",
    ],
)
def test_hostile_templates_stay_inert_text(hostile):
    result = substitute(f"Hi {hostile}", VALUES)
    assert len(result) < 200, "no format spec may inflate the text"
    assert "class" not in result or hostile in result
    assert "password" not in result or hostile in result


@pytest.mark.parametrize(
    "hostile", ["{company.__class__}", "{company:>9}", "{x}", "{% debug %}", "{0}"]
)
def test_anything_between_braces_that_is_not_a_placeholder_is_reported(hostile):
    assert unknown_placeholders(f"Hello {hostile}") != []


def test_values_go_in_as_plain_text_not_markup_or_placeholders():
    values = {"company": "<script>alert(1)</script> {your_name}", "your_name": "Sam"}
    result = substitute("{company}", values)
    assert result == "<script>alert(1)</script> {your_name}", "a value is never substituted again"


def test_an_unknown_placeholder_is_refused_at_save_with_the_list(alice):
    template = UserTemplate(
        owner=alice, kind="withdraw", name="Mine", subject="Hi", body="Hi {boss}"
    )
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    message = str(error.value)
    assert "{boss} is not a placeholder Bridges knows" in message
    assert "{company}" in message and "{reason_sentence}" in message


def test_a_subject_on_two_lines_is_refused(alice):
    template = UserTemplate(
        owner=alice, kind="withdraw", name="Mine", subject="Hi\nBcc: victim@example.com", body="x"
    )
    with pytest.raises(ValidationError, match="one line"):
        template.full_clean()


def test_doubled_braces_are_refused_at_save(alice):
    template = UserTemplate(
        owner=alice, kind="withdraw", name="T", subject="Hi", body="Dear {{company}}"
    )
    with pytest.raises(ValidationError, match="not a placeholder"):
        template.full_clean()
