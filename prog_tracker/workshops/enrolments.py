"""The rules of enrolment: who may join a cohort, the waitlist, leaving it."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from prog_tracker.auth.models import User
from prog_tracker.core import audit, creates, policy
from prog_tracker.core.collation import by_name
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import rule_error
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.workshops.models import ACTIVE_ENROLMENT, Cohort, Enrolment

# Which status an enrolment may move to from each status.
TRANSITIONS = {
    "waitlisted": {"enrolled", "withdrawn"},
    "enrolled": {"completed", "withdrawn"},
    "completed": set(),
    "withdrawn": set(),
}


def enrolled_count(cohort: Cohort, status="enrolled") -> int:
    """How many enrolments of cohort have status."""
    return db.session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.cohort_id == cohort.id, Enrolment.status == status
        )
    )


def enrol_participant(actor: User, cohort: Cohort, participant_id: str, enrolment_id=None):
    """Enrol a person in custody at the cohort's facility, or waitlist them when it is full."""
    policy.require(actor, "enrolment.manage", cohort)
    # The body a replay must repeat: who, into which cohort, under which id.
    body = {"id": enrolment_id, "cohort_id": cohort.id, "participant_id": participant_id}
    claim = creates.claim(actor, "enrolment", body, "enrolment.create")
    if claim.earlier is not None:
        return claim.earlier
    participant = _candidate(actor, cohort, participant_id)
    today = today_at(cohort.facility)
    if cohort.end_date < today:
        raise rule_error("cohort_ended", _l("This cohort has ended."))
    if _active_enrolment(cohort, participant) is not None:
        raise _already_enrolled()
    enrolment = Enrolment(cohort_id=cohort.id, participant_id=participant.id)
    claim.keep(enrolment)
    if enrolled_count(cohort) < cohort.capacity:
        enrolment.status, enrolment.enrolled_on = "enrolled", today
    else:
        enrolment.status, enrolment.waitlisted_at = "waitlisted", utcnow()
    db.session.add(enrolment)
    try:
        db.session.flush()
    except IntegrityError:
        if enrolment_id and not creates.inside_savepoint():
            earlier = creates.after_clash(actor, "enrolment", claim.body, "enrolment.create")
            if earlier is not None:
                return earlier  # the same enrolment, sent twice at once
        db.session.rollback()
        raise _already_enrolled() from None
    audit.record("enrolment.create", "enrolment", [enrolment.id], actor_id=actor.id)
    db.session.commit()
    return enrolment


def _candidate(actor: User, cohort: Cohort, participant_id: str) -> Participant:
    """The person to enrol: at the cohort's facility and in custody."""
    query = policy.enrolment_candidates(actor, cohort).where(Participant.id == participant_id)
    participant = db.session.scalar(query)
    if participant is None:
        # The same answer for someone elsewhere and for no one: ids reveal nothing.
        raise rule_error(
            "not_at_facility",
            _l("This person is not held at the cohort's facility."),
            fields={"participant_id": [_l("Choose a person held at this facility.")]},
        )
    if participant.status != "in_custody":
        raise rule_error(
            "not_in_custody",
            _l("Only people in custody can be enrolled."),
            fields={"participant_id": [_l("This person is not in custody.")]},
        )
    return participant


def _already_enrolled():
    """The error for a second active enrolment in one cohort."""
    return rule_error(
        "already_enrolled",
        _l("This person is already enrolled or waitlisted in this cohort."),
        fields={"participant_id": [_l("Already enrolled or waitlisted.")]},
    )


def _active_enrolment(cohort: Cohort, participant: Participant) -> Enrolment | None:
    """The person's waitlisted or enrolled place in cohort, if any."""
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.cohort_id == cohort.id,
            Enrolment.participant_id == participant.id,
            Enrolment.status.in_(ACTIVE_ENROLMENT),
        )
    )


