"""Merge two records of one person, and undo a merge (SPEC §12).

Every record of the source moves onto the survivor (merges/records.py finds
them in the schema); double lines are settled first; both spellings of the
name stay in the survivor's `other_names`; the source becomes a tombstone.
What changed is kept (merges/snapshot.py), so the undo restores both people
exactly, while records added to the survivor since stay with the survivor.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from prog_tracker.core import audit, policy
from prog_tracker.core.errors import ApiError, validation_error
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.merges.models import ParticipantMerge
from prog_tracker.merges.names import combined_other_names
from prog_tracker.merges.records import move_records, person_columns
from prog_tracker.merges.snapshot import Recorder, encode, restore, table
from prog_tracker.participants.anonymised import anonymised_error
from prog_tracker.participants.models import Participant
from prog_tracker.participants.services import refresh_search_text
from prog_tracker.release import followups


def merge_by_ids(actor, source_id: str, into_id: str | None) -> ParticipantMerge:
    """Merge source into into_id for a request: checks the pair, answers a repeat of
    a merge already made with that merge."""
    if not into_id:
        raise validation_error({"into_id": [_l("Choose the record to keep.")]})
    earlier = _earlier_merge(actor, source_id, into_id)
    if earlier is not None:
        return earlier
    source, into = policy.merge_pair(actor, source_id, into_id)
    return merge_participants(actor, source, into)


def _earlier_merge(actor, source_id: str, into_id: str) -> ParticipantMerge | None:
    """The merge of source into into_id already made (a repeated request), if any."""
    survivor = policy.merged_survivor(actor, source_id)
    if survivor is None or survivor.id != into_id:
        return None
    earlier = db.session.scalar(
        select(ParticipantMerge)
        .where(
            ParticipantMerge.source_id == parse_uuid(source_id),
            ParticipantMerge.into_id == into_id,
            ParticipantMerge.undone_at.is_(None),
        )
        .order_by(ParticipantMerge.merged_at.desc())
    )
    if earlier is not None:
        policy.get_merge(actor, earlier.id)  # who may not merge them may not hear of it
    return earlier


def merge_participants(actor, source: Participant, into: Participant) -> ParticipantMerge:
    """Move every record of source onto into, leave source as a tombstone; commit."""
    policy.require(actor, "participant.merge", source)
    policy.require(actor, "participant.merge", into)
    _check_pair(source, into)
    _lock(source, into)
    rec = Recorder()
    moved = move_records(rec, actor, source.id, into.id)
    # The rows moved under the session's feet: read the people and their records afresh.
    db.session.expire_all()
    _track(rec, "participants", [into.id, source.id], lambda: _rename(source, into))
    _track_follow_ups(rec, into)
    merge = ParticipantMerge(
        source_id=source.id, into_id=into.id, merged_by_id=actor.id, snapshot=rec.snapshot()
    )
    merge.snapshot["moved"] = moved
    db.session.add(merge)
    _refresh_match_keys(source, into)
    audit.record("participant.merge", "participant", [source.id, into.id], actor_id=actor.id)
    db.session.commit()
    return merge


def _check_pair(source: Participant, into: Participant) -> None:
    """Two different live people, neither anonymised."""
    if source.id == into.id:
        raise validation_error({"into_id": [_l("A record cannot be merged into itself.")]})
    if source.anonymised_at is not None or into.anonymised_at is not None:
        raise anonymised_error()
    if source.merged_into_id is not None or into.merged_into_id is not None:
        raise ApiError(409, "already_merged", _l("One of these records was merged already."))


def _lock(source: Participant, into: Participant) -> None:
    """Hold both people's rows (PostgreSQL) so two merges of one person queue up."""
    ids = sorted([source.id, into.id])
    db.session.execute(select(Participant.id).where(Participant.id.in_(ids)).with_for_update())
    db.session.refresh(source)
    db.session.refresh(into)
    if source.merged_into_id is not None or into.merged_into_id is not None:
        raise ApiError(409, "already_merged", _l("One of these records was merged already."))


def _rename(source: Participant, into: Participant) -> None:
    """Keep the source's spellings on the survivor, and make the source a tombstone."""
    into.other_names = combined_other_names(into, source)
    refresh_search_text(into)
    source.merged_into_id = into.id
    source.merged_at = utcnow()


def _track_follow_ups(rec: Recorder, into: Participant) -> None:
    """Judge the survivor's follow-ups again against all their contacts now, kept for undo."""
    table = followups.FollowUp.__table__
    ids = list(db.session.scalars(select(table.c.id).where(table.c.participant_id == into.id)))
    _track(rec, "follow_ups", ids, lambda: followups.refresh_met(into))


def _track(rec: Recorder, name: str, ids: list[str], change) -> None:
    """Run an ORM change to some rows of a table, and keep what it changed for undo."""
    if not ids:
        return
    before = _read(name, ids)
    change()
    db.session.flush()
    for row_id, after in _read(name, ids).items():
        for column, value in after.items():
            if value != before[row_id][column]:
                rec.observe(name, row_id, column, encode(before[row_id][column]), encode(value))


def _read(name: str, ids: list[str]) -> dict:
    """Whole rows of a table by id."""
    tab = table(name)
    rows = db.session.execute(select(tab).where(tab.c.id.in_(ids)))
    return {row.id: row._asdict() for row in rows}


def _refresh_match_keys(*people: Participant) -> None:
    """Recompute the duplicate finder's keys of both people."""
    from prog_tracker.participants import matching

    for person in people:
        matching.refresh_match_keys(person)


def undo_merge(actor, merge_id: str) -> ParticipantMerge:
    """Restore both people as they were before the merge; a second undo answers 409."""
    merge, source, into = policy.get_merge(actor, merge_id)
    if merge.undone_at is not None:
        raise ApiError(409, "merge_undone", _l("This merge was undone already."))
    if source.anonymised_at is not None or into.anonymised_at is not None:
        raise anonymised_error()
    try:
        with db.session.begin_nested():
            restore(merge.snapshot)
    except IntegrityError:
        raise ApiError(
            409, "merge_undo_conflict", _l("Records changed since the merge stop its undo.")
        ) from None
    db.session.expire_all()
    for person in (source, into):
        followups.refresh_met(person)
    _refresh_match_keys(source, into)
    merge.undone_at, merge.undone_by_id = utcnow(), actor.id
    audit.record("participant.merge_undo", "participant", [source.id, into.id], actor_id=actor.id)
    db.session.commit()
    return merge


def moved_counts(source: Participant) -> dict:
    """How many records of each kind a merge of source would move (the confirmation page)."""
    counts = {}
    for name, column in person_columns():
        tab = table(name)
        query = select(db.func.count()).select_from(tab).where(tab.c[column] == source.id)
        counts[name] = db.session.scalar(query) or 0
    return {name: count for name, count in counts.items() if count}


def survivor_of(actor, merge: ParticipantMerge) -> Participant:
    """The survivor of a merge, loaded through the policy (for the answer)."""
    return policy.get_participant(actor, merge.into_id, "participant.merge")


def preview(actor, source: Participant, into: Participant) -> dict:
    """What a merge of source into into would move, per kind of record (the confirmation
    page); the read of both people audited."""
    audit.record_list(actor, "participant.read", "participant", [source.id, into.id])
    db.session.commit()
    return moved_counts(source)
