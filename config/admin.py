"""The admin site: operators (superusers) see everything; recruiters see their agency's
sharing candidates (agencies.admin_base). It lives at ADMIN_URL, not /admin/."""

from django.contrib import admin
from django.http import Http404


class BridgesAdminSite(admin.AdminSite):
    site_header = "Bridges administration"
    site_title = "Bridges admin"
    index_title = "Administration"

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:
            if getattr(pattern, "name", None) == "view_on_site":
                pattern.callback = self._operators_only(pattern.callback)
        return urls

    @staticmethod
    def _operators_only(view):
        # "View on site" redirects to any object's page by content type and id, whoever asks;
        # only operators may use it, so it cannot tell a recruiter another agency's ids exist.
        def wrapped(request, *args, **kwargs):
            if not request.user.is_superuser:
                raise Http404("Not here.")
            return view(request, *args, **kwargs)

        return wrapped
