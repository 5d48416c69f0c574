"""Health checks, the PWA manifest and error pages."""

from flask import Blueprint, g, jsonify, render_template, send_file
from flask_babel import gettext as _
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from prog_tracker.core.errors import (
    ApiError,
    error_response,
    from_http_exception,
    unexpected_error,
    wants_json,
)
from prog_tracker.core.security import public
from prog_tracker.extensions import db, login_manager
from prog_tracker.resources import resource_path

bp = Blueprint("core", __name__)


@bp.route("/healthz")
@public
def healthz():
    """Liveness: answers without touching the database."""
    return jsonify({"ok": True})


@bp.route("/readyz")
@public
def readyz():
    """Readiness: checks that the database answers."""
    db.session.execute(text("SELECT 1"))
    return jsonify({"ok": True, "database": "ok"})


@bp.route("/manifest.json")
@public
def manifest():
    """The PWA manifest, served from the root."""
    return send_file(resource_path("manifest.json"), mimetype="application/manifest+json")


def render_error_page(err):
    """An HTML error page for non-API routes."""
    titles = {
        400: _("This request could not be understood"),
        401: _("Please sign in"),
        403: _("You may not do this"),
        404: _("Page not found"),
        413: _("That was too large"),
        422: _("Some details need attention"),
        429: _("Too many attempts"),
        503: _("The service is unavailable"),
    }
    if err.status == 503:
        # The database is away: render for nobody rather than look the user up again.
        g.user = None
        g._login_user = login_manager.anonymous_user()
    title = titles.get(err.status, _("Something went wrong"))
    # The language switcher goes back to the start, not to this URL: an error
    # page is the same for every path (a certificate code that does not exist
    # must not show up on its 404).
    response = render_template(
        "errors.html", title=title, status=err.status, code=err.code, language_next="/"
    )
    return response, err.status, err.headers


def register_error_handlers(app) -> None:
    """Answer every error in the standard shape on API routes."""

    @app.errorhandler(ApiError)
    def _api_error(err):
        if wants_json():
            return error_response(err)
        return render_error_page(err)

    @app.errorhandler(HTTPException)
    def _http_error(exc):
        return _api_error(from_http_exception(exc))

    @app.errorhandler(Exception)
    def _unexpected(exc):
        return _api_error(unexpected_error(exc))
