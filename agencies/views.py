"""The candidate's side: join an agency with a code, choose to share, stop at any time."""

from allauth.core import ratelimit
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from agencies import services, visibility
from agencies.forms import JoinForm
from agencies.models import CandidateMembership
from applications.models import Application, FollowUp, Interview
from messaging.models import Message


def _page(request, form=None, status=200):
    memberships = (
        CandidateMembership.objects.for_candidate(request.user)
        .select_related("agency", "office")
        .order_by("agency__name")
    )
    user = request.user
    context = {
        "memberships": memberships,
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
def leave(request, membership_pk: int):
    membership = _membership(request, membership_pk)
    services.leave(membership=membership)
    messages.success(request, f"You left {membership.agency}; they see nothing of yours.")
    return redirect("agencies:settings")
