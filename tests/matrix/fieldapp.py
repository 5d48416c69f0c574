"""Permission-matrix rows for the field app's shell, service worker and strings.

They are the same for everyone, signed in or not: the shell carries no
personal data (the app fills it from the device store after signing in).
The strings route is called with its rule's literal placeholder, which names
no language, hence 404; tests/fieldapp checks the real languages.
"""

EVERYONE = (200, 200, 200, 200, 200, 200)

ROWS = {
    ("GET", "/app"): (None, EVERYONE),
    ("GET", "/app/<path:subpath>"): (None, EVERYONE),
    ("GET", "/sw.js"): (None, EVERYONE),
    ("GET", "/app/i18n/<locale>.json"): (None, (404, 404, 404, 404, 404, 404)),
}
