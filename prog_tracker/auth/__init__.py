"""Staff users, sign-in, sessions, second factor, API tokens and the interface language."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app; and listen."""
    from prog_tracker.auth import api as json_api
    from prog_tracker.auth import users_api, views
    from prog_tracker.auth.sessions import revoke_device_sessions
    from prog_tracker.auth.views import admin, credentials, language, settings, sign_in  # noqa: F401 - routes join bp
    from prog_tracker.core import events

    api.register_blueprint(json_api.blp)
    api.register_blueprint(users_api.blp)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.language_bp)
    app.register_blueprint(views.admin_bp)
    # A revoked field device's sign-ins end with it (devices/services.py sends it).
    events.device_revoked.connect(revoke_device_sessions, weak=False)
