"""The admin site: operators (superusers) see everything; recruiters see their agency's
sharing candidates (agencies.admin_base). It lives at ADMIN_URL, not /admin/.

Two rules hold here for every admin URL, whatever model a later change registers:

- a NUL character in a posted form (an action's selected ids are no form field, so nothing
  else refuses one) is a 400, as config/middleware.py makes it in any query string: PostgreSQL
  cannot compare one, so it would otherwise end in a server error;
- a recruiter's front page is their agency's dashboard (agencies.dashboard); operators keep
  Django's index;
- an object's history page checks the model's permission before it looks the id up, as its
  change and delete pages do, so a user who may not see a model gets the same answer for an
  id that exists and one that does not.
"""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest

NUL = "\x00"


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in data.getlist(key)) for key in data)


class BridgesAdminSite(admin.AdminSite):
    site_header = "Bridges administration"
    site_title = "Bridges admin"
    index_title = "Administration"

    def index(self, request, extra_context=None):
        from agencies.dashboard import dashboard  # the admin site is made before the apps load

        figures = dashboard(request.user)
        if figures is not None:
            extra_context = {
                **(extra_context or {}),
                "dashboard": figures,
                "title": figures.title,
            }
        return super().index(request, extra_context)

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:
            if getattr(pattern, "name", None) == "view_on_site":
                pattern.callback = self._operators_only(pattern.callback)
        return urls

    def admin_view(self, view, cacheable=False):
        return super().admin_view(self._guarded(view), cacheable)

    @staticmethod
    def _guarded(view):
        model_admin = getattr(view, "__self__", None)
        checks_model_first = isinstance(model_admin, admin.ModelAdmin) and (
            getattr(view, "__name__", "") == "history_view"
        )

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method == "POST" and _has_nul(request.POST):
                return HttpResponseBadRequest(
                    "This form holds a NUL character, which no field can contain.",
                    content_type="text/plain; charset=utf-8",
                )
            if checks_model_first and not model_admin.has_view_or_change_permission(request):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    @staticmethod
    def _operators_only(view):
        # "View on site" redirects to any object's page by content type and id, whoever asks;
        # only operators may use it, so it cannot tell a recruiter another agency's ids exist.
        def wrapped(request, *args, **kwargs):
            if not request.user.is_superuser:
                raise Http404("Not here.")
            return view(request, *args, **kwargs)

        return wrapped
