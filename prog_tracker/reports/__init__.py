"""Reports for supervisors and donors: indicators (SPEC §7), the dashboard, exports."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.reports import api as json_api
    from prog_tracker.reports import export_api, views

    api.register_blueprint(json_api.blp)
    api.register_blueprint(export_api.blp)
    app.register_blueprint(views.bp)
