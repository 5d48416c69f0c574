"""Staff users, sign-in, sessions, second factor, API tokens and the interface language."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.auth import admin_views, language, users_api, views
    from prog_tracker.auth import api as json_api

    api.register_blueprint(json_api.blp)
    api.register_blueprint(users_api.blp)
    app.register_blueprint(views.bp)
    app.register_blueprint(language.bp)
    app.register_blueprint(admin_views.bp)
