"""Writing a message on an application, and each way of sending it, end to end."""

import re

import pytest
from django.core import mail

from applications import services as pipeline
from applications.models import Application, TimelineEvent
from applications.stages import Stage
from messaging.models import Message, UserTemplate
from tests.pages import page_text


def compose_url(application, **params) -> str:
    """The compose page as its own form submits it (every choice given; `filled` marks that)."""
    params = {"filled": 1, **params} if params else params
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/applications/{application.pk}/messages/new/" + (f"?{query}" if query else "")


def draft(logged_in, application, **params) -> dict:
    """The draft form's initial values, as the compose page fills them in."""
    form = logged_in.get(compose_url(application, **params)).context["draft_form"]
    fields = ("kind", "tone", "reason", "to_email", "subject", "body", "draft_id", "call_script")
    return {name: form[name].value() or "" for name in fields}


def send(logged_in, application, action, **data):
    return logged_in.post(
        f"/applications/{application.pk}/messages/send/", {**data, "action": action}
    )


def test_the_fitting_messages_come_first(logged_in, application):
    pipeline.application_move(application=application, target=Stage.OFFER)
    page = page_text(logged_in, compose_url(application))
    fitting = page.index('label="Fits this stage"')
    others = page.index('label="Other messages"')
    assert fitting < page.index("Accept the offer") < page.index("Decline the offer") < others
    assert others < page.index("Thank you after an interview"), "the others stay reachable"


def test_the_draft_is_filled_in_from_the_application(logged_in, application, manager):
    values = draft(logged_in, application, kind="withdraw", reason="location", tone="formal")
    assert values["to_email"] == "priya@acme.example"
    assert values["body"].startswith("Dear Priya Nair,")
    assert "Backend Engineer role at Acme" in values["body"]
    assert values["body"].endswith("Alice Martin")


def test_sending_a_decline_emails_the_contact_logs_it_and_ends_the_application(
    logged_in, application, manager
):
    pipeline.application_record_invitation(application=application, to_interview=False)
    values = draft(logged_in, application, kind="decline_interview", reason="other_offer")
    response = send(logged_in, application, "send", **values)
    assert response.url == f"/applications/{application.pk}/"
    email = mail.outbox[0]
    assert (email.to, email.cc, email.reply_to) == (
        ["priya@acme.example"],
        ["alice@example.com"],
        ["alice@example.com"],
    )
    assert email.body == values["body"]
    application.refresh_from_db()
    assert (application.stage, application.end_reason) == (Stage.DECLINED, "other_offer")
    event = application.events.get(kind=TimelineEvent.Kind.MESSAGE_LOGGED)
    assert event.message.channel == "email" and event.message.subject == values["subject"]


def test_the_edited_text_is_what_goes_out(logged_in, application, manager):
    values = draft(logged_in, application, kind="follow_up")
    values["body"] = values["body"].replace("\n\n", "\n\nI hope the launch went well. ", 1)
    send(logged_in, application, "send", **values)
    assert "I hope the launch went well." in mail.outbox[0].body
    assert Message.objects.get().body == values["body"]


def test_a_withdrawal_logged_as_copied_moves_the_application(logged_in, application):
    values = draft(logged_in, application, kind="withdraw", reason="")
    send(logged_in, application, "copy", **values)
    application.refresh_from_db()
    assert (application.stage, application.end_reason) == (Stage.WITHDRAWN, "no_reason")
    assert Message.objects.get().channel == "copied"
    assert not mail.outbox


def test_opening_in_the_mail_app_logs_it_and_offers_a_mailto_link(logged_in, application, manager):
    values = draft(logged_in, application, kind="follow_up")
    response = send(logged_in, application, "mail_app", **values)
    page = page_text(logged_in, response.url)
    link = re.search(r'href="(mailto:[^"]+)"', page)[1]
    assert link.startswith("mailto:priya%40acme.example?subject=")
    assert "Backend%20Engineer" in link.split("&amp;")[0]
    assert "&amp;body=Dear%20Priya%20Nair%2C" in link
    assert Message.objects.get().channel == "mail_app"


def test_i_called_logs_the_call_script(logged_in, application):
    values = draft(logged_in, application, kind="withdraw", reason="personal")
    send(logged_in, application, "call", **values)
    message = Message.objects.get()
    assert message.channel == "call"
    assert message.body.startswith("Introduce yourself:")
    assert "Say your decision plainly" in message.body
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN


def test_sending_with_no_address_keeps_the_draft_and_says_what_to_do(logged_in, application):
    values = draft(logged_in, application, kind="follow_up")
    values["body"] += "\nP.S. my own words"
    response = send(logged_in, application, "send", **values)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is no email address to send to" in page
    assert "P.S. my own words" in page
    assert not Message.objects.exists() and not mail.outbox


