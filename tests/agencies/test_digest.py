"""The recruiter's daily digest: at 08:00 their time, once a day, only their own office's (or
agency's) sharing candidates, only answers late by more than a day, and one they can stop."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import User
from agencies import digest, tasks
from agencies.models import AgencyEmail, RecruiterMembership
from applications.models import FollowUp
from tests.agencies.conftest import join, make_candidate, make_recruiter
from tests.pages import page_text

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SETTINGS = "/accounts/agency/"


@pytest.fixture
def office(world, clock, make_application):
    """Rita (London office of Alpha) lives in London; Amy works across Alpha from New York.

    Lena shares with Alpha's Leeds office, three days late; Liam shares with London, but is
    late by only 12 hours at Tuesday 08:00 in London."""
    User.objects.filter(pk=world["recruiter"].pk).update(time_zone="Europe/London")
    amy = make_recruiter("amy@alpha.example", world["a"])
    User.objects.filter(pk=amy.pk).update(time_zone="America/New_York")
    lena = make_candidate("lena@example.com", "Lena Leeds", "Lenamark", make_application)
    join(lena, world["a"], world["leeds"])
    liam = make_candidate("liam@example.com", "Liam Recent", "Liammark", make_application)
    join(liam, world["a"], world["london"])
    FollowUp.objects.filter(owner=lena).update(due_at=clock.now() - datetime.timedelta(days=3))
    tuesday_8 = clock.at(1, 8, 0, tz=LONDON)
    FollowUp.objects.filter(owner=liam).update(due_at=tuesday_8 - datetime.timedelta(hours=12))
    return {**world, "amy": amy, "lena": lena, "liam": liam}


def sweep(clock, when, django_capture_on_commit_callbacks) -> None:
    clock.move_to(when)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_digests()


def digests_to(email: str):
    return [sent for sent in mail.outbox if sent.to == [email]]


@pytest.mark.django_db
def test_at_eight_in_her_own_zone_a_recruiter_gets_her_offices_late_answers_once(
    office, clock, eager_tasks, django_capture_on_commit_callbacks
):
    run = lambda when: sweep(clock, when, django_capture_on_commit_callbacks)  # noqa: E731
    run(clock.at(1, 7, 59, tz=LONDON))
    assert mail.outbox == [], "07:59 is not yet 08:00"

    run(clock.at(1, 8, 0, tz=LONDON))
    run(clock.at(1, 8, 0, tz=LONDON))  # a second beat at the same moment
    run(clock.at(1, 8, 30, tz=LONDON))
    [email] = digests_to("rita@alpha.example")
    assert email.subject == "1 candidate owes an employer an answer"
    assert "Alice Martin: Prepare for the interview" in email.body
    assert "Alicemark Engineer at AlicemarkCorp, overdue 2 days" in email.body
    candidate_page = reverse(
        "admin:agencies_candidatemembership_change", args=[office["alice_at_a"].pk]
    )
    assert settings.SITE_URL + candidate_page in email.body
    for hidden in ("Lena", "Liam", "Carol", "Dave", "Davemark"):
        assert hidden not in email.body, f"{hidden} is not Rita's to see today"
    assert digests_to("amy@alpha.example") == [], "03:00 in New York"

    run(clock.at(1, 8, 0, tz=NEW_YORK))
    [amys] = digests_to("amy@alpha.example")
    assert amys.subject == "2 candidates owe an employer an answer"
    assert "Lena Leeds" in amys.body and "Alice Martin" in amys.body
    assert "Liam" not in amys.body
    assert len(digests_to("rita@alpha.example")) == 1

    run(clock.at(2, 8, 5, tz=LONDON))
    assert len(digests_to("rita@alpha.example")) == 2, "the next morning, the next digest"
    assert "Liam Recent" in digests_to("rita@alpha.example")[1].body, "now over a day late"


@pytest.mark.django_db
def test_a_beat_down_at_eight_sends_the_days_digest_when_back_that_morning(
    office, clock, eager_tasks, django_capture_on_commit_callbacks
):
    run = lambda when: sweep(clock, when, django_capture_on_commit_callbacks)  # noqa: E731
    # Liam's answer was due at 09:00 on Monday: a day late at 09:00 on Tuesday, after the
    # digest's 08:00, so not in Tuesday's digest even when it goes out later.
    monday_9 = clock.at(1, 9, 0, tz=LONDON) - datetime.timedelta(days=1)
    FollowUp.objects.filter(owner=office["liam"]).update(due_at=monday_9)
    run(clock.at(1, 11, 30, tz=LONDON))  # beat was down from before 08:00 until now
    [email] = digests_to("rita@alpha.example")
    assert "Alice Martin" in email.body and "Liam" not in email.body
    run(clock.at(1, 11, 55, tz=LONDON))
    assert len(digests_to("rita@alpha.example")) == 1, "still one a day"

    run(clock.at(2, 12, 0, tz=LONDON))  # Wednesday, down all morning: noon is too late
    assert len(digests_to("rita@alpha.example")) == 1
    run(clock.at(3, 8, 0, tz=LONDON))
    assert len(digests_to("rita@alpha.example")) == 2


@pytest.mark.django_db
def test_nothing_late_sends_nothing(world, clock, eager_tasks, django_capture_on_commit_callbacks):
    FollowUp.objects.filter(owner=world["dave"]).update(
        due_at=clock.now() + datetime.timedelta(days=1)
    )
    User.objects.filter(pk=world["other_recruiter"].pk).update(time_zone="Europe/Paris")
    sweep(clock, clock.at(1, 8, 10), django_capture_on_commit_callbacks)
    assert digests_to("boris@beta.example") == []
    assert not AgencyEmail.objects.filter(to=world["other_recruiter"]).exists()


@pytest.mark.django_db
def test_two_beats_racing_past_the_check_claim_one_digest(office, clock):
    clock.move_to(clock.at(1, 8, 0, tz=LONDON))
    rita = RecruiterMembership.objects.get(user=office["recruiter"])
    overdue = digest.overdue_for(rita, clock.now())
    assert digest._claim(rita, overdue, clock.now()) is not None
    assert digest._claim(rita, overdue, clock.now()) is None
    assert AgencyEmail.objects.filter(to=office["recruiter"]).count() == 1


@pytest.mark.django_db
def test_the_recruiter_turns_it_off_on_the_agency_page_and_back_on(
    client, office, clock, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(office["recruiter"])
    assert "Your daily digest" in page_text(client, SETTINGS)
    answer = client.post(f"{SETTINGS}digest/", {"digest_enabled": "false"}, follow=True)
    assert "No more daily digest" in answer.content.decode()
    sweep(clock, clock.at(1, 8, 0, tz=LONDON), django_capture_on_commit_callbacks)
    assert digests_to("rita@alpha.example") == []

    client.force_login(office["recruiter"])
    client.post(f"{SETTINGS}digest/", {"digest_enabled": "true"})
    sweep(clock, clock.at(1, 8, 20, tz=LONDON), django_capture_on_commit_callbacks)
    assert len(digests_to("rita@alpha.example")) == 1


@pytest.mark.django_db
def test_the_link_in_the_email_asks_then_stops_the_digest(
    client, office, clock, eager_tasks, django_capture_on_commit_callbacks
):
    sweep(clock, clock.at(1, 8, 0, tz=LONDON), django_capture_on_commit_callbacks)
    [email] = digests_to("rita@alpha.example")
    assert "To stop it:" in email.body
    [link] = [word for word in email.body.split() if "/digest/off/" in word]
    assert email.extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = link.removeprefix(settings.SITE_URL)
    client.logout()
    assert "Stop the digest" in client.get(path).content.decode()  # a scanner's GET
    assert RecruiterMembership.objects.get(user=office["recruiter"]).digest_enabled
    assert "No more daily digest" in client.post(path).content.decode()
    assert not RecruiterMembership.objects.get(user=office["recruiter"]).digest_enabled
    assert "does not work" in client.post(path[:-3] + "xyz/").content.decode()

    sweep(clock, clock.at(2, 8, 0, tz=LONDON), django_capture_on_commit_callbacks)
    assert len(digests_to("rita@alpha.example")) == 1


@pytest.mark.django_db
def test_names_stay_text_in_the_plain_part_and_are_escaped_in_the_html(
    office, clock, eager_tasks, django_capture_on_commit_callbacks
):
    office["alice"].applications.update(company="<b>Harbor</b> & Finch")
    sweep(clock, clock.at(1, 8, 0, tz=LONDON), django_capture_on_commit_callbacks)
    [email] = digests_to("rita@alpha.example")
    html, mime = email.alternatives[0]
    assert mime == "text/html"
    assert "&lt;b&gt;Harbor&lt;/b&gt; &amp; Finch" in html and "<b>Harbor" not in html
    assert "at <b>Harbor</b> & Finch" in email.body


@pytest.mark.django_db
def test_only_a_recruiter_has_a_digest_switch(client, world, bob):
    client.force_login(bob)
    assert "Your daily digest" not in page_text(client, SETTINGS)
    assert client.post(f"{SETTINGS}digest/", {"digest_enabled": "false"}).status_code == 404
