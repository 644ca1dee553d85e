"""Closing out, as a service: every other process gets its message and ends, the wishlist
closes, and a refusal writes nothing."""

import pytest

from applications import services as pipeline
from applications.models import Application, EndReason
from applications.stages import Stage
from messaging import close_out
from messaging.models import Message, Outbox


@pytest.fixture
def accepted(application):
    pipeline.application_move(application=application, target=Stage.OFFER)
    pipeline.application_move(application=application, target=Stage.ACCEPTED)
    return application


@pytest.fixture
def others(alice, make_application, accepted):
    interviewing = make_application(alice, company="Initech", stage=Stage.INTERVIEWING)
    offered = make_application(alice, company="Globex", stage=Stage.OFFER)
    wish = make_application(alice, company="Hooli", stage=Stage.SAVED)
    return interviewing, offered, wish


def rows_for(accepted, to_email: str = "") -> list[close_out.Row]:
    return [
        close_out.Row(pk, row["subject"], row["body"], to_email)
        for pk, other in close_out.others_under_way(accepted).items()
        for row in [close_out.drafted(other)]
    ]


def stages(applications) -> list[str]:
    return [Application.objects.get(pk=a.pk).stage for a in applications]


def test_copying_logs_each_message_ends_each_process_and_closes_the_wishlist(accepted, others):
    done = close_out.close_out(accepted=accepted, rows=rows_for(accepted), sending=False)
    assert done == close_out.ClosedOut(messages=2, sending=False, wishlist_closed=1)
    assert stages(others) == [Stage.WITHDRAWN, Stage.DECLINED, Stage.CLOSED]
    assert sorted(Message.objects.values_list("kind", flat=True)) == ["decline_offer", "withdraw"]
    assert not Outbox.objects.exists()


def test_sending_records_one_delivery_per_message(accepted, others):
    rows = rows_for(accepted, to_email="hr@example.com")
    done = close_out.close_out(accepted=accepted, rows=rows, sending=True)
    assert (done.messages, done.sending) == (2, True)
    assert Outbox.objects.filter(message__isnull=False).count() == 2


def test_only_the_ticked_rows_are_closed_the_others_stay_open(accepted, others):
    offered = others[1]
    rows = [row for row in rows_for(accepted) if row.application_pk == offered.pk]
    close_out.close_out(accepted=accepted, rows=rows, sending=False)
    assert stages(others[:2]) == [Stage.INTERVIEWING, Stage.DECLINED]


def test_a_process_that_ended_meanwhile_refuses_the_whole_close_out(accepted, others):
    rows = rows_for(accepted)
    pipeline.application_move(
        application=others[0], target=Stage.REJECTED, reason=EndReason.NOT_SELECTED
    )
    with pytest.raises(close_out.CloseOutRefused) as refusal:
        close_out.close_out(accepted=accepted, rows=rows, sending=False)
    assert refusal.value.problems == [close_out.GONE]
    assert not Message.objects.exists()
    assert stages(others[1:]) == [Stage.OFFER, Stage.SAVED], "nothing half done"


def test_sending_needs_every_address(accepted, others):
    with pytest.raises(close_out.CloseOutRefused) as refusal:
        close_out.close_out(accepted=accepted, rows=rows_for(accepted), sending=True)
    assert [p.split(":")[0] for p in refusal.value.problems] == [
        "No email address for Backend Engineer at Globex",
        "No email address for Backend Engineer at Initech",
    ]
    assert not Message.objects.exists()


def test_sending_keeps_to_a_human_pace(accepted, others, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "send_message": "1/h/user"}
    rows = rows_for(accepted, to_email="hr@example.com")
    close_out.close_out(accepted=accepted, rows=rows[:1], sending=True)
    with pytest.raises(close_out.CloseOutRefused) as refusal:
        close_out.close_out(accepted=accepted, rows=rows[1:], sending=True)
    assert refusal.value.problems == [close_out.TOO_FAST]


def test_close_out_follows_an_accepted_offer_only(alice, application, make_application):
    pipeline.application_move(application=application, target=Stage.OFFER)
    other = make_application(alice, company="Initech", stage=Stage.INTERVIEWING)
    row = close_out.Row(other.pk, "Withdrawing", "Thank you.")
    with pytest.raises(close_out.CloseOutRefused):
        close_out.close_out(accepted=application, rows=[row], sending=False)
    assert stages([other]) == [Stage.INTERVIEWING]


# --- The page: it parses, calls the service and renders -------------------------------------


def test_the_page_keeps_the_edits_when_the_service_refuses(
    client, alice, accepted, others, monkeypatch
):
    def refuse(**kwargs):
        raise close_out.CloseOutRefused([close_out.GONE])

    client.force_login(alice)
    url = f"/applications/{accepted.pk}/close-out/"
    forms = client.get(url).context["formset"].forms
    data = {"form-TOTAL_FORMS": len(forms), "form-INITIAL_FORMS": len(forms), "action": "copy"}
    for n, row in enumerate(forms):
        data |= {f"form-{n}-{name}": row[name].value() for name in ("application", "subject")}
        data |= {f"form-{n}-body": "My own words.", f"form-{n}-include": "on"}
    monkeypatch.setattr(close_out, "close_out", refuse)
    response = client.post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert close_out.GONE in page and "My own words." in page
    assert not Message.objects.exists()


def test_a_broken_form_is_refused_with_nothing_written(client, alice, accepted, others):
    client.force_login(alice)
    response = client.post(f"/applications/{accepted.pk}/close-out/", {"action": "send"})
    assert response.status_code == 400
    assert stages(others) == [Stage.INTERVIEWING, Stage.OFFER, Stage.SAVED]
