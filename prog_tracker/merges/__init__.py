"""Merging two records of one person, the undo, and the duplicates page (SPEC §12).

Above every domain whose records refer to a person: it moves them all, found
in the schema (records.py), and judges follow-ups again through release.
"""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.merges import api as json_api
    from prog_tracker.merges import views
    from prog_tracker.merges.views import pages  # noqa: F401 - routes join bp

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
