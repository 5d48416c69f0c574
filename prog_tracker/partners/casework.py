"""Referrals as a partner organisation's caseworkers read them: the inbox, how many wait
for an answer, and the case they hold for a person."""

from sqlalchemy import func, select

from prog_tracker.auth.models import User
from prog_tracker.core import audit, policy
from prog_tracker.core.bidi import printable_name
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners import referrals
from prog_tracker.partners.models import Referral


def read_inbox(actor: User) -> dict:
    """The inbox's referrals (pending and accepted, oldest first), whose names and cards the
    actor may open; one list-like read carrying the people whose names it shows."""
    scope = policy.visible_referrals(actor)
    pending = list(db.session.scalars(_oldest_first(scope.where(Referral.status == "pending"))))
    accepted = list(db.session.scalars(_oldest_first(scope.where(Referral.status == "accepted"))))
    visible = _visible_people(actor, accepted)
    # The referral service decides whose names a caseworker may read (active consent).
    named = referrals.shown_names(actor, pending + accepted)
    shown = sorted({r.participant_id for r in pending + accepted if r.id in named})
    audit.record_list(actor, "referral.inbox", "participant", shown)
    return {"pending": pending, "accepted": accepted, "named": named, "visible": visible}


def _oldest_first(query):
    """Referrals in the order they arrived."""
    return query.order_by(Referral.created_at, Referral.id)


def _visible_people(user: User, rows: list) -> set[str]:
    """The ids of the referred people the user sees (policy's rule), whose card opens."""
    ids = {r.participant_id for r in rows}
    if not ids:
        return set()
    query = policy.visible_participants(user).where(Participant.id.in_(ids))
    return set(db.session.scalars(query.with_only_columns(Participant.id)))


def colleagues(user: User) -> list[tuple[str, str]]:
    """(id, display name) of the active caseworkers of the user's organisation."""
    rows = db.session.scalars(policy.caseworkers_of(user.organisation_id))
    return [(row.id, printable_name(row.display_name)) for row in rows]


def pending_count(user: User) -> int:
    """How many referrals to the caseworker's organisation wait for an answer."""
    if policy.own_organisation(user) is None:
        return 0
    query = policy.visible_referrals(user).where(Referral.status == "pending")
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def held_referral(user: User, participant: Participant) -> Referral | None:
    """The accepted referral of the caseworker's organisation for this person, if any."""
    if policy.own_organisation(user) is None:
        return None
    return db.session.scalar(
        policy.visible_referrals(user).where(
            Referral.participant_id == participant.id, Referral.status == "accepted"
        )
    )
