"""Offline sync (SPEC §5): the field app pushes its outbox and pulls its scope.

- push.py: each mutation through the domain services, exactly once (a ledger
  row with a unique mutation_id commits with the record it wrote);
- pull.py: what changed in, or left, the caller's scope since their cursor,
  found by comparing the scope now with what the cursor says the device holds;
- scope.py and represent.py: the scope of each entity and its representation;
- api.py: the routes (push, pull, and the public device check).

Every sync request may name the app's store in X-Device-Id (SPEC §11): a revoked
device hears so before sign-in is even looked at (its session is already gone).
"""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.core.security import check_before_sign_in
    from prog_tracker.devices.headers import refuse_revoked_device
    from prog_tracker.sync import api as json_api

    api.register_blueprint(json_api.blp)
    check_before_sign_in(app, json_api.blp.name, refuse_revoked_device)
