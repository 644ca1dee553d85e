"""Site-wide request and response rules that belong to no single app."""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control

NUL_REASON = (
    "The address holds a NUL character (%00), which no page or field accepts. Remove it and "
    "try again."
)


class RefuseNulBytesMiddleware:
    """A NUL byte can never be part of a real address or search: PostgreSQL refuses it in a
    query (a server error), so it is turned away before any view runs. In the path it is an
    address that cannot exist (404); in the query string, a malformed request (400). Form
    fields need no such care: Django's form fields already refuse NUL bytes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("No such page.")
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return render(request, "400.html", {"reason": NUL_REASON}, status=400)
        return self.get_response(request)


# Pages anyone may cache: the same for every visitor and free of anything personal.
PUBLIC_PAGES = {"home"}


class PrivateCacheMiddleware:
    """Marks every page Django serves `Cache-Control: private, no-store` (no shared cache, nor
    the browser's disk, keeps a copy of a user's pages, exports or feeds), except the public
    pages above when nobody is logged in. Static files are served by WhiteNoise, which answers
    before this middleware and keeps its own long-lived caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        public = (
            match is not None
            and match.view_name in PUBLIC_PAGES
            and not (user is not None and user.is_authenticated)
        )
        if not public:
            patch_cache_control(response, private=True, no_store=True)
        return response
