"""prog-tracker: a tracker for prison vocational and reintegration programmes."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from prog_tracker.config import instance_path_from_env, load_config
from prog_tracker.resources import resource_path


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask application."""
    app = Flask(
        __name__,
        instance_path=(test_config or {}).get("INSTANCE_PATH") or instance_path_from_env(),
        instance_relative_config=True,
        template_folder=str(resource_path("templates")),
        static_folder=str(resource_path("static")),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    load_config(app, test_config)
    if app.config["TRUSTED_PROXIES"]:
        # Addresses (for throttling) and https come from the proxies' headers.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _init_extensions(app)
    _register_blueprints(app)
    return app


def _init_extensions(app: Flask) -> None:
    """Bind the extensions and the request guards."""
    from prog_tracker.auth.sessions import load_request_user
    from prog_tracker.core.api import register_error_handlers
    from prog_tracker.core.bidi import TEMPLATE_FILTERS
    from prog_tracker.core.database import configure_engine
    from prog_tracker.core.i18n import select_locale, template_context
    from prog_tracker.core.openapi import make_api
    from prog_tracker.core.security import init_security
    from prog_tracker.extensions import babel, db, limiter, login_manager, migrate

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        # Exceptions must not carry names or notes into the logs.
        "hide_parameters": True,
    }
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(resource_path("migrations")))
    login_manager.init_app(app)
    login_manager.request_loader(lambda _request: load_request_user())
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(resource_path("translations")),
    )
    limiter.init_app(app)
    app.extensions["openapi"] = make_api(app)
    register_error_handlers(app)
    init_security(app)
    app.context_processor(template_context)
    # Names printed straight from a record: printable_name, isolated_name (issue 18).
    app.jinja_env.filters.update(TEMPLATE_FILTERS)


def _register_blueprints(app: Flask) -> None:
    """Attach every domain's routes."""
    from prog_tracker.aftercare import api as aftercare_api
    from prog_tracker.auth import admin_views, users_api
    from prog_tracker.auth import api as auth_api
    from prog_tracker.auth import language as language_views
    from prog_tracker.auth import views as auth_views
    from prog_tracker.certification import api as certification_api
    from prog_tracker.certification import views as certification_views
    from prog_tracker.core import pages
    from prog_tracker.directory import api as directory_api
    from prog_tracker.directory import views as directory_views
    from prog_tracker.home import views as home_views
    from prog_tracker.notifications import api as push_api
    from prog_tracker.participants import api as participants_api
    from prog_tracker.participants import views as participant_views
    from prog_tracker.partners import api as partners_api
    from prog_tracker.release import api as release_api
    from prog_tracker.reports import api as reports_api
    from prog_tracker.reports import export_api as reports_export_api
    from prog_tracker.sync import api as sync_api
    from prog_tracker.workshops import api as workshops_api
    from prog_tracker.workshops import views as workshop_views

    api = app.extensions["openapi"]
    for blueprint in (
        auth_api.blp,
        users_api.blp,
        directory_api.blp,
        participants_api.blp,
        workshops_api.blp,
        certification_api.blp,
        release_api.blp,
        partners_api.blp,
        aftercare_api.blp,
        sync_api.blp,
        push_api.blp,
        reports_api.blp,
        reports_export_api.blp,
    ):
        api.register_blueprint(blueprint)
    app.register_blueprint(pages.bp)
    app.register_blueprint(home_views.bp)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(language_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(directory_views.bp)
    app.register_blueprint(participant_views.bp)
    app.register_blueprint(workshop_views.bp)
    app.register_blueprint(certification_views.bp)
    _register_release_pages(app)
    _register_caseworker_pages(app)
    _register_field_app(app)
    _register_privacy_pages(app)
    _register_audit_log(app)


def _register_privacy_pages(app: Flask) -> None:
    """Data protection: the admin's subject access export."""
    from prog_tracker.privacy import views as privacy_views

    app.register_blueprint(privacy_views.bp)


def _register_audit_log(app: Flask) -> None:
    """The audit log (API and page) and the reason picker before one person's record."""
    from prog_tracker.auditlog import api as auditlog_api
    from prog_tracker.auditlog import views as auditlog_views

    app.extensions["openapi"].register_blueprint(auditlog_api.blp)
    app.register_blueprint(auditlog_views.bp)


def _register_field_app(app: Flask) -> None:
    """The offline field app: its shell at /app, the service worker at /sw.js; reminders."""
    from prog_tracker.fieldapp import views as fieldapp_views
    from prog_tracker.notifications import views as notification_views

    app.register_blueprint(fieldapp_views.bp)
    app.register_blueprint(notification_views.bp)


def _register_caseworker_pages(app: Flask) -> None:
    """The caseworker's pages: person card, contacts, outcomes, and the referral inbox."""
    from prog_tracker.aftercare import views as aftercare_views
    from prog_tracker.partners import views_inbox

    app.register_blueprint(aftercare_views.bp)
    app.register_blueprint(views_inbox.bp)


def _register_release_pages(app: Flask) -> None:
    """The officer's release pages: release actions, plans, releases ahead, referrals, consents."""
    from prog_tracker.partners import views as partner_views
    from prog_tracker.release import views as release_views
    from prog_tracker.reports import views as report_views

    app.register_blueprint(release_views.bp)
    app.register_blueprint(report_views.bp)
    app.register_blueprint(partner_views.bp)
