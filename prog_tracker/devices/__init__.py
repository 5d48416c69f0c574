"""The field devices' registry (SPEC §11): sign-ins and syncs register the app's store,
the owner or an admin revokes one, and the revoked device reports its wipe once.

Below auth in the layers: auth's sign-in and user administration call these services,
and auth ends the sessions of a revoked device on the `device_revoked` signal.
"""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.devices import api as json_api
    from prog_tracker.devices import views
    from prog_tracker.devices.views import pages  # noqa: F401 - routes join bp

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
