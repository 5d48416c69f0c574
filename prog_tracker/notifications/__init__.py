"""Web Push reminders: VAPID keys, subscriptions, what is due, sending it once."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app; and listen."""
    from prog_tracker.core import events
    from prog_tracker.notifications import api as json_api
    from prog_tracker.notifications import subscriptions, views

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
    events.session_ended.connect(subscriptions.on_session_ended, weak=False)
