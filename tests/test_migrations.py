"""The migrations build exactly the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from prog_tracker.extensions import db

# It reads the schema over a connection of its own, outside the per-test
# transaction (which on SQLite holds the write lock).
pytestmark = pytest.mark.own_database


def test_models_and_migrations_agree(app):
    # The session fixture built the schema with `upgrade()` from empty.
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
