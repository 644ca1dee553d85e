"""The user's address book of hiring managers, recruiters and interviewers."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from applications import selectors, services
from applications.editing import EditConflict
from applications.forms import ContactForm
from applications.models import Contact
from applications.views.common import saved_message


@require_GET
def contact_list(request):
    contacts = Contact.objects.for_user(request.user).prefetch_related("applications")
    return render(request, "applications/contacts/list.html", {"contacts": contacts})


@require_http_methods(["GET", "POST"])
def contact_create(request):
    form = ContactForm(request.POST or None, instance=Contact(owner=request.user))
    if form.is_valid():
        contact = form.save()
        messages.success(request, f"Added {contact.name}.")
        return redirect("applications:contacts")
    return render(request, "applications/contacts/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int):
    contact = selectors.owned_contact(request.user, pk)
    form = ContactForm(request.POST or None, instance=contact)
    conflict = None
    if form.is_valid():
        edit = form.edit()
        try:
            contact = services.contact_update(contact=contact, edit=edit)
        except EditConflict as clash:
            conflict = clash
            form.show_conflict(conflict, selectors.owned_contact(request.user, pk))
        else:
            saved_message(request, form, edit, f"Saved {contact.name}.")
            return redirect("applications:contacts")
    context = {"form": form, "contact": contact, "conflict": conflict}
    return render(request, "applications/contacts/form.html", context)


@require_http_methods(["GET", "POST"])
def contact_delete(request, pk: int):
    contact = selectors.owned_contact(request.user, pk)
    if request.method == "POST":
        services.contact_delete(contact=contact)
        messages.success(request, f"Deleted {contact.name}.")
        return redirect("applications:contacts")
    return render(request, "applications/contacts/confirm_delete.html", {"contact": contact})
