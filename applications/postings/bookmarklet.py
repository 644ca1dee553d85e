"""The bookmarklet: a bookmark that, clicked on a job board's page, opens Bridges' “add from a
posting” in a new tab with that page's address and its JSON-LD.

It never sends anything from the job board's page itself: the board's Content Security Policy
may forbid its scripts any connection (`connect-src`) and any form sent elsewhere
(`form-action`), but not opening a new window. The data rides in the new address's fragment,
which the browser keeps to itself (it reaches neither Bridges' logs nor the board), and
Bridges' own script on the page it opens reads it and sends the form from Bridges' origin.
"""

import json
from urllib.parse import quote

# Larger JSON-LD is left behind (browsers cap an address's length); Bridges then fetches the
# link itself.
MOST_JSON_LD = 100_000

_SCRIPT = (
    "(()=>{"
    "const s=[...document.querySelectorAll('script[type=\"application/ld+json\"]')]"
    ".map(e=>e.textContent);"
    "const p=new URLSearchParams({url:location.href});"
    "const j=JSON.stringify(s);"
    "if(s.length&&j.length<%(most)d)p.set('jsonld',j);"
    "window.open(%(target)s+'#'+p,'_blank','noopener');"
    "})()"
)


def bookmarklet(target: str) -> str:
    """The bookmark's address (a javascript: URL) for Bridges' page at `target`."""
    script = _SCRIPT % {"most": MOST_JSON_LD, "target": json.dumps(target)}
    return "javascript:" + quote(script, safe="()=>{}[],;:.!*+-_/?&|'")
