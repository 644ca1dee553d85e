from django import template
from django.urls import reverse

from applications.postings.bookmarklet import bookmarklet

register = template.Library()


@register.simple_tag(takes_context=True)
def posting_bookmarklet(context) -> str:
    """The bookmarklet's address, pointing at this site as the browser reached it."""
    request = context["request"]
    return bookmarklet(request.build_absolute_uri(reverse("applications:posting_read")))
