"""What page tests check of any server page's markup."""

import re

# A <script> element without a src attribute: code written into the page, which the
# Content-Security-Policy forbids (module files from the app's own origin are fine).
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def inline_script(html: str) -> bool:
    """True when the page carries a script written into it rather than loaded from a file."""
    return _INLINE_SCRIPT.search(html) is not None
