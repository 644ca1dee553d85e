"""View helpers of the pipeline's own pages (the ones every app shares: config/views_common.py)."""

from django.contrib import messages

from applications import services
from applications.models import Application


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
