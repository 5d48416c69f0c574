"""People merged into another (SPEC §12): which live person each tombstone now is."""

from sqlalchemy import select

from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant

# How many merges one lookup follows (A into B, then B into C).
CHAIN = 10
ID_BATCH = 500


def survivors_of(ids) -> dict[str, str]:
    """merged id -> the live person's id it now is, for those of ids that are tombstones."""
    links = _links(list(ids))
    found = {}
    for merged in links:
        survivor = links[merged]
        for _ in range(CHAIN):
            if survivor not in links:
                break
            survivor = links[survivor]
        found[merged] = survivor
    return found


def _links(ids: list[str]) -> dict[str, str]:
    """merged_into_id of the tombstones among ids, and of the tombstones they name."""
    links: dict[str, str] = {}
    wanted = ids
    for _ in range(CHAIN):
        batch = [pid for pid in wanted if pid not in links]
        if not batch:
            break
        found = {}
        for start in range(0, len(batch), ID_BATCH):
            query = select(Participant.id, Participant.merged_into_id).where(
                Participant.id.in_(batch[start : start + ID_BATCH]),
                Participant.merged_into_id.is_not(None),
            )
            found.update(dict(db.session.execute(query).all()))
        links.update(found)
        wanted = list(found.values())
    return links
