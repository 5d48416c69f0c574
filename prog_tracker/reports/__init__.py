"""Reports for supervisors and donors: indicators (SPEC §7), the dashboard, exports."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.reports import api as json_api
    from prog_tracker.reports import views
    from prog_tracker.reports.views import definitions, exports  # noqa: F401 - routes join bp

    api.register_blueprint(json_api.blp)
    api.register_blueprint(json_api.export_blp)
    app.register_blueprint(views.bp)
