"""Offline sync (SPEC §5): the field app pushes its outbox and pulls its scope.

- push.py: each mutation through the domain services, exactly once (a ledger
  row with a unique mutation_id commits with the record it wrote);
- pull.py: what changed in, or left, the caller's scope since their cursor,
  found by comparing the scope now with what the cursor says the device holds;
- scope.py and represent.py: the scope of each entity and its representation;
- api.py: the two routes.
"""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.sync import api as json_api

    api.register_blueprint(json_api.blp)
