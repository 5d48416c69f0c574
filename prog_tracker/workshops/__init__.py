"""Trades, cohorts, enrolments, sessions and attendance."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.workshops import api as json_api
    from prog_tracker.workshops import views
    from prog_tracker.workshops.views import cohorts, enrol, roll  # noqa: F401 - routes join bp

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
