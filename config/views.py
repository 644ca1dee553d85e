"""Site-wide pages that belong to no single app: the landing page, the health check, and the
answer to a bad request."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from applications.views.dashboard import dashboard_page


@login_not_required
@require_GET
def home(request):
    """The landing page for visitors; a logged-in user's home is the dashboard (where the
    login lands)."""
    if request.user.is_authenticated:
        return dashboard_page(request)
    return render(request, "home.html")


@login_not_required
@never_cache
@require_GET
def health(request):
    """For load balancers: answers 200 only while the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request, exception, template_name="400.html"):
    """Django's 400 page, except for a body over the size limits: that one says what happened
    (413 Content Too Large), so the user knows to send something smaller."""
    if isinstance(exception, RequestDataTooBig):
        return render(
            request,
            "413.html",
            {"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)},
            status=413,
        )
    return defaults.bad_request(request, exception, template_name)
