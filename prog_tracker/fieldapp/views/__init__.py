"""Routes of the field app: the shell at /app (and its deep links), /sw.js, and its strings.

None of these answers carries personal data or depends on who asks: the shell
is the same HTML for everyone (the app fills it from its device store), so it
can be cached by the service worker and opened with no network at all.
"""

import json

from flask import Blueprint, abort, current_app, render_template, url_for

from prog_tracker.core.security import public
from prog_tracker.fieldapp.assets import (
    STYLESHEETS,
    cache_version,
    precache_urls,
    shell_modules,
)
from prog_tracker.fieldapp.catalogue import app_catalogue
from prog_tracker.resources import resource_path

bp = Blueprint("fieldapp", __name__)

# Revalidate on every use: the service worker keeps the offline copy, not the HTTP cache.
REVALIDATE = {"Cache-Control": "no-cache"}


@bp.route("/app")
@bp.route("/app/<path:subpath>")
@public
def shell(subpath=None):
    """The field app's one HTML page; every /app/... deep link answers the same page."""
    locales = current_app.config["TRANSLATED_LOCALES"]
    html = render_template(
        "app/shell.html",
        stylesheets=[url_for("static", filename=name) for name in STYLESHEETS],
        modules=[url_for("static", filename=name) for name in shell_modules()[1:]],
        config_json=json.dumps(
            {
                "locales": list(locales),
                "push_timeout_ms": current_app.config["PUSH_SWITCH_TIMEOUT_MS"],
            }
        ),
    )
    return html, 200, REVALIDATE


@bp.route("/sw.js")
@public
def service_worker():
    """The service worker, served from the root so that it controls the whole origin."""
    locales = current_app.config["TRANSLATED_LOCALES"]
    script = (resource_path("static") / "sw.js").read_text(encoding="utf-8")
    script = script.replace('"__CACHE_VERSION__"', json.dumps(cache_version(locales)))
    script = script.replace('["__PRECACHE__"]', json.dumps(precache_urls(locales)))
    headers = {**REVALIDATE, "Content-Type": "text/javascript; charset=utf-8"}
    return script, 200, headers


@bp.route("/app/i18n/<locale>.json")
@public
def catalogue(locale):
    """The app's strings in one of the interface languages."""
    if locale not in current_app.config["TRANSLATED_LOCALES"]:
        abort(404)
    return app_catalogue(locale)
