"""The Inbox page, the mailbox's connection page, and answering proposals."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.stages import MoveNotAllowed
from inbox import crypto, imap, services
from inbox.addresses import HostRefused
from inbox.forms import MailboxForm
from inbox.models import Mailbox, Proposal

PER_PAGE = 25


def _get_proposal_for_user(request, proposal_pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.for_user(request.user).select_related("application__owner"),
        pk=proposal_pk,
    )


def _mailbox(request) -> Mailbox | None:
    return Mailbox.objects.for_user(request.user).first()


@require_GET
def inbox_page(request):
    proposals = Proposal.objects.for_user(request.user).pending().select_related("application")
    page = Paginator(proposals, PER_PAGE).get_page(request.GET.get("page"))
    decided = (
        Proposal.objects.for_user(request.user)
        .exclude(state=Proposal.State.PENDING)
        .select_related("application")
        .order_by("-decided_at", "-id")[:10]
    )
    context = {"mailbox": _mailbox(request), "page": page, "decided": decided}
    return render(request, "inbox/index.html", context)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def mailbox_page(request):
    mailbox = _mailbox(request)
    form = MailboxForm.for_mailbox(mailbox, request.POST or None)
    if form.is_valid():
        try:
            services.mailbox_connect(
                user=request.user,
                connection=form.settings(),
                password=form.cleaned_data["password"],
                read_last_30_days=form.cleaned_data["read_last_30_days"],
            )
        except (HostRefused, imap.ImapError, crypto.NotConfigured) as failure:
            form.add_error(None, getattr(failure, "message", str(failure)))
        else:
            services.mailbox_poll_soon(mailbox=Mailbox.objects.get(owner=request.user))
            messages.success(
                request,
                "Connected. Bridges has logged in and opened your inbox read-only; it looks for "
                "answers from employers every 10 minutes.",
            )
            return redirect("inbox:index")
    context = {"form": form, "mailbox": mailbox, "configured": crypto.available()}
    return render(request, "inbox/mailbox.html", context)


@require_POST
def mailbox_test(request):
    mailbox = get_object_or_404(Mailbox.objects.for_user(request.user))
    try:
        folder = services.mailbox_test(mailbox=mailbox)
    except (HostRefused, imap.ImapError, crypto.Unreadable, crypto.NotConfigured) as failure:
        messages.error(request, f"The test failed: {getattr(failure, 'message', failure)}")
    else:
        messages.success(
            request, f"It works: logged in and opened INBOX read-only ({folder.exists} messages)."
        )
    return redirect("inbox:mailbox")


@require_POST
def mailbox_check_now(request):
    services.mailbox_poll_soon(mailbox=get_object_or_404(Mailbox.objects.for_user(request.user)))
    messages.success(request, "Bridges will look at your mailbox in a moment.")
    return redirect("inbox:index")


@require_POST
def mailbox_disconnect(request):
    deleted = services.mailbox_disconnect(user=request.user)
    messages.success(
        request,
        f"Disconnected. Your app password and {deleted} proposal{'s' * (deleted != 1)} are "
        "deleted; Bridges no longer reads your mail.",
    )
    return redirect("profile")


@require_POST
def proposal_accept(request, proposal_pk: int):
    proposal = _get_proposal_for_user(request, proposal_pk)
    try:
        services.proposal_accept(proposal=proposal)
    except (MoveNotAllowed, services.AlreadyDecided) as refused:
        messages.error(request, f"Nothing was recorded: {refused}")
        return redirect("inbox:index")
    messages.success(request, f"Recorded on {proposal.application}'s timeline at the email's date.")
    return redirect("inbox:index")


@require_POST
def proposal_dismiss(request, proposal_pk: int):
    try:
        services.proposal_dismiss(proposal=_get_proposal_for_user(request, proposal_pk))
    except services.AlreadyDecided as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Dismissed. Nothing was recorded.")
    return redirect("inbox:index")
