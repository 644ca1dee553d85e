from django.shortcuts import render
from django.views.decorators.http import require_GET

from applications.dashboard import dashboard


@require_GET
def dashboard_page(request):
    """The page after login: where the search stands, and what is owed today."""
    return render(request, "applications/dashboard.html", {"dash": dashboard(user=request.user)})
