"""Recording an invitation says when its answer is owed, as the follow-up has it."""

from applications.models import FollowUp


def record(client, application) -> str:
    response = client.post(
        f"/applications/{application.pk}/invitation/", {"to_interview": "1"}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def owed(application) -> FollowUp:
    return application.followups.get(kind=FollowUp.Kind.ANSWER_INVITATION)


def test_in_working_hours_it_is_owed_today(logged_in, clock, application):
    clock.move_to(clock.at(1, 11))  # a Tuesday morning
    page = record(logged_in, application)
    assert owed(application).due_at == clock.at(1, 18)
    assert "Answer it today, by 18:00, even if the answer is no." in page


def test_in_the_evening_it_is_owed_the_next_working_day(logged_in, clock, application):
    clock.move_to(clock.at(4, 19, 30))  # a Friday evening
    page = record(logged_in, application)
    assert owed(application).due_at == clock.at(7, 18), "the Monday after"
    assert "today" not in page.split("Invitation recorded.")[1].split("</")[0]
    assert f"Answer it by {clock.day(7):%A %d %b}, 18:00, even if the answer is no." in page
