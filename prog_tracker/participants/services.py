"""The rules for participants: creating, changing, release-date history; and their reads."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, or_, select
from sqlalchemy.exc import IntegrityError

from prog_tracker.core import audit, creates, events, policy
from prog_tracker.core.collation import by_name
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.errors import validation_error
from prog_tracker.core.pagination import paginate
from prog_tracker.core.text import like_pattern, search_blob
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.participants import matching
from prog_tracker.participants.matching import refresh_match_keys
from prog_tracker.participants.models import Participant, ReleaseDateChange

SEARCHED = ("given_name", "family_name", "other_names")


def refresh_search_text(participant: Participant) -> None:
    """Recompute the folded text a participant is found by (nothing once anonymised)."""
    if participant.anonymised_at is not None:
        participant.search_text = participant.number_search_text = ""
        return
    participant.search_text = search_blob(*(getattr(participant, f) for f in SEARCHED))
    participant.number_search_text = search_blob(participant.prison_number)


def search_criterion(actor, q: str):
    """What ?q= matches: names, and prison numbers for the roles that receive them
    (a caseworker's search never matches a number: SPEC §3)."""
    pattern = like_pattern(q)
    names = Participant.search_text.like(pattern, escape="\\")
    if not policy.sees_custody_details(actor):
        return names
    return or_(names, Participant.number_search_text.like(pattern, escape="\\"))


def refresh_search_text_everywhere(connection, batch: int = 2000) -> int:
    """Recompute the folded names of everyone not anonymised, on plain rows (after a change
    to the folding rules, from a migration); returns how many changed."""
    return _refold(connection, "search_text", SEARCHED, batch)


def refresh_number_search_text_everywhere(connection, batch: int = 2000) -> int:
    """Fold every prison number into its own search column, on plain rows (migration 0013);
    returns how many changed."""
    return _refold(connection, "number_search_text", ("prison_number",), batch)


def _refold(connection, target: str, parts: tuple, batch: int) -> int:
    """Write search_blob(*parts) into the target column wherever it differs, in keyset
    batches (a national database is never read into memory at once)."""
    table = Participant.__table__
    changed = 0
    last_id = ""
    while rows := connection.execute(
        select(table.c.id, table.c[target], *(table.c[name] for name in parts))
        .where(table.c.id > last_id, table.c.anonymised_at.is_(None))
        .order_by(table.c.id)
        .limit(batch)
    ).all():
        last_id = rows[-1].id
        updates = [
            {"pid": row[0], "text": text}
            for row in rows
            if (text := search_blob(*row[2:])) != row[1]
        ]
        if updates:
            connection.execute(
                table.update()
                .where(table.c.id == bindparam("pid"))
                .values({target: bindparam("text")}),
                updates,
            )
        changed += len(updates)
    return changed


@creates.replayable("participant", "participant.create")
def create_participant(actor, data: dict) -> Participant:
    """Register a person at a facility the actor works for."""
    policy.require(actor, "participant.create")
    facility_id = data.get("facility_id") or actor.facility_id
    allowed = (
        db.session.scalar(policy.facility_choices(actor).where(Facility.id == facility_id))
        if facility_id
        else None
    )
    if allowed is None:
        raise validation_error({"facility_id": [_l("Choose a facility you work for.")]})
    claim = creates.claim(actor, "participant", data, "participant.create")
    if claim.earlier is not None:
        return claim.earlier
    _check_date_of_birth(data.get("date_of_birth"))
    participant = Participant(**{**data, "facility_id": facility_id})
    refresh_search_text(participant)
    _ensure_unique_number(participant)
    claim.keep(participant)
    db.session.add(participant)
    db.session.flush()
    refresh_match_keys(participant)
    if participant.expected_release_date:
        events.release_date_changed.send(participant, actor=actor, previous=None)
        _log_release_date(actor, participant, None, None)
    audit.record("participant.create", "participant", [participant.id], actor_id=actor.id)
    return _commit_or_conflict(participant)


def update_participant(actor, participant: Participant, data: dict) -> Participant:
    """Change a participant; a new expected release date needs a reason."""
    policy.require(actor, "participant.update", participant)
    check_version(participant, data.pop("version", None))
    _check_date_of_birth(data.get("date_of_birth"))
    reason = (data.pop("reason", None) or "").strip()
    new_date = data.get("expected_release_date", participant.expected_release_date)
    date_changes = new_date != participant.expected_release_date
    if date_changes and participant.expected_release_date is not None and not reason:
        raise validation_error({"reason": [_l("Say why the release date changes.")]})
    previous = participant.expected_release_date
    for key, value in data.items():
        setattr(participant, key, value)
    refresh_search_text(participant)
    _ensure_unique_number(participant)
    refresh_match_keys(participant)
    if date_changes:
        events.release_date_changed.send(participant, actor=actor, previous=previous)
        _log_release_date(actor, participant, previous, reason or None)
    audit.record("participant.update", "participant", [participant.id], actor_id=actor.id)
    return _commit_or_conflict(participant)


def _check_date_of_birth(born: date | None) -> None:
    """A date of birth lies between 1900 and today."""
    if born is not None and not date(1900, 1, 1) <= born <= date.today():
        raise validation_error({"date_of_birth": [_l("Not a plausible date of birth.")]})


def _log_release_date(actor, participant, previous, reason) -> None:
    """Keep who changed the expected release date, when, and why."""
    db.session.add(
        ReleaseDateChange(
            participant_id=participant.id,
            previous_date=previous,
            new_date=participant.expected_release_date,
            reason=reason,
            changed_by_id=actor.id,
        )
    )


def _ensure_unique_number(participant: Participant) -> None:
    """Prison numbers are unique within a facility."""
    # No autoflush: flushing the pending change first would hit the unique
    # constraint and crash before we could answer 422.
    with db.session.no_autoflush:
        clash = db.session.scalar(
            select(Participant.id).where(
                Participant.facility_id == participant.facility_id,
                Participant.prison_number == participant.prison_number,
                Participant.id != (participant.id or ""),
            )
        )
    if clash:
        raise validation_error(
            {"prison_number": [_l("This facility already has this number.")]},
            code="duplicate_prison_number",
        )


def _commit_or_conflict(participant: Participant) -> Participant:
    """Commit; a race on the unique number becomes a 422, not a 500."""
    try:
        commit_or_conflict(participant)
    except IntegrityError:
        db.session.rollback()
        raise validation_error(
            {"prison_number": [_l("This facility already has this number.")]},
            code="duplicate_prison_number",
        ) from None
    return participant


def search_participants(actor, q=None, facility_id=None, status=None, releasing_before=None):
    """The actor's visible participants, filtered and sorted by name in the reader's order."""
    query = policy.visible_participants(actor)
    if q:
        query = query.where(search_criterion(actor, q))
    # A caseworker never receives facility internals: nor a filter telling who is where.
    if facility_id and policy.sees_custody_details(actor):
        query = query.where(Participant.facility_id == facility_id)
    if status:
        query = query.where(Participant.status == status)
    if releasing_before:
        query = query.where(Participant.expected_release_date < releasing_before)
    # Collated in SQL, not in Python: the offset pages of one order stay consistent.
    return query.order_by(
        by_name(Participant.family_name), by_name(Participant.given_name), Participant.id
    )


def list_page(actor, offset: int, limit: int, **filters) -> tuple[list, str | None]:
    """One page of search_participants (the list page's), its read audited; (rows, cursor)."""
    query = search_participants(actor, **filters)
    participants, cursor = paginate(db.session, query, limit, offset)
    audit_list_read(actor, participants)
    return participants, cursor


def audit_list_read(actor, participants, action="participant.list") -> None:
    """One audit event for a list-like read, carrying the ids read."""
    audit.record_list(actor, action, "participant", [p.id for p in participants])


def audit_person_list(actor, participant: Participant, action: str, entity: str, ids) -> None:
    """Audit one read of a person and one list read of their records shown; commit."""
    audit.record("participant.read", "participant", [participant.id], actor_id=actor.id)
    audit.record_list(actor, action, entity, list(ids))


def facilities_seen(actor) -> list[Facility]:
    """The facilities the actor sees (the list page's filter)."""
    return list(db.session.scalars(policy.visible_facilities(actor)))


def facilities_to_register_at(actor) -> list[Facility]:
    """The facilities the actor may register a person at."""
    return list(db.session.scalars(policy.facility_choices(actor)))


def read_participant(actor, participant_id: str) -> Participant:
    """Load one participant in scope and audit the read."""
    participant = policy.get_participant(actor, participant_id)
    audit.record("participant.read", "participant", [participant.id], actor_id=actor.id)
    db.session.commit()
    return participant


def reread_participant(actor, participant: Participant) -> Participant:
    """A participant as saved, after another domain's change was refused, for their page
    again (the read audited)."""
    db.session.refresh(participant)
    audit.record("participant.read", "participant", [participant.id], actor_id=actor.id)
    db.session.commit()
    return participant


def release_date_history(actor, participant_id: str):
    """Read one participant (audited) and return their release-date changes (404 and a
    denied event for roles that never receive them: instructors)."""
    participant = policy.get_aftercare_participant(
        actor, participant_id, "release_date_history.read"
    )
    audit.record("participant.read", "participant", [participant.id], actor_id=actor.id)
    db.session.commit()
    return release_date_changes(participant)


def release_date_changes(participant: Participant):
    """Every change of a participant's expected release date, oldest first.

    Callers have already loaded (and audited) the participant through policy.
    """
    return list(
        db.session.scalars(
            select(ReleaseDateChange)
            .where(ReleaseDateChange.participant_id == participant.id)
            .order_by(ReleaseDateChange.changed_at)
        )
    )


def duplicates_of(actor, participant_id: str) -> list:
    """The people likely to be one participant, in the actor's scope: the person loaded
    through policy (404 and audited out of scope), the read and the ids shown audited."""
    participant = policy.get_participant(actor, participant_id)
    matches = matching.duplicates_of(actor, participant)
    audit_person_list(
        actor,
        participant,
        "participant.duplicates",
        "participant",
        (m.participant_id for m in matches),
    )
    return matches


class WithDuplicates:
    """A participant just registered and the people they are likely to be (for the answer)."""

    def __init__(self, participant: Participant, matches: list):
        self._participant = participant
        self.possible_duplicates = matches

    def __getattr__(self, name):
        return getattr(self._participant, name)


def with_possible_duplicates(actor, participant: Participant) -> WithDuplicates:
    """A registered participant with their likely duplicates (the ids shown audited)."""
    matches = matching.duplicates_of(actor, participant)
    if matches:
        audit.record_list(
            actor, "participant.duplicates", "participant", [m.participant_id for m in matches]
        )
    return WithDuplicates(participant, matches)


def likely_duplicates_of(actor, data: dict) -> list[tuple[Participant, object]]:
    """(person, match) for the people the form's person is likely to be: the warning the
    register page gives before saving (the ids shown audited)."""
    found = matching.likely_duplicates(actor, data, facility_id=data.get("facility_id"))
    # The same number at the same facility is refused by the form itself, more plainly.
    matches = [m for m in found if "prison_number" not in m.reasons]
    if not matches:
        return []
    people = {
        p.id: p
        for p in db.session.scalars(
            policy.visible_participants(actor).where(
                Participant.id.in_([m.participant_id for m in matches])
            )
        )
    }
    shown = [(people[m.participant_id], m) for m in matches if m.participant_id in people]
    audit_list_read(actor, [p for p, _ in shown], "participant.duplicates")
    return shown
