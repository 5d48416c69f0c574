"""Finding likely duplicates in the actor's scope: candidates by key, then scored."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from prog_tracker.core import audit, policy
from prog_tracker.extensions import db
from prog_tracker.participants.matching.keys import keys_of
from prog_tracker.participants.matching.models import NotDuplicate, ParticipantMatchKey
from prog_tracker.participants.matching.scoring import pair_score, profile_of
from prog_tracker.participants.models import Participant

# From this score a pair is "a likely duplicate" (tests/matching/test_evaluation.py).
MATCH_THRESHOLD = 0.8
# Candidates scored per person at most, those sharing the most keys first: a very
# common name with no date of birth must not make one request score thousands.
MAX_CANDIDATES = 400
# Pairs of one facility scored at most for the duplicates page.
MAX_PAIRS = 20000


@dataclass(frozen=True)
class Match:
    """A person who is likely the same as the one asked about."""

    participant_id: str
    score: float
    reasons: tuple[str, ...]


def likely_duplicates(
    actor, fields, facility_id=None, exclude_ids: tuple[str, ...] = (), limit: int = 10
) -> list[Match]:
    """People in the actor's scope likely to be the person described by fields, best first."""
    if facility_id and not _get(fields, "facility_id"):
        fields = {**_as_dict(fields), "facility_id": facility_id}
    profile = profile_of(fields)
    keys = keys_of(profile)
    if not keys:
        return []
    excluded = set(exclude_ids) | _not_duplicates_of(exclude_ids)
    shared = (
        select(ParticipantMatchKey.participant_id)
        .where(ParticipantMatchKey.key.in_(sorted(keys)))
        .group_by(ParticipantMatchKey.participant_id)
        .order_by(func.count().desc())
        .limit(MAX_CANDIDATES)
    )
    candidates = db.session.scalars(
        policy.visible_participants(actor).where(Participant.id.in_(shared))
    )
    matches = []
    for person in candidates:
        if person.id in excluded:
            continue
        score, reasons = pair_score(profile, profile_of(person))
        if score >= MATCH_THRESHOLD:
            matches.append(Match(person.id, score, reasons))
    matches.sort(key=lambda m: (-m.score, m.participant_id))
    return matches[:limit]


def duplicates_of(actor, participant, limit: int = 10) -> list[Match]:
    """likely_duplicates for a stored person (itself and people marked not them left out)."""
    return likely_duplicates(actor, participant, exclude_ids=(participant.id,), limit=limit)


def likely_pairs(actor, facility_id: str, threshold=None, limit: int = 200):
    """(a_id, b_id, match) of people of one facility in the actor's scope who are likely one
    person, best first, each pair once, pairs marked not the same person left out."""
    threshold = MATCH_THRESHOLD if threshold is None else threshold
    people = (
        policy.visible_participants(actor)
        .where(Participant.facility_id == facility_id)
        .with_only_columns(Participant.id)
    )
    mine = select(ParticipantMatchKey).where(ParticipantMatchKey.participant_id.in_(people))
    left, right = mine.subquery(), mine.subquery()
    pairs = db.session.execute(
        select(left.c.participant_id, right.c.participant_id)
        .join(right, (right.c.key == left.c.key) & (right.c.participant_id > left.c.participant_id))
        .group_by(left.c.participant_id, right.c.participant_id)
        .order_by(func.count().desc())
        .limit(MAX_PAIRS)
    ).all()
    return _scored_pairs(actor, [tuple(p) for p in pairs], threshold)[:limit]


def _scored_pairs(actor, pairs: list[tuple[str, str]], threshold: float):
    """Score candidate pairs (people loaded once), leaving out pairs marked not duplicates."""
    if not pairs:
        return []
    ids = {i for pair in pairs for i in pair}
    people = {p.id: profile_of(p) for p in _people(actor, ids)}
    refused = _refused_pairs(ids)
    found = []
    for a_id, b_id in pairs:
        if (a_id, b_id) in refused or a_id not in people or b_id not in people:
            continue
        score, reasons = pair_score(people[a_id], people[b_id])
        if score >= threshold:
            found.append((a_id, b_id, Match(b_id, score, reasons)))
    found.sort(key=lambda t: (-t[2].score, t[0], t[1]))
    return found


def _people(actor, ids: set[str]):
    """The people of ids in the actor's scope, in batches under the parameter limits."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        yield from db.session.scalars(
            policy.visible_participants(actor).where(Participant.id.in_(chunk))
        )


def _refused_pairs(ids: set[str]) -> set[tuple[str, str]]:
    """The pairs among ids marked as not the same person."""
    ordered, refused = sorted(ids), set()
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        rows = db.session.execute(
            select(NotDuplicate.a_id, NotDuplicate.b_id).where(NotDuplicate.a_id.in_(chunk))
        )
        refused.update((a, b) for a, b in rows)
    return refused


def _not_duplicates_of(ids) -> set[str]:
    """Everyone marked as not the same person as one of ids."""
    if not ids:
        return set()
    rows = db.session.execute(
        select(NotDuplicate.a_id, NotDuplicate.b_id).where(
            or_(NotDuplicate.a_id.in_(ids), NotDuplicate.b_id.in_(ids))
        )
    )
    return {i for row in rows for i in row} - set(ids)


def mark_not_duplicates(actor, a_id: str, b_id: str) -> None:
    """Remember that two people are not the same person (audited, ids only); no commit."""
    first, second = sorted((a_id, b_id))
    if db.session.get(NotDuplicate, (first, second)) is None:
        try:
            # A double tap racing this one may store the pair first: once is enough.
            with db.session.begin_nested():
                db.session.add(NotDuplicate(a_id=first, b_id=second, marked_by_id=actor.id))
        except IntegrityError:
            pass
    audit.record("participant.not_duplicate", "participant", [first, second], actor_id=actor.id)


def _get(fields, name: str):
    """A field of a dict or an object."""
    return fields.get(name) if isinstance(fields, dict) else getattr(fields, name, None)


def _as_dict(fields) -> dict:
    """The participant fields the matcher reads, as a dict."""
    names = ("given_name", "family_name", "other_names", "date_of_birth", "sex",
             "prison_number", "facility_id")  # fmt: skip
    return {name: _get(fields, name) for name in names}