def change_enrolment(actor: User, enrolment: Enrolment, data: dict) -> Enrolment:
    """Move an enrolment on (enrol from the waitlist, complete, withdraw)."""
    policy.require(actor, "enrolment.manage", enrolment)
    check_version(enrolment, data.pop("version", None))
    new, reason = data["status"], data.get("status_reason")
    _check_transition(enrolment, new, reason)
    today = today_at(enrolment.cohort.facility)
    freed = enrolment.status == "enrolled"
    if new == "enrolled":
        if enrolled_count(enrolment.cohort) >= enrolment.cohort.capacity:
            raise rule_error("cohort_full", _l("The cohort is full."))
        enrolment.enrolled_on = today
    else:
        enrolment.ended_on = today
    enrolment.status = new
    enrolment.status_reason = reason if new == "withdrawn" else None
    db.session.flush()
    if freed:
        promote_waitlisted(actor, enrolment.cohort)
    audit.record("enrolment.update", "enrolment", [enrolment.id], actor_id=actor.id)
    commit_or_conflict(enrolment)
    return enrolment


def _check_transition(enrolment: Enrolment, new: str, reason: str | None) -> None:
    """Refuse moves the status list does not allow, and withdrawals without a reason."""
    if new not in TRANSITIONS[enrolment.status]:
        raise rule_error(
            "invalid_transition",
            _l("An enrolment cannot go from this status to that one."),
            fields={"status": [_l("Not allowed from the current status.")]},
        )
    if new == "withdrawn" and not reason:
        raise rule_error(
            "status_reason_required",
            _l("Say why the person is withdrawn."),
            fields={"status_reason": [_l("Required when withdrawing.")]},
        )
    if new == "completed" and enrolment.cohort.start_date > today_at(enrolment.cohort.facility):
        raise rule_error(
            "cohort_not_started", _l("A cohort that has not started cannot be completed.")
        )


def promote_waitlisted(actor: User, cohort: Cohort) -> list[Enrolment]:
    """Fill free seats from the waitlist, first come first served."""
    free = cohort.capacity - enrolled_count(cohort)
    if free <= 0:
        return []
    queue = list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.status == "waitlisted")
            .order_by(Enrolment.waitlisted_at, Enrolment.id)
            .limit(free)
        )
    )
    today = today_at(cohort.facility)
    for enrolment in queue:
        enrolment.status, enrolment.enrolled_on = "enrolled", today
    if queue:
        db.session.flush()
        audit.record("enrolment.promote", "enrolment", [e.id for e in queue], actor_id=actor.id)
    return queue


def end_open_enrolments(actor: User, participant: Participant, reason: str) -> list[Enrolment]:
    """Withdraw a person's open enrolments (release, transfer), promoting the waitlists."""
    open_ones = list(
        db.session.scalars(
            select(Enrolment).where(
                Enrolment.participant_id == participant.id,
                Enrolment.status.in_(ACTIVE_ENROLMENT),
            )
        )
    )
    for enrolment in open_ones:
        freed = enrolment.status == "enrolled"
        enrolment.status, enrolment.status_reason = "withdrawn", reason
        enrolment.ended_on = today_at(enrolment.cohort.facility)
        db.session.flush()
        if freed:
            promote_waitlisted(actor, enrolment.cohort)
    return open_ones


def cohort_enrolments(cohort: Cohort):
    """A SELECT of a cohort's enrolments: enrolled first, then the waitlist in order."""
    order = {"enrolled": 0, "waitlisted": 1, "completed": 2, "withdrawn": 3}
    return (
        select(Enrolment)
        .join(Participant, Enrolment.participant_id == Participant.id)
        .where(Enrolment.cohort_id == cohort.id)
        .order_by(
            db.case(order, value=Enrolment.status),
            Enrolment.waitlisted_at,
            by_name(Participant.family_name),
            by_name(Participant.given_name),
            Enrolment.id,
        )
    )


def read_roster(actor: User, cohort: Cohort) -> list[Enrolment]:
    """Every enrolment of a cohort, in cohort_enrolments' order (the people named, audited)."""
    rows = list(db.session.scalars(cohort_enrolments(cohort)))
    audit_enrolment_list(actor, rows)
    return rows


def audit_enrolment_list(actor: User, rows: list[Enrolment]) -> None:
    """One list-like read of the people named by these enrolments."""
    audit.record_list(actor, "enrolment.list", "participant", [e.participant_id for e in rows])


def latest_enrolment(cohort: Cohort, participant: Participant) -> Enrolment | None:
    """The person's latest enrolment in the cohort, if they ever had one."""
    return db.session.scalar(
        select(Enrolment)
        .where(Enrolment.cohort_id == cohort.id, Enrolment.participant_id == participant.id)
        .order_by(Enrolment.created_at.desc(), Enrolment.id)
        .limit(1)
    )
