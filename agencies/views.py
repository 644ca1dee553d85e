"""The candidate's side: join an agency with a code, choose to share, renew it each year, stop
at any time; and a recruiter's daily digest switch."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies import consent, digest, services, visibility
from agencies.forms import DigestForm, JoinForm
from agencies.models import CandidateMembership, RecruiterMembership, a_year_after
from applications.models import Application, FollowUp, Interview
from config.views_common import emailed_link_page
from messaging.models import Message


def _page(request, form=None, status=200):
    memberships = (
        CandidateMembership.objects.for_candidate(request.user)
        .select_related("agency", "office")
        .order_by("agency__name")
    )
    user = request.user
    recruiter = RecruiterMembership.objects.filter(user=user).first()
    context = {
        "memberships": memberships,
        "recruiter": recruiter,
        "renew_within": consent.REMINDER_BEFORE,
        "form": form or JoinForm(),
        "sections": visibility.shared_sections(),
        "not_shared": visibility.NOT_SHARED,
        "counts": {
            "applications": Application.objects.for_user(user).count(),
            "interviews": Interview.objects.filter(application__owner=user).count(),
            "followups": FollowUp.objects.for_user(user).pending().count(),
            "messages": Message.objects.for_user(user).count(),
        },
    }
    return render(request, "agencies/settings.html", context, status=status)


@require_GET
def agency_settings(request):
    return _page(request)


@require_POST
def join(request):
    form = JoinForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    # Codes are long, but a script trying them still gets nowhere fast.
    if not ratelimit.consume(request, action="join_agency", user=request.user):
        form.add_error("code", "Too many codes tried; wait a few minutes and try again.")
        return _page(request, form, status=429)
    try:
        membership = services.join(candidate=request.user, code=form.cleaned_data["code"])
    except services.JoinError as error:
        form.add_error("code", str(error))
        return _page(request, form, status=400)
    messages.success(
        request,
        f"You joined {membership.agency}. Nothing is shared until you choose to share below.",
    )
    return redirect("agencies:settings")


def _membership(request, membership_pk: int) -> CandidateMembership:
    return get_object_or_404(
        CandidateMembership.objects.for_candidate(request.user).select_related(
            "agency", "candidate"
        ),
        pk=membership_pk,
    )


@require_POST
def share(request, membership_pk: int):
    membership = services.set_sharing(membership=_membership(request, membership_pk), share=True)
    messages.success(request, f"{membership.agency} can now see your pipeline, as listed below.")
    return redirect("agencies:settings")


@require_POST
def stop_sharing(request, membership_pk: int):
    membership = services.set_sharing(membership=_membership(request, membership_pk), share=False)
    messages.success(request, f"{membership.agency} can no longer see anything of yours.")
    return redirect("agencies:settings")


@require_POST
def renew(request, membership_pk: int):
    membership = _membership(request, membership_pk)
    try:
        membership = consent.renew(membership_id=membership.pk)
    except consent.NotSharing:
        messages.error(request, f"You no longer share with {membership.agency}: nothing renewed.")
        return redirect("agencies:settings")
    until = consent.on_day(membership.consent_lapses_at, request.user.zoneinfo)
    messages.success(request, f"{membership.agency} can see your pipeline until {until}.")
    return redirect("agencies:settings")


@login_not_required
@require_http_methods(["GET", "POST"])
def renew_link(request, token: str):
    """The link in the reminder: renews that one membership's sharing without a login. GET
    asks, POST renews (a mail scanner following the link renews nothing)."""
    try:
        membership_pk, lapse = consent.read_renewal_token(token)
    except signing.SignatureExpired:
        return _link_page(
            request, "This link has expired", "Renew on your Agency page once you sign in."
        )
    except signing.BadSignature:
        return _link_page(request, "This link does not work", "It may have been cut or changed.")
    membership = (
        CandidateMembership.objects.select_related("agency", "candidate")
        .filter(pk=membership_pk)
        .first()
    )
    if membership is None or (
        request.user.is_authenticated and request.user.pk != membership.candidate_id
    ):
        return _link_page(
            request, "This link is not for this account", "Nothing was changed.", status=404
        )
    zone = membership.candidate.zoneinfo
    if not membership.is_sharing:
        return _link_page(
            request,
            "Sharing has ended",
            f"{membership.agency} no longer sees your pipeline. To share again, sign in and "
            "choose Share on your Agency page.",
        )
    if membership.consent_lapses_at != lapse:
        until = consent.on_day(membership.consent_lapses_at, zone)
        return _link_page(
            request, "Already renewed", f"{membership.agency} sees your pipeline until {until}."
        )
    if request.method == "POST":
        membership = consent.renew(membership_id=membership.pk)
        until = consent.on_day(membership.consent_lapses_at, zone)
        return _link_page(
            request,
            "Sharing renewed",
            f"{membership.agency} sees your pipeline until {until}. You can stop at any time "
            "on your Agency page.",
        )
    context = {
        "title": f"Keep sharing with {membership.agency}?",
        "text": f"Your pipeline stays visible to {membership.agency} for another year, until "
        f"{consent.on_day(a_year_after(timezone.now()), zone)}. Today it ends on "
        f"{consent.on_day(membership.consent_lapses_at, zone)}.",
        "button": "Renew for a year",
    }
    return emailed_link_page(request, **context)


def _link_page(request, title: str, text: str, status: int = 200):
    return emailed_link_page(
        request,
        title,
        text,
        next_url=reverse("agencies:settings"),
        next_label="Your Agency page",
        status=status,
    )


@require_POST
def digest_setting(request):
    recruiter = RecruiterMembership.objects.filter(user=request.user).first()
    if recruiter is None:
        raise Http404("Only recruiters have a digest.")
    form = DigestForm(request.POST, instance=recruiter)
    if form.is_valid():
        form.save()
    if recruiter.digest_enabled:
        messages.success(request, "You will get the daily digest at 08:00 when something is late.")
    else:
        messages.success(request, "No more daily digest. You can turn it back on here.")
    return redirect("agencies:settings")


@login_not_required
@require_http_methods(["GET", "POST"])
def digest_off(request, token: str):
    """The link at the foot of every digest: GET asks, POST turns it off."""
    try:
        recruiter = RecruiterMembership.objects.filter(pk=digest.read_off_token(token)).first()
    except signing.BadSignature:
        recruiter = None
    if recruiter is None:
        return _link_page(request, "This link does not work", "It may have been cut or changed.")
    if request.method == "POST":
        RecruiterMembership.objects.filter(pk=recruiter.pk).update(digest_enabled=False)
        return _link_page(
            request,
            "No more daily digest",
            "You can turn it back on from your Agency page once you sign in.",
        )
    context = {
        "title": "Stop the daily digest?",
        "text": "You will no longer get the 08:00 email listing your candidates' overdue answers.",
        "button": "Stop the digest",
    }
    return emailed_link_page(request, **context)


@require_POST
def leave(request, membership_pk: int):
    membership = _membership(request, membership_pk)
    services.leave(membership=membership)
    messages.success(request, f"You left {membership.agency}; they see nothing of yours.")
    return redirect("agencies:settings")
