from django.utils import timezone

from applications.models import FollowUp


def overdue_followups(request) -> dict:
    """The number on the navigation's badge: what the user owes an employer right now."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    # Lazy: the count is queried only by pages that show the navigation.
    return {"overdue_count": lambda: overdue(request.user).count(), "now": timezone.now()}


def overdue(user):
    return FollowUp.objects.for_user(user).overdue()
