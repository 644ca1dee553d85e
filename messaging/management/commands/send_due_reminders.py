from django.core.management.base import BaseCommand

from messaging import reminders


class Command(BaseCommand):
    help = (
        "Runs one reminder sweep in the foreground and delivers what it claimed, for cron "
        "users and for debugging. Safe to run beside Celery beat: claims never overlap."
    )

    def handle(self, *args, **options):
        result = reminders.sweep()
        outcomes: dict[str, int] = {}
        for outbox_id in [*result.claimed, *(result.requeued or [])]:
            try:
                state = reminders.deliver(outbox_id)
            except reminders.Busy:
                state = "busy (another delivery holds it)"
            except reminders.TransientFailure:
                state = "pending (mail server failed; will retry)"
            outcomes[state] = outcomes.get(state, 0) + 1
        summary = ", ".join(f"{count} {state}" for state, count in outcomes.items()) or "nothing"
        self.stdout.write(
            f"Claimed {len(result.claimed)} reminder(s), postponed {result.postponed} "
            f"for quiet hours; delivered: {summary}."
        )
