"""The field app: an installable, offline-first shell for instructors and caseworkers."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.fieldapp import views

    app.register_blueprint(views.bp)
