"""The audit log: reasons given for reading one person's record, and the review of events."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.auditlog import api as json_api
    from prog_tracker.auditlog import views
    from prog_tracker.auditlog.views import log, reason  # noqa: F401 - routes join bp

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
