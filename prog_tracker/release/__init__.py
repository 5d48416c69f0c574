"""Release dates, release episodes (with their follow-ups) and release plans."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app; and listen."""
    from prog_tracker.core import events
    from prog_tracker.release import api as json_api
    from prog_tracker.release import followups, plans, views
    from prog_tracker.release.views import ahead, custody, plan  # noqa: F401 - routes join bp

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
    events.release_date_changed.connect(plans.on_release_date_changed, weak=False)
    events.facility_calendar_changed.connect(followups.on_facility_calendar_changed, weak=False)
