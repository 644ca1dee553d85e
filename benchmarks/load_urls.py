"""The site's URLconf plus the benchmark's own two pages: a baseline that does nothing of its
own but goes through the same middleware as any logged-in page (session, user, CSRF, CSP, time
zone), and a write every page shows, for runs that write before each request."""

import itertools

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from applications import services
from applications.models import Application
from config.urls import urlpatterns as site_urlpatterns

_priorities = itertools.cycle([4, 5])


def minimal(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


@csrf_exempt
@require_POST
def write(request, pk: int):
    """An application's priority edited through the services, as the edit form does."""
    application = Application.objects.for_user(request.user).get(pk=pk)
    application.priority = next(_priorities)
    services.application_update(
        application=application,
        changed_fields=["priority"],
        tag_names=[tag.name for tag in application.tags.all()],
        contacts=list(application.contacts.all()),
    )
    return HttpResponse("written", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("bench/write/<int:pk>/", write),
    *site_urlpatterns,
]
