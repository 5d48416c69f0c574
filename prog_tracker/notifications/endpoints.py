"""Which push endpoints the server may post to (PROG_TRACKER_PUSH_ENDPOINTS).

A subscription names a URL the server will later call: left open, anyone
signed in could make the server post to internal addresses. Only origins on
this list are accepted. `*` stands for one DNS label in a host, or any port.
"""

import re
from urllib.parse import urlsplit

# The https origins of the browser push services (Chrome/Android, Firefox,
# Safari, Edge/Windows).
DEFAULT_PUSH_ENDPOINTS = (
    "https://fcm.googleapis.com,"
    "https://updates.push.services.mozilla.com,"
    "https://*.push.apple.com,"
    "https://*.notify.windows.com"
)
DEFAULT_PORTS = {"https": "443", "http": "80"}


def compile_allow_list(setting: str) -> tuple:
    """The setting's origins as regular expressions; ValueError names a bad entry."""
    patterns = []
    for entry in (part.strip() for part in setting.split(",")):
        if entry:
            patterns.append(_pattern(entry))
    return tuple(patterns)


def _pattern(origin: str) -> re.Pattern:
    """One allowed origin (scheme://host[:port]) as an exact-match pattern."""
    match = re.fullmatch(r"(https?)://([A-Za-z0-9.*-]+|\[[0-9a-fA-F:]+\])(?::(\d+|\*))?/?", origin)
    if not match:
        raise ValueError(f"PROG_TRACKER_PUSH_ENDPOINTS: {origin!r} is not an origin")
    scheme, host, port = match.group(1), match.group(2).lower(), match.group(3)
    host_re = r"\.".join(
        "[a-z0-9-]+" if label == "*" else re.escape(label) for label in host.split(".")
    )
    port_re = r"\d+" if port == "*" else re.escape(port or DEFAULT_PORTS[scheme])
    return re.compile(f"{scheme}://{host_re}:{port_re}")


def origin_of(endpoint: str) -> str | None:
    """scheme://host:port of an endpoint URL (port always written), or None if malformed."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username is not None:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}:{port or DEFAULT_PORTS[parts.scheme]}"


def allowed(endpoint: str, patterns: tuple) -> bool:
    """True when the endpoint's origin is on the allow-list."""
    origin = origin_of(endpoint)
    return origin is not None and any(p.fullmatch(origin) for p in patterns)
