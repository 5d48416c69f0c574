"""The rules for referrals: pending → accepted | declined → closed, and who holds the case.

An officer refers a person to a partner organisation; a caseworker of that
organisation accepts (and so holds the case) or declines; the case may be
handed to a colleague of the same organisation; closing ends it. Only one
referral per person and organisation may be open (pending or accepted).
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from prog_tracker.auth.models import User
from prog_tracker.core import audit, creates, policy
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.errors import rule_error
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.models import utcnow
from prog_tracker.directory.organisations import organisation_for
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import OPEN_REFERRAL, Referral
from prog_tracker.partners.plan_link import plan_follows

# From which statuses a referral may be closed.
CLOSABLE = ("pending", "accepted", "declined")


@creates.replayable("referral", "referral.create")
def create_referral(actor: User, data: dict) -> Referral:
    """Refer a person to a partner organisation (officer of the facility, admin)."""
    participant = policy.get_participant(actor, data["participant_id"], "referral.create")
    policy.require(actor, "referral.create", participant)
    claim = creates.claim(actor, "referral", data, "referral.create")
    if claim.earlier is not None:
        return claim.earlier  # before the one-open-referral rule, which it would break
    organisation = organisation_for(data["organisation_id"], participant.facility)
    if participant.status == "closed":
        raise rule_error("participant_closed", _l("This person's record is closed."))
    if _open_referral(participant.id, organisation.id) is not None:
        raise _already_open()
    referral = Referral(
        participant_id=participant.id,
        organisation_id=organisation.id,
        status="pending",
        reason=data.get("reason"),
        referred_by_id=actor.id,
    )
    claim.keep(referral)
    db.session.add(referral)
    try:
        db.session.flush()
    except IntegrityError:
        if claim.id and not creates.inside_savepoint():
            earlier = creates.after_clash(actor, "referral", claim.body, "referral.create")
            if earlier is not None:
                return earlier  # the same referral, sent twice at once
        # Two officers referred the same person at once: the index kept one.
        db.session.rollback()
        raise _already_open() from None
    plan_follows(actor, referral)
    audit.record("referral.create", "referral", [referral.id], actor_id=actor.id)
    db.session.commit()
    return referral


def _open_referral(participant_id: str, organisation_id: str) -> Referral | None:
    """The person's pending or accepted referral to the organisation, if any."""
    return db.session.scalar(
        select(Referral).where(
            Referral.participant_id == participant_id,
            Referral.organisation_id == organisation_id,
            Referral.status.in_(OPEN_REFERRAL),
        )
    )


def _already_open():
    """The error for a second open referral of one person to one organisation."""
    return rule_error(
        "referral_open",
        _l("This person already has an open referral to this organisation."),
        fields={"organisation_id": [_l("Already referred; close that referral first.")]},
    )


def accept_referral(actor: User, referral: Referral) -> Referral:
    """Accept a pending referral; the accepting caseworker holds the case."""
    _respond(actor, referral, "accepted")
    if policy.own_organisation(actor) == referral.organisation_id:
        referral.assigned_caseworker_id = actor.id
    plan_follows(actor, referral)
    return _save(actor, referral, "referral.accept")


def decline_referral(actor: User, referral: Referral) -> Referral:
    """Decline a pending referral."""
    _respond(actor, referral, "declined")
    plan_follows(actor, referral)
    return _save(actor, referral, "referral.decline")


def _respond(actor: User, referral: Referral, status: str) -> None:
    """Answer a pending referral (caseworker of the organisation, admin)."""
    policy.require(actor, "referral.respond", referral)
    if referral.status != "pending":
        raise rule_error(
            "not_pending", _l("Only a referral waiting for an answer can be answered.")
        )
    referral.status = status
    referral.responded_at, referral.responded_by_id = utcnow(), actor.id


