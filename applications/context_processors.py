from django.utils import timezone

from applications import pagecache
from applications.models import FollowUp


def overdue_followups(request) -> dict:
    """The number on the navigation's badge: what the user owes an employer right now."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    # Lazy: the count is read only by pages that show the navigation.
    return {"overdue_count": lambda: overdue_count(request), "now": timezone.now()}


def overdue_count(request) -> int:
    """Kept with the user's cached pages until something changes or falls due."""

    def count() -> pagecache.Rendered:
        now = timezone.now()
        followups = FollowUp.objects.for_user(request.user)
        return pagecache.Rendered(
            followups.overdue(now).count(),
            stale_at=followups.pending().next_due_after(now),
        )

    return pagecache.cached(request, "overdue-count", count)
