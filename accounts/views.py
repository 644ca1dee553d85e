from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm
from applications import followups


@require_http_methods(["GET", "POST"])
def profile(request):
    was_silent = request.user.reminder_mode == "none"
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        user = form.save()
        if was_silent and user.reminder_mode != "none":
            followups.rearm_reminders(user=user)
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})
