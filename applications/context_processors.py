from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from applications.models import FollowUp


def navigation(request) -> dict:
    """The logged-in user's badge: how many answers they owe an employer right now. Lazy, so
    only pages that draw the navigation run its one query."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    now = timezone.now()
    overdue = SimpleLazyObject(
        lambda: FollowUp.objects.for_user(request.user).owed_overdue(now).count()
    )
    return {"overdue_count": overdue, "now": now}
