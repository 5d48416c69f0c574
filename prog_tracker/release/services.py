"""The rules of custody status: release, return to custody, transfer, and their history
(with what the participant page's Release section reads).

Each change is kept as a dated StatusChange; a release opens a ReleaseEpisode
with its follow-up schedule and a return to custody closes it. Dates are
judged at the participant's facility: never in the future there, never
before the last recorded change.
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from prog_tracker.auth.models import User
from prog_tracker.core import audit, policy
from prog_tracker.core.collation import by_name
from prog_tracker.core.conflicts import commit_or_conflict
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import rule_error, validation_error
from prog_tracker.core.i18n import format_day
from prog_tracker.core.localised import country_name
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.release import followups
from prog_tracker.release.models import ReleaseEpisode, StatusChange
from prog_tracker.workshops.enrolments import end_open_enrolments

IN_CUSTODY = ("in_custody", "returned_to_custody")


def release_participant(actor: User, participant: Participant, data: dict) -> Participant:
    """Release a person in custody: end open enrolments, open an episode and its follow-ups."""
    policy.require(actor, "release.manage", participant)
    if participant.status not in IN_CUSTODY:
        raise rule_error(
            "not_in_custody",
            _l("Only a person in custody can be released."),
            fields={"released_on": [_l("This person is not in custody.")]},
        )
    day = data["released_on"]
    _check_day(participant, day, "released_on")
    _end_enrolments(actor, participant, "released", day)
    participant.status, participant.actual_release_date = "released", day
    episode = ReleaseEpisode(participant_id=participant.id, released_on=day)
    db.session.add(episode)
    db.session.flush()
    audit.record("release_episode.create", "release_episode", [episode.id], actor_id=actor.id)
    for follow_up in followups.create_schedule(episode):
        audit.record("follow_up.create", "follow_up", [follow_up.id], actor_id=actor.id)
    followups.refresh_met(participant)
    _log_change(actor, participant, "released", day, from_facility_id=participant.facility_id)
    return _save(actor, participant, "participant.release")


def return_to_custody(actor: User, participant: Participant, data: dict) -> Participant:
    """Record that a released person is back in custody; closes their open release episode."""
    policy.require(actor, "release.manage", participant)
    if participant.status != "released":
        raise rule_error(
            "not_released",
            _l("Only a released person can return to custody."),
            fields={"on": [_l("This person is not released.")]},
        )
    day = data["on"]
    _check_day(participant, day, "on")
    episode = open_episode(participant)
    facility_id = data.get("facility_id") or participant.facility_id
    if facility_id != participant.facility_id:
        _move_to(participant, _existing_facility(facility_id))
    participant.status = "returned_to_custody"
    if episode is not None:
        episode.returned_on = day
        for follow_up in followups.drop_unopened(episode):
            audit.record("follow_up.delete", "follow_up", [follow_up.id], actor_id=actor.id)
        audit.record("release_episode.update", "release_episode", [episode.id], actor_id=actor.id)
    # Contacts after the return no longer count; the facility's calendar may have changed.
    followups.refresh_met(participant)
    note = (data.get("note") or "").strip() or None
    _log_change(
        actor, participant, "returned_to_custody", day, to_facility_id=facility_id, note=note
    )
    return _save(actor, participant, "participant.return_to_custody")


def transfer_participant(actor: User, participant: Participant, data: dict) -> Participant:
    """Move a person in custody to another facility; their open enrolments end."""
    policy.require(actor, "release.manage", participant)
    if participant.status not in IN_CUSTODY:
        raise rule_error(
            "not_in_custody",
            _l("Only a person in custody can be transferred."),
            fields={"facility_id": [_l("This person is not in custody.")]},
        )
    destination = _existing_facility(data["facility_id"])
    if destination.id == participant.facility_id:
        raise rule_error(
            "same_facility",
            _l("The person is already held at this facility."),
            fields={"facility_id": [_l("Choose another facility.")]},
        )
    day = data["on"]
    _check_day(participant, day, "on")
    origin = participant.facility_id
    _end_enrolments(actor, participant, "transferred", day)
    _move_to(participant, destination)
    _log_change(
        actor,
        participant,
        "transferred",
        day,
        from_facility_id=origin,
        to_facility_id=destination.id,
    )
    return _save(actor, participant, "participant.transfer")


def status_history(participant: Participant) -> list[StatusChange]:
    """Every release, return and transfer of a participant, oldest first."""
    return list(
        db.session.scalars(
            select(StatusChange)
            .where(StatusChange.participant_id == participant.id)
            .order_by(StatusChange.occurred_on, StatusChange.recorded_at, StatusChange.id)
        )
    )


def participant_episodes(participant: Participant) -> list[ReleaseEpisode]:
    """A participant's release episodes, oldest first."""
    return list(
        db.session.scalars(
            select(ReleaseEpisode)
            .where(ReleaseEpisode.participant_id == participant.id)
            .order_by(ReleaseEpisode.released_on, ReleaseEpisode.created_at, ReleaseEpisode.id)
        )
    )


