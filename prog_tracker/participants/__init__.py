"""People in the programme.

Importing the package sets the guard that keeps anonymised records unchanged
(anonymised.py), so it is in place wherever a person's records can be written.
"""

from prog_tracker.participants import anonymised  # noqa: F401


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.participants import api as json_api
    from prog_tracker.participants import views
    from prog_tracker.participants.matching import models  # noqa: F401 - the tables
    from prog_tracker.participants.views import person, search  # noqa: F401 - routes join bp

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
