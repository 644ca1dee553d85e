from django import template
from django.urls import reverse
from django.utils.html import format_html

from messaging.reminder_views import sweep_is_late

register = template.Library()


@register.simple_tag
def sweep_warning():
    """A warning for the admin's front page when beat has stopped sweeping reminders."""
    if not sweep_is_late():
        return ""
    return format_html(
        '<ul class="messagelist"><li class="error">Reminders are not going out: the last '
        "sweep was more than 5 minutes ago (is Celery beat running?). "
        '<a href="{}">Delivery health</a></li></ul>',
        reverse("messaging:delivery_health"),
    )
