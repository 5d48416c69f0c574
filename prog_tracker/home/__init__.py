"""The signed-in home page."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.home import views

    app.register_blueprint(views.bp)
