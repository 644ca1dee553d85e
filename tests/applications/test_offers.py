"""Offers: what the offer form refuses, and a second record revising the first."""

import pytest

from applications import services
from applications.models import Offer


@pytest.mark.parametrize(
    ("data", "message"),
    [({"amount": "-5"}, "greater than or equal to 0"), ({"deadline": "2020-01-01"}, "has passed")],
)
def test_an_offer_with_a_negative_amount_or_a_passed_deadline_is_refused(
    logged_in, application, data, message
):
    response = logged_in.post(f"/applications/{application.pk}/offer/", {"currency": "EUR", **data})
    assert message in response.content.decode()
    assert not Offer.objects.exists()


def test_recording_the_offer_twice_revises_it(application):
    services.offer_record(offer=Offer(application=application, amount=50000))
    services.offer_record(offer=Offer(application=application, amount=55000))
    assert list(Offer.objects.values_list("amount", flat=True)) == [55000]
