"""A short label for a device from its User-Agent, when the app names none."""

import re

# (pattern, name), first match wins: Edge, Opera and Samsung say "Chrome" too.
BROWSERS = (
    (r"\bEdg(?:e|A|iOS)?/", "Edge"),
    (r"\bOPR/|\bOpera\b", "Opera"),
    (r"\bSamsungBrowser/", "Samsung Internet"),
    (r"\bFirefox/|\bFxiOS/", "Firefox"),
    (r"\bChrome/|\bCriOS/|\bChromium/", "Chrome"),
    (r"\bVersion/[\d.]+.*\bSafari/", "Safari"),
)
SYSTEMS = (
    (r"\bAndroid\b", "Android"),
    (r"\biPhone\b|\biPad\b|\biPod\b", "iOS"),
    (r"\bCrOS\b", "ChromeOS"),
    (r"\bWindows\b", "Windows"),
    (r"\bMac OS X\b|\bMacintosh\b", "macOS"),
    (r"\bLinux\b", "Linux"),
)
DEFAULT_LABEL = "Browser"


def _first(table, user_agent: str) -> str | None:
    """The name of the first pattern of table that user_agent matches."""
    return next((name for pattern, name in table if re.search(pattern, user_agent)), None)


def label_from_user_agent(user_agent: str | None) -> str:
    """ "Chrome · Android", "Firefox · Windows"…, else "Browser": brand names only, read
    alike in every language (no English word between them)."""
    text = (user_agent or "")[:512]
    browser, system = _first(BROWSERS, text), _first(SYSTEMS, text)
    if browser and system:
        return f"{browser} · {system}"
    return browser or DEFAULT_LABEL


def state_labels() -> dict:
    """A device's state as the pages name it, in the reader's language."""
    from flask_babel import lazy_gettext as _l

    return {"active": _l("Active"), "revoked": _l("Revoked"), "wiped": _l("Wiped")}