def close_referral(actor: User, referral: Referral) -> Referral:
    """Close a referral; the organisation's caseworkers lose sight of the person at once."""
    policy.require(actor, "referral.close", referral)
    if referral.status not in CLOSABLE:
        raise rule_error("already_closed", _l("This referral is closed already."))
    if referral.status != "accepted" and not policy.may(actor, "referral.close_unanswered"):
        # A caseworker answers a pending referral by declining it.
        raise rule_error("not_accepted", _l("A caseworker closes accepted referrals only."))
    was_accepted = referral.status == "accepted"
    referral.status = "closed"
    referral.closed_at, referral.closed_by_id = utcnow(), actor.id
    plan_follows(actor, referral, was_accepted)
    return _save(actor, referral, "referral.close")


def assign_referral(actor: User, referral: Referral, caseworker_id, version=None) -> Referral:
    """Hand an accepted case to another active caseworker of the same organisation."""
    policy.require(actor, "referral.assign", referral)
    check_version(referral, version)
    if referral.status != "accepted":
        raise rule_error("not_accepted", _l("Only an accepted referral can be handed over."))
    caseworker = _colleague(referral, caseworker_id)
    referral.assigned_caseworker_id = caseworker.id
    return _save(actor, referral, "referral.assign")


def _colleague(referral: Referral, caseworker_id) -> User:
    """The active caseworker of the referral's organisation with this id, or a 422."""
    canonical = parse_uuid(caseworker_id) if isinstance(caseworker_id, str) else None
    colleagues = policy.caseworkers_of(referral.organisation_id)
    user = db.session.scalar(colleagues.where(User.id == canonical)) if canonical else None
    if user is None:
        raise rule_error(
            "not_a_colleague",
            _l("Choose an active caseworker of the referral's organisation."),
            fields={
                "assigned_caseworker_id": [_l("Not an active caseworker of this organisation.")]
            },
        )
    return user


def _save(actor: User, referral: Referral, action: str) -> Referral:
    """Audit the change and commit (409 when someone changed the referral meanwhile)."""
    audit.record(action, "referral", [referral.id], actor_id=actor.id)
    commit_or_conflict(referral)
    return referral


def participant_referrals(actor: User, participant: Participant) -> list[Referral]:
    """A person's referrals the actor may see, oldest first."""
    return list(
        db.session.scalars(
            policy.visible_referrals(actor)
            .where(Referral.participant_id == participant.id)
            .order_by(Referral.created_at, Referral.id)
        )
    )


def search_referrals(actor: User, status=None, participant_id=None, organisation_id=None):
    """A SELECT of the referrals in the actor's scope, newest first, filtered."""
    query = policy.visible_referrals(actor)
    if status:
        query = query.where(Referral.status == status)
    if participant_id:
        query = query.where(Referral.participant_id == participant_id)
    if organisation_id:
        query = query.where(Referral.organisation_id == organisation_id)
    return query.order_by(Referral.created_at.desc(), Referral.id)


def shown_names(actor: User, referrals) -> dict[str, str]:
    """referral id -> the person's name, for the referrals beside which the actor may
    read it (the policy decides: policy.referral_names_shown)."""
    allowed = policy.referral_names_shown(actor, referrals)
    return {r.id: full_name(r.participant) for r in referrals if r.id in allowed}


def full_name(participant: Participant) -> str:
    """A person's given and family names (a neutral label once anonymised)."""
    from prog_tracker.participants.names import person_name

    return person_name(participant)


def referral_views(actor: User, referrals) -> list[dict]:
    """Referrals as the actor may receive them: every column, the organisation's name,
    and the person's name where allowed (never a prison number)."""
    names = shown_names(actor, referrals)
    reasons = policy.referral_reasons_shown(actor, referrals)
    columns = [column.key for column in Referral.__table__.columns]
    return [
        {
            **{key: getattr(referral, key) for key in columns},
            "reason": referral.reason if referral.id in reasons else None,
            "participant_name": names.get(referral.id),
            "organisation_name": referral.organisation.name,
        }
        for referral in referrals
    ]


def referral_view(actor: User, referral: Referral) -> dict:
    """One referral as the actor may receive it."""
    return referral_views(actor, [referral])[0]
