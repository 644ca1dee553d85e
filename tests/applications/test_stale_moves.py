"""A move names the stage it is from: a stale board never moves, and never reopens, an
application that moved meanwhile."""

import pytest
from django.test import Client

from applications import services
from applications.models import Application, TimelineEvent
from applications.stages import MoveNotAllowed, Stage
from tests.pages import page_text
from tests.threads import at_once

Kind = TimelineEvent.Kind


def move(client, application, stage, from_stage, **data):
    return client.post(
        f"/applications/{application.pk}/move/",
        {"stage": stage, "from": from_stage, **data},
        HTTP_HX_REQUEST="true",
    )


def test_a_drag_from_a_column_the_card_has_left_is_refused(logged_in, application):
    assert move(logged_in, application, "screening", "applied").status_code == 200

    stale = move(logged_in, application, "interviewing", "applied")

    assert stale.status_code == 409
    assert stale.content.decode() == (
        "It moved meanwhile: it is at Screening now, not Applied. Nothing was changed; choose again."
    )
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING


def test_a_stale_drag_never_reopens_an_ended_application(logged_in, alice, make_application):
    application = make_application(alice, stage=Stage.INTERVIEWING)
    # Meanwhile, in another tab: the employer said no.
    services.application_move(application=application, target=Stage.REJECTED, reason="not_selected")

    stale = move(logged_in, application, "offer", "interviewing")

    assert stale.status_code == 409
    assert "it is at Rejected now, not Interviewing" in stale.content.decode()
    application.refresh_from_db()
    assert (application.stage, application.end_reason) == (Stage.REJECTED, "not_selected")
    assert not application.events.filter(kind=Kind.REOPENED).exists()


def test_a_move_that_names_no_stage_is_refused(logged_in, application):
    response = logged_in.post(f"/applications/{application.pk}/move/", {"stage": "screening"})
    assert response.status_code == 200
    assert "does not say which stage it is from" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_the_service_reopens_only_when_asked(application):
    services.application_move(application=application, target=Stage.REJECTED, reason="no_reason")
    with pytest.raises(MoveNotAllowed, match="Reopen it from its page"):
        services.application_move(application=application, target=Stage.INTERVIEWING)
    with pytest.raises(MoveNotAllowed, match="it is at Rejected now, not Applied"):
        services.application_move(
            application=application, target=Stage.INTERVIEWING, from_stage=Stage.APPLIED
        )
    services.application_move(
        application=application, target=Stage.INTERVIEWING, from_stage=Stage.REJECTED
    )
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEWING
    assert application.events.first().kind == Kind.REOPENED


def test_the_detail_page_reopens_an_ended_application(logged_in, application):
    services.application_move(application=application, target=Stage.REJECTED, reason="no_reason")
    page = page_text(logged_in, f"/applications/{application.pk}/")
    assert '<input type="hidden" name="from" value="rejected">' in page
    response = logged_in.post(
        f"/applications/{application.pk}/move/", {"stage": "interviewing", "from": "rejected"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEWING


def test_the_move_page_says_the_card_moved_and_moves_from_where_it_is(logged_in, application):
    services.application_move(application=application, target=Stage.SCREENING)
    url = f"/applications/{application.pk}/move/?stage=withdrawn&from=applied"
    page = page_text(logged_in, url)
    assert "It moved meanwhile: it is at Screening now." in page
    assert 'name="from" value="screening"' in page


@pytest.mark.django_db(transaction=True)
def test_of_four_moves_at_once_from_one_column_exactly_one_wins(
    postgresql, alice, make_application
):
    """Four tabs on a board showing the card in Interviewing, all dropped at the same moment:
    an ending, and three drags. One wins; the three others were chosen for a stage the card
    has left, so they are refused; none reopens the application if the ending won."""
    application = make_application(alice, stage=Stage.INTERVIEWING)
    moves = [
        {"stage": "rejected", "reason": "not_selected"},
        {"stage": "offer"},
        {"stage": "screening"},
        {"stage": "offer"},
    ]
    clients = []
    for _ in moves:
        client = Client()
        client.force_login(alice)
        clients.append(client)
    answers = at_once(
        [
            lambda n=n: move(clients[n], application, from_stage="interviewing", **moves[n])
            for n in range(len(moves))
        ]
    )

    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200, 409, 409, 409]
    winner = moves[[answer.status_code for answer in answers].index(200)]["stage"]
    application = Application.objects.get(pk=application.pk)
    assert application.stage == winner
    events = application.events.exclude(kind=Kind.CREATED)
    assert list(events.values_list("kind", flat=True)) == [Kind.STAGE_MOVED]


def test_an_invitation_read_from_a_stale_page_never_moves_back(application):
    stale = Application.objects.get(pk=application.pk)
    services.application_move(application=application, target=Stage.OFFER)
    services.application_record_invitation(application=stale, to_interview=True)
    application.refresh_from_db()
    assert application.stage == Stage.OFFER
