"""The `plain_text` template library, for the plain-text parts of emails (templates/emails/*.txt).

Those parts are drawn without HTML escaping, so what a user or a server typed reaches the
reader as it was typed, line breaks included: a company named "Acme\\nOpen it: https://…" would
draw a line of its own that looks like one of Bridges' links. Every value that did not come
from Bridges itself goes through `one_line` there, the same folding the headers get.
"""

from django import template

from config import mail_headers

register = template.Library()


@register.filter
def one_line(value) -> str:
    """`value` on one line: line breaks and control characters become spaces."""
    return mail_headers.one_line(str(value) if value is not None else "")
