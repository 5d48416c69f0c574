"""Indicators counted on several connections at once give the same figures as one by one.

On a database of the test's own: other connections cannot see the rolled-back
transaction of an ordinary test.
"""

import pytest
from flask_migrate import upgrade

from prog_tracker import create_app
from prog_tracker.reports import filters
from prog_tracker.reports.measures import indicators
from tests.conftest import TEST_KEYS
from tests.factories import Factory
from tests.reports.test_indicators import EXPECTED
from tests.reports.world import END, START, build

pytestmark = pytest.mark.own_database


def test_two_workers_count_what_one_counts(database_url, tmp_path):
    app = create_app(
        {"ENV": "test", "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": database_url, **TEST_KEYS}
    )
    assert app.config["REPORT_WORKERS"] == 2  # the default outside the shared test app
    with app.app_context(), app.test_request_context():
        upgrade()
        world = build(Factory())
        chosen = filters.resolve(world.admin, {"from": START, "to": END, "breakdown": "sex"})
        parallel = indicators.headline(chosen)
        app.config["REPORT_WORKERS"] = 1
        serial = indicators.headline(chosen)
    assert parallel == serial
    rates = {k: (v["numerator"], v["denominator"]) for k, v in parallel.items() if "numerator" in v}
    assert rates == {k: v for k, v in EXPECTED.items() if isinstance(v, tuple)}
    assert parallel["completion_rate"]["by_sex"]["female"]["numerator"] == 1
