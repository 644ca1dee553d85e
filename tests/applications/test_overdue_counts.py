"""One count of what is late: the navigation's badge, the board's badge and the dashboard say
the same number, and an optional follow-up is listed but never counted as an answer owed."""

import datetime
import re

from applications import services
from applications.models import FollowUp
from tests.pages import page_text


def badge(page: str) -> int:
    found = re.search(r'badge text-bg-danger">(\d+)<span class="visually-hidden"> overdue', page)
    return int(found.group(1)) if found else 0


def test_the_badges_and_the_dashboard_count_the_same_late_answers(
    logged_in, clock, alice, make_application
):
    invited = make_application(alice, company="Acme")
    services.application_record_invitation(application=invited, to_interview=True)
    quiet = make_application(alice, company="Globex")  # its "update or close" is optional
    clock.move_to(clock.at(0, 19))  # the invitation's answer was due by 18:00
    optional = FollowUp.objects.get(application=quiet, kind=FollowUp.Kind.UPDATE_OR_CLOSE)
    assert optional.low_priority
    FollowUp.objects.filter(pk=optional.pk).update(due_at=clock.at(0, 12))  # a month of silence

    dashboard = page_text(logged_in, "/dashboard/")
    assert re.search(r"<strong>1</strong> overdue", dashboard), "one answer owed is late"
    assert badge(dashboard) == 1, "the optional one is not an answer owed"
    assert badge(page_text(logged_in, "/applications/board/")) == 1
    followups = page_text(logged_in, "/followups/")
    assert "Update the application or close it" in followups, "still listed, as optional"


def test_a_snooze_that_has_ended_counts_as_late_everywhere(
    logged_in, clock, alice, make_application
):
    invited = make_application(alice, company="Acme")
    services.application_record_invitation(application=invited, to_interview=True)
    answer = FollowUp.objects.get(application=invited, kind=FollowUp.Kind.ANSWER_INVITATION)
    FollowUp.objects.filter(pk=answer.pk).update(
        state=FollowUp.State.SNOOZED, snoozed_until=answer.due_at + datetime.timedelta(hours=1)
    )
    clock.move_to(answer.due_at + datetime.timedelta(minutes=30))
    assert badge(page_text(logged_in, "/dashboard/")) == 0, "snoozed: not late yet"
    clock.move_to(answer.due_at + datetime.timedelta(hours=2))
    dashboard = page_text(logged_in, "/dashboard/")
    assert badge(dashboard) == 1 and re.search(r"<strong>1</strong> overdue", dashboard)
