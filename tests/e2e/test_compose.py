"""The compose page in a real browser: fields shown only for the kinds that take them, and a
draft the user edited is never replaced without asking (and can be put back)."""

from playwright.sync_api import expect

from applications import services


def open_compose(page, log_in, alice, application):
    services.application_record_invitation(application=application, to_interview=True)
    log_in(alice.email)
    page.goto(f"/applications/{application.pk}/messages/new/?kind=decline_interview")
    return page.get_by_role("region", name="What do you want to say?")


def test_a_reason_is_offered_only_for_a_message_that_takes_one(page, log_in, alice, application):
    choices = open_compose(page, log_in, alice, application)
    expect(choices.get_by_label("Reason (optional)")).to_be_visible()
    choices.get_by_label("Message").select_option(label="Thank you after an interview")
    expect(choices.get_by_label("Reason (optional)")).to_be_hidden()
    choices.get_by_label("Message").select_option(label="Decline the interview")
    expect(choices.get_by_label("Reason (optional)")).to_be_visible()


def test_filling_in_again_asks_before_replacing_an_edited_draft(page, log_in, alice, application):
    choices = open_compose(page, log_in, alice, application)
    body = page.locator("#draft").get_by_label("Message")
    edited = body.input_value() + "\nI would still love to hear about the data team's plans."
    body.fill(edited)
    address = page.url

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    choices.get_by_text("Warm").check()
    choices.get_by_role("button", name="Fill in the message").click()
    expect(body).to_have_value(edited)  # said no: nothing replaced, still on the same page
    assert questions and "edited this message" in questions[0]
    assert page.url == address

    page.once("dialog", lambda dialog: dialog.accept())
    choices.get_by_role("button", name="Fill in the message").click()
    put_back = page.get_by_role("button", name="Put back my edited text")
    expect(put_back).to_be_visible()
    new_body = page.locator("#draft").get_by_label("Message")
    assert new_body.input_value() != edited, "a new draft for the new choices"
    put_back.click()
    expect(new_body).to_have_value(edited)
