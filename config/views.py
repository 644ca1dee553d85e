"""Site-wide pages that belong to no single app: the landing page and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
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
