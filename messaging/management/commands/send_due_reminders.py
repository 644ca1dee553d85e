from django.core.management.base import BaseCommand

from messaging import reminders


class Command(BaseCommand):
    help = (
        "Runs one reminder sweep in the foreground and delivers what it claimed, for cron "
        "users and for debugging. Safe to run beside Celery beat: claims never overlap."
    )

    def handle(self, *args, **options):
        result = reminders.sweep()
        ids = [*result.claimed, *(result.requeued or [])]
        outcomes: dict[str, int] = {}
        for start in range(0, len(ids), reminders.BATCH_SIZE):
            delivery = reminders.deliver_many(ids[start : start + reminders.BATCH_SIZE])
            for outbox_id, state in delivery.states.items():
                if outbox_id in delivery.busy:
                    state = "busy (another delivery holds it)"
                elif outbox_id in delivery.retry:
                    state = "pending (mail server failed; will retry)"
                outcomes[state] = outcomes.get(state, 0) + 1
        summary = ", ".join(f"{count} {state}" for state, count in outcomes.items()) or "nothing"
        self.stdout.write(
            f"Claimed {len(result.claimed)} reminder(s), postponed {result.postponed} "
            f"for quiet hours; delivered: {summary}."
        )