def test_an_over_long_message_is_refused(logged_in, application, manager):
    values = draft(logged_in, application, kind="follow_up")
    values["body"] = "word " * 2001
    response = send(logged_in, application, "send", **values)
    assert "the limit is 10,000" in response.content.decode()
    assert not mail.outbox


def test_a_subject_with_a_line_break_is_refused(logged_in, application, manager):
    values = draft(logged_in, application, kind="follow_up")
    values["subject"] = "Hello\r\nBcc: everyone@example.com"
    send(logged_in, application, "send", **values)
    assert not mail.outbox


def test_the_live_check_answers_for_the_text_as_typed(logged_in, application):
    response = logged_in.post(
        f"/applications/{application.pk}/messages/check/",
        {
            "kind": "withdraw",
            "subject": "x",
            "body": "Maybe I will withdraw, your process is chaotic.",
        },
    )
    page = response.content.decode()
    assert "“Maybe” leaves them guessing" in page
    assert "“chaotic” sounds critical" in page


def test_accepting_an_offer_leads_to_closing_out_the_others(
    logged_in, alice, application, make_application
):
    pipeline.application_move(application=application, target=Stage.OFFER)
    values = draft(logged_in, application, kind="accept_offer")
    response = send(logged_in, application, "copy", **values)
    assert response.url == f"/applications/{application.pk}/close-out/"
    application.refresh_from_db()
    assert application.stage == Stage.ACCEPTED


@pytest.fixture
def others(alice, make_application, application):
    pipeline.application_move(application=application, target=Stage.OFFER)
    pipeline.application_move(application=application, target=Stage.ACCEPTED)
    interviewing = make_application(alice, company="Initech", stage=Stage.INTERVIEWING)
    offered = make_application(alice, company="Globex", stage=Stage.OFFER)
    wish = make_application(alice, company="Hooli", stage=Stage.SAVED)
    return interviewing, offered, wish


def test_the_close_out_page_drafts_a_message_for_each_other_process(logged_in, application, others):
    page = page_text(logged_in, f"/applications/{application.pk}/close-out/")
    assert "Withdrawing my application for the Backend Engineer role" in page  # Initech
    assert "Declining the offer for the Backend Engineer role" in page  # Globex: not a withdrawal
    assert "Hooli" not in page, "a saved application is closed without a message"


def close_out_post(logged_in, application, action: str, fields: tuple[str, ...]):
    """Submits the close-out page as drafted, every row ticked, with only `fields` filled."""
    url = f"/applications/{application.pk}/close-out/"
    forms = logged_in.get(url).context["formset"].forms
    data = {"form-TOTAL_FORMS": len(forms), "form-INITIAL_FORMS": len(forms), "action": action}
    for n, row in enumerate(forms):
        data |= {f"form-{n}-{name}": row[name].value() or "" for name in fields}
        data[f"form-{n}-include"] = "on"
    return logged_in.post(url, data)


def test_closing_out_logs_each_message_and_ends_each_application(logged_in, application, others):
    close_out_post(logged_in, application, "copy", ("application", "to_email", "subject", "body"))
    interviewing, offered, wish = (Application.objects.get(pk=a.pk) for a in others)
    assert (interviewing.stage, interviewing.end_reason) == (Stage.WITHDRAWN, "other_offer")
    assert (offered.stage, offered.end_reason) == (Stage.DECLINED, "other_offer")
    assert (wish.stage, wish.end_reason) == (Stage.CLOSED, "other_offer")
    assert Message.objects.count() == 2


def test_sending_all_needs_every_address_and_sends_nothing_otherwise(
    logged_in, application, others
):
    response = close_out_post(logged_in, application, "send", ("application", "subject", "body"))
    assert "No email address for" in response.content.decode()
    assert not mail.outbox and not Message.objects.exists()


def test_a_users_own_template_fills_in_the_draft(logged_in, alice, application, manager):
    template = UserTemplate.objects.create(
        owner=alice,
        kind="withdraw",
        name="Short",
        subject="{job_title}: stepping back",
        body="{greeting}\n\n{reason_sentence} Thanks!\n\n{your_name}",
    )
    values = draft(logged_in, application, kind="withdraw", reason="location", template=template.pk)
    assert values["subject"] == "Backend Engineer: stepping back"
    assert values["body"] == (
        "Dear Priya Nair,\n\nThe location does not suit my circumstances at the moment. Thanks!"
        "\n\nAlice Martin"
    )


def test_another_users_template_cannot_be_used(logged_in, bob, application):
    theirs = UserTemplate.objects.create(
        owner=bob, kind="withdraw", name="B", subject="s", body="b"
    )
    response = logged_in.get(compose_url(application, kind="withdraw", template=theirs.pk))
    assert "template" in response.context["choices_form"].errors


