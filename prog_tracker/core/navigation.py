"""Where a page may send the browser next."""

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None) -> str:
    """A same-site relative path to go to next (after sign-in, a language switch…), else home."""
    # Browsers read a backslash as a slash ("/\\evil.example" would leave the
    # site) and drop tabs and newlines ("/\t/evil.example"); control characters
    # would also break the Location header.
    if not target or len(target) > 2000 or any(ord(c) < 0x20 or c in "\\\x7f" for c in target):
        return url_for("home.home")
    if target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.home")
