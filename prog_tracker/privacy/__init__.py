"""Data-protection duties: retention and subject access (SPEC §8, issue 9)."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.privacy import views

    app.register_blueprint(views.bp)
