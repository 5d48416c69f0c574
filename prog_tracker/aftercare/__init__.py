"""After release: contacts, outcomes and the caseworker's caseload."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app; and tell
    release's follow-ups which records meet them (contacts)."""
    from prog_tracker.aftercare import api as json_api
    from prog_tracker.aftercare import views
    from prog_tracker.aftercare.models import Contact
    from prog_tracker.aftercare.views import card, contact_pages, outcome_pages  # noqa: F401 - routes join bp
    from prog_tracker.release import followups

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
    followups.read_contacts_from(Contact)
