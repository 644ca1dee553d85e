from django.utils import timezone
from django.utils.safestring import SafeString

from applications import pagecache
from applications.models import FollowUp


def navigation(request) -> dict:
    """The logged-in user's navigation, with its badge: what they owe an employer right now."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    # Lazy: drawn only by pages that show the navigation.
    return {"navigation": lambda: drawn_navigation(request), "now": timezone.now()}


def drawn_navigation(request) -> SafeString:
    """Kept with the user's cached pages until something changes or falls due."""
    match = request.resolver_match
    current = match.view_name if match else ""

    def render() -> pagecache.Rendered:
        now = timezone.now()
        followups = FollowUp.objects.for_user(request.user)
        context = {"overdue_count": followups.overdue(now).count()}
        return pagecache.Rendered(
            pagecache.render_fragment(request, "includes/navigation.html", context),
            stale_at=followups.pending().next_due_after(now),
        )

    # The user's name and staff link are drawn from the user as loaded for this request,
    # which a refused profile form may have changed in memory only.
    user = request.user
    return pagecache.fragment(
        request, "navigation", render, vary=[current, user.get_full_name(), str(user.is_staff)]
    )
