"""Two records of one person at one facility, and helpers to read every table."""

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from prog_tracker.extensions import db

# Tables a merge and its undo write on purpose: the merge itself, and the audit chain.
NOT_COMPARED = {"participant_merges", "audit_events"}


@dataclass
class Pair:
    """The facility, its officer, an admin, and the two records (source, into)."""

    facility: object
    officer: object
    admin: object
    source: object
    into: object


@pytest.fixture
def pair(make):
    """Dana Ermek twice at one facility: once typed in Latin, once in Cyrillic."""
    facility = make.facility(country="KZ", timezone="Asia/Almaty")
    return Pair(
        facility=facility,
        officer=make.user("officer", facility=facility),
        admin=make.user("admin"),
        source=make.participant(
            facility=facility, given_name="Dana", family_name="Ermek", other_names="Dani"
        ),
        into=make.participant(facility=facility, given_name="Дана", family_name="Ермек"),
    )


def every_table() -> dict:
    """Every table's rows (all columns), in primary-key order, but the merges and audit."""
    seen = {}
    for table in db.metadata.sorted_tables:
        if table.name in NOT_COMPARED:
            continue
        query = select(table).order_by(*table.primary_key.columns)
        seen[table.name] = [row._asdict() for row in db.session.execute(query)]
    return seen


def differences(before: dict, after: dict) -> dict:
    """table -> (rows only before, rows only after), for the tables that differ."""
    found = {}
    for name in before:
        if before[name] != after[name]:
            gone = [r for r in before[name] if r not in after[name]]
            new = [r for r in after[name] if r not in before[name]]
            found[name] = (gone, new)
    return found
