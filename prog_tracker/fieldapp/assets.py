"""What the field app's service worker precaches, and the version that names its cache.

The version is a hash of every precached file, so changing any of them changes
/sw.js byte for byte, the browser installs the new worker and it drops the old
cache: no stale shell after a deploy, and no hand-bumped version number.
"""

import hashlib
from pathlib import Path

from prog_tracker.resources import resource_path

# Static files the shell loads (stylesheets first, then every module of the app).
STYLESHEETS = ("css/app.css", "app/app.css")
ICONS = (
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-192.png",
    "icons/icon-maskable-512.png",
)


def app_modules() -> list[str]:
    """Every ES module of the field app, as paths under /static."""
    folder = resource_path("static") / "app"
    return sorted(f"app/{path.relative_to(folder).as_posix()}" for path in folder.rglob("*.js"))


def static_files() -> list[str]:
    """The static files the shell needs offline, as paths under /static."""
    return [*STYLESHEETS, *app_modules(), *ICONS]


def precache_urls(locales) -> list[str]:
    """The URLs the service worker stores at install time."""
    return [
        "/app",
        "/manifest.json",
        *(f"/static/{name}" for name in static_files()),
        *(f"/app/i18n/{locale}.json" for locale in locales),
    ]


def _version_inputs(locales) -> list[Path]:
    """The files whose bytes decide the cache version."""
    static = resource_path("static")
    translations = resource_path("translations")
    return [
        static / "sw.js",
        resource_path("templates") / "app" / "shell.html",
        resource_path("manifest.json"),
        *(static / name for name in static_files()),
        *(translations / loc / "LC_MESSAGES" / "messages.mo" for loc in locales if loc != "en"),
    ]


def cache_version(locales) -> str:
    """A short hash of everything precached."""
    digest = hashlib.sha256()
    for path in _version_inputs(locales):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]
