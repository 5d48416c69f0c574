"""Who may merge two records of one person, and undo a merge (SPEC §12): an admin, or an
officer of both people's facility. The people load through the participant scope, so
an out-of-scope person (and every tombstone) answers the plain 404, audited."""

from prog_tracker.auth.models import User
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.policy.actions import deny, require
from prog_tracker.core.policy.participants import get_participant
from prog_tracker.extensions import db
from prog_tracker.merges.models import ParticipantMerge
from prog_tracker.participants.models import Participant

__all__ = ["get_merge", "merge_pair"]


def merge_pair(user: User, source_id: str, into_id: str) -> tuple[Participant, Participant]:
    """Both people of a merge, each in the user's scope (else 404, audited), and
    403 unless the user may merge each of them."""
    source = get_participant(user, source_id, "participant.merge")
    into = get_participant(user, into_id, "participant.merge")
    require(user, "participant.merge", source)
    require(user, "participant.merge", into)
    return source, into


def get_merge(user: User, merge_id: str) -> tuple[ParticipantMerge, Participant, Participant]:
    """A merge to undo, with its (tombstoned) source and its survivor: 404 (audited)
    unless the user sees the survivor; 403 unless they may merge both people."""
    canonical = parse_uuid(merge_id)
    merge = db.session.get(ParticipantMerge, canonical) if canonical else None
    if merge is None:
        deny(user, "participant.merge_undo", "participant_merge", [canonical or "malformed"])
    into = get_participant(user, merge.into_id, "participant.merge_undo")
    # The source is a tombstone, outside every scope: its facility decides, as it did.
    source = db.session.get(Participant, merge.source_id)
    if source is None:  # never deleted: participants are anonymised, not removed
        deny(user, "participant.merge_undo", "participant_merge", [merge.id])
    require(user, "participant.merge", into)
    require(user, "participant.merge", source)
    return merge, source, into
