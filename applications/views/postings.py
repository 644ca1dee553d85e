"""Adding an application from a job posting: read a link or a pasted page, show what was
found on a card, save it as the typed form would."""

import uuid

from allauth.core import ratelimit
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from applications import selectors
from applications.models import FollowUp
from applications.postings import fetching, reading
from applications.postings.forms import PostingCardForm, PostingSourceForm, card_data
from applications.postings.found import Posting, Reading
from applications.views.common import create_application
from applications.views.pages import application_url
from config.views_common import fragment

# A page's other postings ride along in the card's form, signed for this user, for an hour.
FOUND_MAX_AGE = 60 * 60
CUT_OFF = (
    f"The page is longer than {fetching.MOST_BYTES // (1024 * 1024)} MB; Bridges read only "
    "its beginning."
)
FILL_IN = "Fill in what you know about the job; you can add the rest later."
TOO_MANY_READS = (
    "You have had Bridges read many links in a short time. Wait a little, or paste the page "
    "instead."
)


@require_http_methods(["GET", "POST"])
def posting_read(request):
    """Where to read the posting from: a link, the page pasted, or what the bookmarklet sent."""
    if request.method == "POST" and "found" in request.POST:
        return _choose(request)
    if request.POST.get("action") == "fill-in":
        url = _link(request.POST.get("url", "").strip()[:2000])
        return _card(request, Reading(url=url, notes=[FILL_IN]))
    form = PostingSourceForm(request.POST or None, initial={"url": request.GET.get("url", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = _read(request, data)
        except fetching.Refused as refusal:
            form.add_error("url", refusal.reason)
        else:
            return _card(request, found)
    return render(request, "applications/postings/read.html", {"form": form})


def _read(request, data: dict) -> Reading:
    url = data["url"]
    if data["page"]:
        return reading.read_pasted(data["page"], url=_link(url))
    if data["jsonld"]:
        found = reading.read_blocks(data["jsonld"], url=_link(url))
        if found.found or not url:
            return found
    if not ratelimit.consume(request, action="read_posting", user=request.user):
        raise fetching.Refused(TOO_MANY_READS)
    page = fetching.fetch(url)
    found = reading.read_page(page.body, url=url, content_type=page.content_type)
    if page.cut_off:
        found.notes.insert(0, CUT_OFF)
    return found


def _link(url: str) -> str:
    """The link the user gave, kept on the card only if it can be saved as a posting URL."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def _choose(request):
    """Another of the postings found on the same page."""
    try:
        found = signing.loads(request.POST["found"], salt=_salt(request), max_age=FOUND_MAX_AGE)
        index = int(request.POST.get("index", 0))
        postings = [Posting.from_json(item) for item in found["postings"]]
        postings[index]
    except (signing.BadSignature, ValueError, KeyError, IndexError, TypeError):
        messages.error(request, "That list of postings has expired; read the page again.")
        return redirect("applications:posting_read")
    chosen = Reading(url=found.get("url", ""), postings=postings, notes=found.get("notes", []))
    return _card(request, chosen, index=max(index, 0))


def _salt(request) -> str:
    return f"applications.postings.found:{request.user.pk}"


def _card(request, found: Reading, index: int = 0, form: PostingCardForm | None = None):
    posting = found.postings[index] if found.postings else Posting(posting_url=found.url)
    if form is None:
        if found.postings:
            # Checked at once, like a submitted form: the duplicate warning, and what is
            # missing, show before the user saves.
            # A new card is a new form: its own one-time key (see ApplicationForm).
            data = card_data(posting) | {"submission": str(uuid.uuid4())}
            form = PostingCardForm(data, user=request.user)
            form.is_valid()
        else:
            form = PostingCardForm(initial=card_data(posting), user=request.user)
    # As typed, it may hold a NUL byte, which cannot be searched for: it is dropped.
    company = (form["company"].value() or "").replace("\x00", "").strip()
    token = ""
    if len(found.postings) > 1:
        token = signing.dumps(
            {
                "url": found.url,
                "notes": found.notes,
                "postings": [p.to_json() for p in found.postings],
            },
            salt=_salt(request),
            compress=True,
        )
    context = {
        "form": form,
        "posting": posting,
        "notes": found.notes,
        "others": [(i, str(p)) for i, p in enumerate(found.postings) if i != index],
        "found_token": token,
        # Drawn at once for the company found; the field redraws it as it is edited.
        "history": fragment(
            request,
            "applications/company_history.html",
            {"history": selectors.company_history(user=request.user, company=company)[:10]},
        )
        if company
        else "",
        "closed": _closed(form["closes_on"].value()),
    }
    return render(request, "applications/postings/card.html", context)


def _closed(closes_on) -> bool:
    """The card's closing date has passed (it shows as a date or as the ISO text sent)."""
    return bool(closes_on) and str(closes_on) < timezone.localdate().isoformat()


@require_POST
def posting_save(request):
    """Saves the card as a new application, through the same service as the typed form."""
    form = PostingCardForm(request.POST, user=request.user)
    if not form.is_valid():
        return _card(request, Reading(), form=form)
    application = create_application(
        request, form, closes_on=form.cleaned_data["closes_on"], note=form.timeline_note()
    )
    reminder = FollowUp.objects.for_user(request.user).filter(
        application=application, kind=FollowUp.Kind.APPLY_BEFORE
    )
    due = reminder.values_list("due_at", flat=True).first()
    said = f"Added “{application}”."
    if due:
        said += f" Bridges will remind you to apply on {timezone.localtime(due):%a %d %b}."
    messages.success(request, said)
    return redirect(application_url(application))
