"""Referrals to partner organisations and the person's consents."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app (the person's
    referrals page and the caseworker's inbox are two blueprints); and listen."""
    from prog_tracker.core import events
    from prog_tracker.partners import api as json_api
    from prog_tracker.partners import plan_link, views
    from prog_tracker.partners.views import inbox, person  # noqa: F401 - routes join bp

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.inbox.bp)
    events.release_plan_drawn_up.connect(plan_link.on_plan_drawn_up, weak=False)
