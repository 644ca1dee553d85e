"""Small helpers every app's views share (the bottom layer: it imports no app)."""

from django.shortcuts import render
from django.template import engines
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def safe_next(request, default: str) -> str:
    """Where to go after a POST: `next` if it points inside this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def local_next(request, default: str) -> str:
    """`next` if it is a path on this site ("/applications/3/"), else `default`: never a
    full address, another host, or a scheme, however it is spelled."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts=set())
    ):
        return target
    return default


def fragment(request, template: str, context: dict) -> SafeString:
    """A hot fragment (the board, the list, a detail page, the follow-ups) drawn by Jinja2
    (config/jinja2.py) from `templates/jinja2/`, to sit in a Django page."""
    html = engines["jinja2"].get_template(template).render(context, request)
    return mark_safe(html)  # noqa: S308 (Jinja2 autoescapes everything it was given)


def emailed_link_page(
    request,
    title: str,
    text: str = "",
    *,
    button: str = "",
    next_url: str = "",
    next_label: str = "",
    status: int = 200,
):
    """The page a link from an email opens: with `button`, a form that confirms by POST (so a
    mail scanner following the link changes nothing); without, what the POST did, and where
    to go next."""
    context = {"title": title, "text": text, "button": button, "next_url": next_url,
               "next_label": next_label}  # fmt: skip
    return render(request, "emailed_link.html", context, status=status)
