"""Importing participants from registers and spreadsheets (SPEC §12): the command line,
POST /api/v1/imports/participants and the officer's import page share services.py."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.imports import api as json_api
    from prog_tracker.imports import views
    from prog_tracker.imports.views import pages  # noqa: F401 - routes join bp

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
