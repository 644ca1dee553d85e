"""Import (upload, columns and preview, progress), exports, and the calendar feed."""

import json
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.views_common import is_htmx
from dataio import calendar, csv_import, exports, services
from dataio.forms import MappingForm, UploadForm
from dataio.models import CalendarFeed, ImportBatch

PREVIEW_ROWS = 10


def _get_batch_for_user(request, batch_pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.for_user(request.user), pk=batch_pk)


@require_http_methods(["GET", "POST"])
def import_start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_upload(
                owner=request.user, filename=upload.name, data=upload.read()
            )
        except csv_import.ImportFileError as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("dataio:import_mapping", batch_pk=batch.pk)
    return render(request, "dataio/import_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def import_mapping(request, batch_pk: int):
    """Columns to fields, a preview with each row's problems, then the import."""
    batch = _get_batch_for_user(request, batch_pk)
    if batch.state not in (ImportBatch.State.DRAFT, ImportBatch.State.FAILED):
        return redirect("dataio:import_status", batch_pk=batch.pk)
    try:
        header, _ = services.batch_table(batch)
    except csv_import.ImportFileError as problem:
        # Kept before today's limits on a file's size: it cannot be imported.
        services.import_discard(owner=request.user, batch_pk=batch.pk)
        messages.error(request, f"{problem} The file is discarded; nothing was imported.")
        return redirect("dataio:import")
    form = MappingForm(request.POST or None, header=header, batch=batch)
    if request.method == "POST" and form.is_valid():
        mapped = services.import_map(
            batch=batch,
            mapping=form.mapping(),
            day_first=form.cleaned_data["day_first"],
            skip_duplicates=form.cleaned_data["skip_duplicates"],
        )
        if not mapped:  # queued meanwhile (from another tab): its status says how it goes
            return redirect("dataio:import_status", batch_pk=batch.pk)
        if request.POST.get("action") == "import":
            return _start_import(batch)
        return redirect("dataio:import_mapping", batch_pk=batch.pk)
    checked = None
    problems = [] if form.is_bound else csv_import.mapping_problems(batch.mapping)
    if not form.errors and not problems:
        checked = services.import_check(batch)
    context = {
        "batch": batch,
        "problems": problems,
        "form": form,
        "checked": checked,
        "preview": checked.rows[:PREVIEW_ROWS] if checked else [],
        "fields": csv_import.FIELDS,
    }
    return render(request, "dataio/import_mapping.html", context)


def _start_import(batch: ImportBatch):
    if batch.total_rows <= services.INLINE_ROWS:
        services.import_run(batch_id=batch.pk)
    else:
        # Recorded as queued, then its task queued; with the broker down the page says it
        # will start shortly, and the sweep queues it again.
        services.import_queue(batch=batch)
    return redirect("dataio:import_status", batch_pk=batch.pk)


@require_GET
def import_status(request, batch_pk: int):
    """Where an import stands; the progress part is polled by htmx until it is finished.
    An import that lost its task is queued again from here too (as by the sweep)."""
    batch = _get_batch_for_user(request, batch_pk)
    if not batch.is_finished and services.import_revive(batch_id=batch.pk):
        batch.refresh_from_db()
    template = "dataio/_import_progress.html" if is_htmx(request) else "dataio/import_status.html"
    return render(request, template, {"batch": batch})


@require_GET
def export_csv(request):
    response = HttpResponse(
        exports.applications_csv(user=request.user), content_type="text/csv; charset=utf-8"
    )
    name = f"bridges-applications-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def export_json(request):
    data = json.dumps(exports.everything(user=request.user), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    name = f"bridges-export-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    feed = CalendarFeed.objects.for_user(request.user).first()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            first = services.calendar_feed_renew(owner=request.user)
            messages.success(
                request,
                "Your calendar feed is on: copy its address into your calendar app."
                if first
                else "Your calendar has a new address; the old one no longer works.",
            )
        elif action == "revoke" and services.calendar_feed_revoke(owner=request.user):
            messages.success(request, "Your calendar feed is turned off.")
        return redirect("dataio:calendar")
    url = (
        request.build_absolute_uri(reverse("dataio:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(request, "dataio/calendar.html", {"feed": feed, "feed_url": url})


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token: str):
    """The feed itself: no login (calendar apps cannot log in); the long token is the key."""
    feed = (
        CalendarFeed.objects.filter(token=token).select_related("owner").first()
        if len(token) <= 64
        else None
    )
    if feed is None or not secrets.compare_digest(feed.token, token):
        raise Http404("No such calendar.")
    if not feed.owner.is_active:
        raise Http404("No such calendar.")
    response = HttpResponse(
        calendar.feed(user=feed.owner), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="bridges.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def import_discard(request, batch_pk: int):
    """Works in every state; the message says what it meant (services.import_discard)."""
    result = services.import_discard(owner=request.user, batch_pk=batch_pk)
    if result is None:
        raise Http404("No such import.")
    if not result.discarded:
        messages.info(request, result.message)
        return redirect("dataio:import_status", batch_pk=batch_pk)
    messages.success(request, result.message)
    return redirect("dataio:import")
