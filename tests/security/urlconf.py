"""The URLconf, walked: every route of the site with real values in its parameters, so a new
page is covered by the security suite the day it is added."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern


@dataclass(frozen=True)
class Route:
    route: str  # as written in the URLconf, prefixes included
    name: str  # "namespace:name", or "" when the pattern has none
    params: tuple[str, ...]
    int_params: tuple[str, ...]
    pattern: URLPattern

    @property
    def is_admin(self) -> bool:
        return self.route.startswith(settings.ADMIN_URL)

    @property
    def is_allauth(self) -> bool:
        return self.pattern.lookup_str.startswith("allauth.")


def routes(resolver=None, prefix: str = "", namespace: str = ""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from routes(entry, route, inner)
        elif isinstance(entry, URLPattern):
            converters = entry.pattern.converters
            params = tuple(entry.pattern.regex.groupindex)
            name = ""
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(
                route=route,
                name=name,
                params=params,
                int_params=tuple(p for p in params if isinstance(converters.get(p), IntConverter)),
                pattern=entry,
            )


def url_for(route: Route, values: dict) -> str:
    """The route's address with `values` in its parameters (reversed by name if it has one)."""
    kwargs = {param: values[param] for param in route.params}
    if route.name:
        return reverse(route.name, kwargs=kwargs)
    if not isinstance(route.pattern.pattern, RoutePattern):
        raise LookupError(f"{route.route}: an unnamed regex route cannot be filled in")
    path = route.route
    for param, value in kwargs.items():
        path = path.replace(f"<{param}>", str(value))
        for converter in ("int", "str", "slug", "path", "uuid"):
            path = path.replace(f"<{converter}:{param}>", str(value))
    return "/" + path
