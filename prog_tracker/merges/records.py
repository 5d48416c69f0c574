"""Every record that refers to a person, found in the schema, and the double lines a
merge must not create.

The records are found by their foreign keys to participants.id, so a table added
later moves with the rest. `HANDLED` lists each such column with how it moves;
tests/merges/test_schema_coverage.py fails when the schema names a column it does
not, so each new one is looked at once: does it move plainly, or can it make a
double line (a unique key with the person in it) that needs a rule here?

Audit events, access grants and notifications name a person without a foreign key
and are history: they stay as they were (old links redirect to the survivor).
"""

from sqlalchemy import select

from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.merges.snapshot import Recorder, table

# Columns that refer to a person but are not their records.
NOT_RECORDS = {
    ("participants", "merged_into_id"),  # the tombstone's own link
    ("participant_merges", "source_id"),
    ("participant_merges", "into_id"),
    # The matcher's: keys are derived from the names (refresh_match_keys rewrites the
    # survivor's; a tombstone is in nobody's scope), and "not the same person" marks are
    # history of a decision about the two records as they were.
    ("participant_match_keys", "participant_id"),
    ("participant_not_duplicates", "a_id"),
    ("participant_not_duplicates", "b_id"),
}
OPEN_REFERRAL = ("pending", "accepted")
ACTIVE_ENROLMENT = ("waitlisted", "enrolled")


def person_columns() -> list[tuple[str, str]]:
    """(table, column) of every foreign key to participants.id that holds a person's records."""
    return sorted(
        (tab.name, key.parent.name)
        for tab in db.metadata.tables.values()
        for key in tab.foreign_keys
        if key.column.table.name == "participants" and key.column.name == "id"
        if (tab.name, key.parent.name) not in NOT_RECORDS
    )


def _rows(name: str, person_id: str, *columns, where=()):
    """The rows of one person in a table, with the columns named."""
    tab = table(name)
    query = select(tab.c.id, *(tab.c[c] for c in columns)).where(tab.c.participant_id == person_id)
    return db.session.execute(query.where(*where)).all()


def attendance(rec: Recorder, actor, source_id: str, into_id: str) -> None:
    """One line per (session, person): the most recent recording stays (the survivor's
    when both were recorded at the same moment); the other goes, with its history."""
    mine = {r.session_id: r for r in _rows("attendance", into_id, "session_id", "recorded_at")}
    for theirs in _rows("attendance", source_id, "session_id", "recorded_at"):
        kept = mine.get(theirs.session_id)
        if kept is None:
            continue
        loser = kept if theirs.recorded_at > kept.recorded_at else theirs
        rec.delete("attendance", loser.id)


def enrolments(rec: Recorder, actor, source_id: str, into_id: str) -> None:
    """One active enrolment per (cohort, person): an enrolled place beats a waitlisted
    one, else the survivor's stays; the other goes. Ended enrolments all move."""
    active = (table("enrolments").c.status.in_(ACTIVE_ENROLMENT),)
    mine = {
        r.cohort_id: r for r in _rows("enrolments", into_id, "cohort_id", "status", where=active)
    }
    for theirs in _rows("enrolments", source_id, "cohort_id", "status", where=active):
        kept = mine.get(theirs.cohort_id)
        if kept is None:
            continue
        source_wins = theirs.status == "enrolled" and kept.status != "enrolled"
        rec.delete("enrolments", (kept if source_wins else theirs).id)


def referrals(rec: Recorder, actor, source_id: str, into_id: str) -> None:
    """One open referral per (person, organisation): an accepted one beats a pending one,
    else the survivor's stays; the other is closed (kept: plan items may follow it)."""
    open_ = (table("referrals").c.status.in_(OPEN_REFERRAL),)
    mine = {
        r.organisation_id: r
        for r in _rows("referrals", into_id, "organisation_id", "status", where=open_)
    }
    for theirs in _rows("referrals", source_id, "organisation_id", "status", where=open_):
        kept = mine.get(theirs.organisation_id)
        if kept is None:
            continue
        source_wins = theirs.status == "accepted" and kept.status != "accepted"
        closed = {"status": "closed", "closed_at": utcnow(), "closed_by_id": actor.id}
        rec.update("referrals", (kept if source_wins else theirs).id, closed)


def plan_items(rec: Recorder, actor, source_id: str, into_id: str) -> None:
    """One release plan item per (person, kind): the one changed last stays (the
    survivor's when both changed at the same moment); the other goes."""
    mine = {r.kind: r for r in _rows("release_plan_items", into_id, "kind", "updated_at")}
    for theirs in _rows("release_plan_items", source_id, "kind", "updated_at"):
        kept = mine.get(theirs.kind)
        if kept is None:
            continue
        loser = kept if theirs.updated_at > kept.updated_at else theirs
        rec.delete("release_plan_items", loser.id)


# How each column moves: None when it moves as it is, else the rule that first settles
# the double lines its unique keys would make.
HANDLED = {
    ("assessments", "participant_id"): None,
    ("attendance", "participant_id"): attendance,
    ("certificates", "participant_id"): None,  # the code keeps working; the survivor holds it
    ("consents", "participant_id"): None,  # several per organisation are allowed (history)
    ("contacts", "participant_id"): None,
    ("enrolments", "participant_id"): enrolments,
    ("follow_ups", "participant_id"): None,  # judged again afterwards (followups.refresh_met)
    ("outcomes", "participant_id"): None,
    ("referrals", "participant_id"): referrals,
    ("release_date_changes", "participant_id"): None,
    ("release_episodes", "participant_id"): None,
    ("release_plan_items", "participant_id"): plan_items,
    ("status_changes", "participant_id"): None,
}


def unique_with_person(name: str, column: str) -> bool:
    """True when a unique constraint or index of the table includes the person column."""
    tab = table(name)
    keys = [c for c in tab.constraints if type(c).__name__ == "UniqueConstraint"]
    keys += [i for i in tab.indexes if i.unique]
    return any(column in {c.name for c in key.columns} for key in keys)


def move_records(rec: Recorder, actor, source_id: str, into_id: str) -> dict:
    """Settle the double lines, then move every record of source onto into; returns
    how many rows moved per table."""
    moved = {}
    for name, column in person_columns():
        if (name, column) not in HANDLED:
            raise RuntimeError(f"merge does not know how to move {name}.{column}")
        rule = HANDLED[(name, column)]
        if rule is None and unique_with_person(name, column):
            raise RuntimeError(f"{name}.{column} is unique per person: merge needs a rule")
        if rule is not None:
            rule(rec, actor, source_id, into_id)
        tab = table(name)
        ids = list(db.session.scalars(select(tab.c.id).where(tab.c[column] == source_id)))
        for row_id in ids:
            rec.update(name, row_id, {column: into_id})
        moved[name] = len(ids)
    return moved
