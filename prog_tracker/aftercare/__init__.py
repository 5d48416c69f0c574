"""After release: contacts, follow-ups, outcomes and the caseworker's caseload."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.aftercare import api as json_api
    from prog_tracker.aftercare import views

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