def test_templates_can_be_created_and_unknown_placeholders_are_refused(logged_in, alice):
    response = logged_in.post(
        "/messages/templates/new/",
        {"kind": "follow_up", "name": "Nudge", "subject": "Hi", "body": "Dear {manager}"},
    )
    assert "{manager} is not a placeholder Bridges knows" in response.content.decode()
    logged_in.post(
        "/messages/templates/new/",
        {"kind": "follow_up", "name": "Nudge", "subject": "Hi", "body": "Dear {contact_name}"},
    )
    assert alice.message_templates.get().body == "Dear {contact_name}"


def test_the_logged_message_shows_on_the_timeline_escaped(logged_in, application):
    values = draft(logged_in, application, kind="follow_up")
    values["body"] = "<script>alert(1)</script> Thank you!"
    send(logged_in, application, "copy", **values)
    page = page_text(logged_in, f"/applications/{application.pk}/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Thank you!" in page
    assert "<script>alert(1)" not in page


def test_declining_an_offer_ends_the_application_as_declined(logged_in, application, manager):
    pipeline.application_move(application=application, target=Stage.OFFER)
    values = draft(logged_in, application, kind="decline_offer", reason="compensation")
    send(logged_in, application, "send", **values)
    application.refresh_from_db()
    assert (application.stage, application.end_reason) == (Stage.DECLINED, "compensation")


def test_the_same_draft_sent_twice_goes_out_once(logged_in, application, manager):
    values = draft(logged_in, application, kind="follow_up")
    send(logged_in, application, "send", **values)
    send(logged_in, application, "send", **values)
    assert len(mail.outbox) == 1
    assert Message.objects.count() == 1


def test_reloading_the_mail_app_page_logs_nothing_twice(logged_in, application, manager):
    values = draft(logged_in, application, kind="follow_up")
    page_url = send(logged_in, application, "mail_app", **values).url
    logged_in.get(page_url)
    logged_in.get(page_url)
    assert Message.objects.count() == 1


def test_not_interested_keeps_the_default_choices(logged_in, application, manager):
    page = logged_in.get(f"/applications/{application.pk}/messages/new/?kind=withdraw")
    body = page.context["draft_form"]["body"].value()
    assert "future" in body, "the door stays open unless unticked"


def test_after_an_invitation_its_answers_come_first(logged_in, application):
    pipeline.application_record_invitation(application=application, to_interview=True)
    page = page_text(logged_in, compose_url(application))
    assert page.index("Decline the interview") < page.index("Thank you after an interview")


def test_i_called_logs_the_script_that_was_shown(logged_in, application):
    values = draft(
        logged_in,
        application,
        kind="withdraw",
        reason="personal",
        offer_referral="on",
        liked="the+team",
    )
    send(logged_in, application, "call", **values)
    body = Message.objects.get().body
    assert "Thank them:" in body and "the team" in body, "what they liked is said"
    assert "suggest someone" in body


def test_a_template_for_another_kind_is_refused(logged_in, alice, application):
    thanks = UserTemplate.objects.create(
        owner=alice, kind="thank_you_interview", name="Thanks", subject="Thanks", body="Thank you!"
    )
    response = logged_in.get(compose_url(application, kind="withdraw", template=thanks.pk))
    assert "is a template for" in " ".join(response.context["choices_form"].errors["template"])


def test_a_subject_on_two_lines_is_refused_and_the_draft_kept(logged_in, application, manager):
    values = draft(logged_in, application, kind="follow_up")
    values["subject"] = "Hello\r\nBcc: everyone@example.com"
    response = send(logged_in, application, "send", **values)
    assert response.status_code == 400
    assert "A subject must fit on one line" in response.content.decode()
    assert response.context["draft_form"]["body"].value() == values["body"]


def test_a_tampered_kind_gets_the_draft_back_not_a_server_error(logged_in, application):
    values = draft(logged_in, application, kind="follow_up") | {"kind": "no_such_kind"}
    response = send(logged_in, application, "send", **values)
    assert response.status_code == 400
    assert response.context["draft_form"]["body"].value() == values["body"]
    assert not Message.objects.exists()


def test_emails_say_who_they_are_from(logged_in, application, manager):
    send(logged_in, application, "send", **draft(logged_in, application, kind="follow_up"))
    assert mail.outbox[0].from_email.startswith("Alice Martin via Bridges <")


def test_sending_is_kept_to_a_human_pace(logged_in, application, manager, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "send_message": "2/h/user"}
    for _ in range(3):
        response = send(
            logged_in, application, "send", **draft(logged_in, application, kind="follow_up")
        )
    assert len(mail.outbox) == 2
    assert "sent a lot of messages in a short time" in response.content.decode()


def test_close_out_exists_only_after_accepting(logged_in, application):
    assert logged_in.get(f"/applications/{application.pk}/close-out/").status_code == 404
