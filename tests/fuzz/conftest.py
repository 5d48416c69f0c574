"""Shared pieces of the fuzz tests: bounded settings, hostile JSON values, row counts.

FUZZ_EXAMPLES raises the number of examples for a deeper run by hand (e.g.
`FUZZ_EXAMPLES=2000 pytest tests/fuzz`); FUZZ_RANDOM=1 explores new inputs on
each run instead of the same derandomised ones.
"""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from prog_tracker.extensions import db
from tests.sync.conftest import field  # noqa: F401 - the field world as a fixture here

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    # The world is built once per test and each example runs on top of it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Rows a refused request may still write: the audit trail records denials.
UNCOUNTED = {"audit_events"}

# Text that no keyboard types: NUL, lone surrogates, controls, right-to-left marks.
HOSTILE_TEXT = st.sampled_from(
    ["\x00", "a\x00b", "\ud800", "x\udfffy", "\u202e", "\ufeff", "\u0000\u0000", "ـ", "é" * 300]
)
TEXT = st.one_of(HOSTILE_TEXT, st.text(max_size=40), st.text(min_size=10_001, max_size=10_002))
NUMBERS = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 2**31, 2**63, -(2**63) - 1, 10**30]),
    st.floats(),  # NaN and ±Infinity included: Python's json writes and reads them
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.one_of(st.text(max_size=12), HOSTILE_TEXT), children, max_size=4)
    ),
    max_leaves=12,
)


def row_counts() -> dict:
    """Rows in every table the request must leave alone when it is refused."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name not in UNCOUNTED
    }


def assert_error_shape(response, statuses=range(400, 500)) -> dict:
    """The response is a 4xx (within statuses) in the standard error shape; returns it."""
    assert response.status_code in statuses, (response.status_code, response.get_data()[:300])
    body = response.get_json()
    assert isinstance(body, dict) and set(body["error"]) <= {"code", "message", "fields"}
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    fields = body["error"].get("fields")
    assert fields is None or isinstance(fields, dict)
    return body
