"""The site's URLconf plus the benchmark's baseline: a page that does nothing of its own but
goes through the same middleware as any logged-in page (session, user, CSRF, CSP, time zone)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def minimal(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *site_urlpatterns]
