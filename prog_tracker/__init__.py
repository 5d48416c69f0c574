"""prog-tracker: a tracker for prison vocational and reintegration programmes."""

from importlib import import_module
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
    from prog_tracker.core.bidi import TEMPLATE_FILTERS
    from prog_tracker.core.database import configure_engine
    from prog_tracker.core.i18n import select_locale, template_context
    from prog_tracker.core.localised import LOCALISED_FILTERS, TEMPLATE_GLOBALS
    from prog_tracker.core.openapi import make_api
    from prog_tracker.core.pages import register_error_handlers
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
    # Reference data, countries and languages in the reader's language (issue 20).
    app.jinja_env.filters.update(LOCALISED_FILTERS)
    app.jinja_env.globals.update(TEMPLATE_GLOBALS)


# Each domain attaches its own routes (register(app, api) in its __init__), so assembling
# the app is this list. The order is the one blueprints were registered in before the
# restructure (the OpenAPI document lists paths in it); the layers are in
# docs/architecture.md and pyproject's [tool.importlinter].
DOMAINS = (
    "core",
    "home",
    "auth",
    "devices",
    "directory",
    "participants",
    "workshops",
    "certification",
    "release",
    "partners",
    "aftercare",
    "sync",
    "notifications",
    "reports",
    "fieldapp",
    "privacy",
    "auditlog",
    "imports",
    "merges",
)


def _register_blueprints(app: Flask) -> None:
    """Attach every domain's routes."""
    api = app.extensions["openapi"]
    for name in DOMAINS:
        import_module(f"prog_tracker.{name}").register(app, api)
