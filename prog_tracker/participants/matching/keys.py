"""Blocking keys: a handful of short strings per person, so candidates come from an index.

Two records of one person share at least one key through every change the
evaluation set makes: a typo spoils one name's key, not the other's; a swapped
day and month keep the year; a missing date keeps the name-pair key; another
script or spelling keeps the consonant skeleton.
"""

from sqlalchemy import bindparam, delete, insert, select

from prog_tracker.extensions import db
from prog_tracker.participants.matching.models import ParticipantMatchKey
from prog_tracker.participants.matching.scoring import Profile, profile_of
from prog_tracker.participants.models import Participant

# Consonants of a word a key holds: enough to keep namesakes apart, few enough that a
# typo near the end of a long name changes nothing.
KEY_LENGTH = 4
PAIR_LENGTH = 3
BATCH = 2000


def keys_of(profile: Profile) -> set[str]:
    """The blocking keys of a person: each name word with the birth year, the pair of
    first given and family words (either order), and the facility's prison number."""
    keys = set()
    year = profile.date_of_birth.year if profile.date_of_birth else None
    for word in profile.names:
        stem = _stem(word)
        if stem and year:
            keys.add(f"w:{stem[:KEY_LENGTH]}:{year}")
    if profile.given and profile.family:
        pair = sorted(
            (_stem(profile.given[0])[:PAIR_LENGTH], _stem(profile.family[0])[:PAIR_LENGTH])
        )
        keys.add("n:" + ":".join(pair))
    if profile.number and profile.facility_id:
        keys.add(f"p:{profile.facility_id}:{profile.number}"[:80])
    return keys


def _stem(word) -> str:
    """A word's consonants, or its form when it has none (a name of vowels: "Aia")."""
    return word.skeleton or word.form


def refresh_match_keys(participant) -> None:
    """Recompute the person's blocking keys after a create, an edit, an import or a merge
    (no commit; nothing for an anonymised record)."""
    table = ParticipantMatchKey.__table__
    db.session.execute(delete(table).where(table.c.participant_id == participant.id))
    if getattr(participant, "anonymised_at", None) is not None:
        return
    rows = [{"participant_id": participant.id, "key": k} for k in keys_of(profile_of(participant))]
    if rows:
        db.session.execute(insert(table), rows)


def key_rows(people) -> list[tuple[str, str]]:
    """(participant_id, key) rows for dicts or objects with participant fields and an id."""
    rows = []
    for person in people:
        pid = person["id"] if isinstance(person, dict) else person.id
        rows.extend((pid, key) for key in keys_of(profile_of(person)))
    return rows


def fill_match_keys(connection, batch: int = BATCH) -> int:
    """Write every person's keys on plain rows, in keyset batches (migration 0018 and
    after a change to the key rules); returns how many rows were written."""
    people, keys = Participant.__table__, ParticipantMatchKey.__table__
    written, last_id = 0, ""
    columns = ("id", "given_name", "family_name", "other_names", "date_of_birth",
               "sex", "prison_number", "facility_id")  # fmt: skip
    while rows := connection.execute(
        select(*(people.c[c] for c in columns))
        .where(people.c.id > last_id, people.c.anonymised_at.is_(None))
        .order_by(people.c.id)
        .limit(batch)
    ).all():
        last_id = rows[-1].id
        pairs = key_rows(dict(row._mapping) for row in rows)
        ids = [row.id for row in rows]
        connection.execute(delete(keys).where(keys.c.participant_id.in_(ids)))
        if pairs:
            connection.execute(
                insert(keys).values(participant_id=bindparam("p"), key=bindparam("k")),
                [{"p": p, "k": k} for p, k in pairs],
            )
        written += len(pairs)
    return written
