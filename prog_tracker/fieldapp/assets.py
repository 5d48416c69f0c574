"""What the field app's service worker precaches, and the version that names its cache.

The version is a hash of every precached file, so changing any of them changes
/sw.js byte for byte, the browser installs the new worker and it drops the old
cache: no stale shell after a deploy, and no hand-bumped version number.
"""

import hashlib
import posixpath
import re
from functools import cache
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


# A static import: `import x from './y.js'` or `import './y.js'` (not a dynamic `import(`).
STATIC_IMPORT = re.compile(r"""^\s*import\s[^'"(]*['"](\.{1,2}/[^'"]+)['"]""", re.MULTILINE)
ENTRY = "app/main.js"


@cache
def shell_modules() -> tuple[str, ...]:
    """The modules the app's start loads (main.js and its static imports, not the screens
    it imports on demand), as paths under /static; the shell preloads them all at once
    instead of discovering them one import level after another."""
    static = resource_path("static")
    seen, todo = [], [ENTRY]
    while todo:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.append(path)
        folder = posixpath.dirname(path)
        source = (static / path).read_text(encoding="utf-8")
        todo += [
            posixpath.normpath(posixpath.join(folder, i)) for i in STATIC_IMPORT.findall(source)
        ]
    return tuple(seen)


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
