"""After release: contacts, follow-ups, outcomes and the caseworker's caseload."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app; and listen."""
    from prog_tracker.aftercare import api as json_api
    from prog_tracker.aftercare import followups, views
    from prog_tracker.core import events

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
    events.facility_calendar_changed.connect(followups.on_facility_calendar_changed, weak=False)