def open_episode(participant: Participant) -> ReleaseEpisode | None:
    """The participant's release episode that has no return yet, if any."""
    return db.session.scalar(
        select(ReleaseEpisode)
        .where(
            ReleaseEpisode.participant_id == participant.id,
            ReleaseEpisode.returned_on.is_(None),
        )
        .order_by(ReleaseEpisode.released_on.desc(), ReleaseEpisode.created_at.desc())
        .limit(1)
    )


def sees_facilities(actor: User) -> bool:
    """False for roles that never receive facility internals (caseworkers)."""
    return db.session.scalar(policy.visible_facilities(actor).limit(1)) is not None


def facility_names_of(changes: list[StatusChange]) -> dict:
    """The names of the facilities status changes name (by id only), by id."""
    named = {c.from_facility_id for c in changes} | {c.to_facility_id for c in changes}
    wanted = {i for i in named if i}
    if not wanted:
        return {}
    rows = db.session.execute(select(Facility.id, Facility.name).where(Facility.id.in_(wanted)))
    return {row[0]: row[1] for row in rows}


def transfer_options(participant: Participant) -> list[tuple[str, str]]:
    """Every other facility, as (id, "name (country)") for the transfer select."""
    facilities = db.session.scalars(
        select(Facility)
        .where(Facility.id != participant.facility_id)
        .order_by(Facility.country, by_name(Facility.name), Facility.id)
    )
    return [(f.id, f"{f.name} ({country_name(f.country)})") for f in facilities]


def _check_day(participant: Participant, day: dt.date, field: str) -> None:
    """A status change happens no later than today at the facility, and not before the last."""
    if day > today_at(participant.facility):
        raise rule_error(
            "date_in_future",
            _l("This date is in the future."),
            fields={field: [_l("Use today or an earlier day.")]},
        )
    last = last_change_day(participant)
    if last is not None and day < last:
        raise rule_error(
            "before_last_change",
            _l("This date is before the person's last recorded status change."),
            fields={field: [_l("Use %(day)s or a later day.", day=format_day(last))]},
        )


def last_change_day(participant: Participant) -> dt.date | None:
    """The day of the participant's latest status change, release or return, if any."""
    days = db.session.execute(
        select(
            select(func.max(StatusChange.occurred_on))
            .where(StatusChange.participant_id == participant.id)
            .scalar_subquery(),
            select(func.max(ReleaseEpisode.released_on))
            .where(ReleaseEpisode.participant_id == participant.id)
            .scalar_subquery(),
            select(func.max(ReleaseEpisode.returned_on))
            .where(ReleaseEpisode.participant_id == participant.id)
            .scalar_subquery(),
        )
    ).one()
    known = [day for day in days if day is not None]
    return max(known) if known else None


def _end_enrolments(actor: User, participant: Participant, reason: str, day: dt.date) -> None:
    """Withdraw open enrolments for reason, ended on day (never before they began)."""
    for enrolment in end_open_enrolments(actor, participant, reason):
        started = enrolment.enrolled_on
        enrolment.ended_on = max(day, started) if started else day
        audit.record("enrolment.update", "enrolment", [enrolment.id], actor_id=actor.id)


def _existing_facility(facility_id: str) -> Facility:
    """The facility with this id, or a 422 naming the field."""
    facility = db.session.get(Facility, facility_id) if facility_id else None
    if facility is None:
        raise validation_error({"facility_id": [_l("No such facility.")]})
    return facility


def _move_to(participant: Participant, facility: Facility) -> None:
    """File the participant at facility; their prison number must be free there."""
    with db.session.no_autoflush:
        clash = db.session.scalar(
            select(Participant.id).where(
                Participant.facility_id == facility.id,
                Participant.prison_number == participant.prison_number,
                Participant.id != participant.id,
            )
        )
    if clash:
        raise _duplicate_number()
    participant.facility_id = facility.id
    participant.facility = facility
    followups.refresh_met(participant)  # follow-ups are judged on the facility's calendar


def _duplicate_number():
    """The 422 for a prison number already used at the destination."""
    return validation_error(
        {"facility_id": [_l("This facility already has a person with this prison number.")]},
        code="duplicate_prison_number",
    )


def _log_change(actor: User, participant: Participant, kind: str, day: dt.date, **extra) -> None:
    """Append one dated status change (its note is never audited)."""
    change = StatusChange(
        participant_id=participant.id,
        kind=kind,
        occurred_on=day,
        recorded_by_id=actor.id,
        **extra,
    )
    db.session.add(change)
    db.session.flush()
    audit.record("status_change.create", "status_change", [change.id], actor_id=actor.id)


def _save(actor: User, participant: Participant, action: str) -> Participant:
    """Audit the participant's change and commit; a number clash in a race is a 422."""
    audit.record(action, "participant", [participant.id], actor_id=actor.id)
    try:
        commit_or_conflict(participant)
    except IntegrityError:
        db.session.rollback()
        raise _duplicate_number() from None
    return participant
