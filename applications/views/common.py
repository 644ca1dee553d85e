from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.template import engines
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe

from applications import services
from applications.models import Application, Contact


def get_application_for_user(request, pk: int, *related: str) -> Application:
    """The user's own application, or 404: another user's id looks like a missing one.
    `related`: what else to read in the same query (an offer, say)."""
    return get_object_or_404(
        Application.objects.for_user(request.user).select_related("owner", *related), pk=pk
    )


def get_contact_for_user(request, pk: int) -> Contact:
    return get_object_or_404(Contact.objects.for_user(request.user), pk=pk)


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


def create_application(request, form, **details) -> Application:
    """Saves a valid application form as the user's new application, through the service
    that opens its timeline (`details`: what else the service takes, such as a closing date).
    The form sent twice gets the application it added the first time."""
    application = form.save(commit=False)
    application.owner = request.user
    application.submission = form.cleaned_data.get("submission")
    try:
        return services.application_create(
            application=application,
            tag_names=form.cleaned_data["tags"],
            contacts=form.cleaned_data["contacts"],
            **details,
        )
    except services.AlreadySubmitted as replay:
        # The form was sent twice: the one application it added is the answer to both.
        return replay.application


def saved_message(request, form, edit, what: str = "Your changes are saved.") -> None:
    """Says the edit is saved, and which changes made meanwhile elsewhere it kept."""
    if edit and edit.kept:
        kept = ", ".join(str(form.fields[name].label or name).lower() for name in edit.kept)
        what += f" Changed meanwhile elsewhere and kept as saved: {kept}."
    messages.success(request, what)
