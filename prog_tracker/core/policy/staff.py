"""Scopes of staff records: users, API tokens and the audit trail (SPEC §3, §4).

An admin manages every user and reads every audit event. A supervisor reviews
the events about people in their scope and their own actions, and sees the
names of staff of their country beside them. Everyone else holds their own
tokens only.
"""

from flask import current_app
from sqlalchemy import and_, or_, select

from prog_tracker.auth.models import ApiToken, User
from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.collation import by_name
from prog_tracker.core.errors import not_found
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.policy.actions import deny, require
from prog_tracker.core.policy.participants import visible_participants
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant

__all__ = [
    "caseworkers_of",
    "get_managed_user",
    "get_token",
    "instructors_of",
    "managed_users",
    "officers_of",
    "own_organisation",
    "requires_mfa",
    "visible_audit_events",
    "visible_staff",
    "visible_tokens",
]


def managed_users(user: User):
    """A SELECT of the users an admin manages (403 for other roles)."""
    require(user, "user.manage")
    return select(User).order_by(User.role, User.username)


def get_managed_user(user: User, user_id: str) -> User:
    """One user an admin manages, or 404 (403 for other roles)."""
    query = managed_users(user)
    canonical = parse_uuid(user_id)
    found = db.session.scalar(query.where(User.id == canonical)) if canonical else None
    if found is None:
        raise not_found()
    return found


def visible_audit_events(user: User):
    """A SELECT of the audit events the user may review (403 for other roles): every
    event for an admin; a supervisor's own and those about people in their scope."""
    require(user, "audit.read")
    query = select(AuditEvent)
    if user.role == "admin":
        return query
    people = visible_participants(user).with_only_columns(Participant.id)
    return query.where(or_(AuditEvent.participant_id.in_(people), AuditEvent.actor_id == user.id))


def visible_staff(user: User):
    """A SELECT of the staff whose names the user may see beside audit events: all for
    an admin and a supervisor of every country; else those of the supervisor's country."""
    query = select(User).order_by(by_name(User.display_name), User.id)
    if user.role == "admin" or not user.country:
        return query
    facilities = select(Facility.id).where(Facility.country == user.country)
    organisations = select(Organisation.id).where(Organisation.country == user.country)
    return query.where(
        or_(
            User.id == user.id,
            User.facility_id.in_(facilities),
            User.organisation_id.in_(organisations),
            and_(User.role == "supervisor", User.country == user.country),
        )
    )


def visible_tokens(user: User):
    """A SELECT of the user's own live API tokens (admins revoke others' by id)."""
    return (
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at, ApiToken.id)
    )


def get_token(user: User, token_id: str) -> ApiToken:
    """A token the user owns (any, for an admin), or 404 with a denied event."""
    canonical = parse_uuid(token_id)
    found = db.session.get(ApiToken, canonical) if canonical else None
    if found is None:
        raise not_found()
    if found.user_id != user.id and user.role != "admin":
        deny(user, "api_token.revoke", "api_token", [canonical])
    return found


def own_organisation(user) -> str | None:
    """The partner organisation a user acts for: a caseworker's own; None for other roles
    (an admin names the organisation a record is for)."""
    if user is None or user.role != "caseworker":
        return None
    return user.organisation_id


def requires_mfa(user: User) -> bool:
    """True when the user's role must sign in with a second factor (MFA_ROLES)."""
    return user.role in current_app.config["MFA_ROLE_SET"]


def caseworkers_of(organisation_id: str):
    """A SELECT of the active caseworkers of an organisation, by name (who may hold its cases)."""
    return _active_staff("caseworker").where(User.organisation_id == organisation_id)


def officers_of(facility_id: str):
    """A SELECT of the active officers of a facility, by name."""
    return _active_staff("officer").where(User.facility_id == facility_id)


def instructors_of(facility_ids, active_only: bool = True):
    """A SELECT of the instructors of these facilities, by name (who may teach a cohort)."""
    query = select(User).where(User.role == "instructor", User.facility_id.in_(list(facility_ids)))
    if active_only:
        query = query.where(User.active.is_(True))
    return query.order_by(by_name(User.display_name), User.id)


def _active_staff(role: str):
    """Active users of one role, by name."""
    return (
        select(User)
        .where(User.role == role, User.active.is_(True))
        .order_by(by_name(User.display_name), User.id)
    )
