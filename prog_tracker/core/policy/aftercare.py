"""Scopes of release and after-release records: who sees which referral, consent,
plan item, episode, follow-up, contact and outcome (SPEC §3).

Every scope starts from `visible_participants`, so the caseworker rule
(accepted referral and active consent) and each role's reach hold here too.
Instructors never receive post-release contacts, outcomes or follow-ups.
"""

from sqlalchemy import false, select

from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.core import audit
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.policy.actions import NO_AFTERCARE, deny
from prog_tracker.core.policy.participants import (
    consents_today,
    get_participant,
    visible_participants,
)
from prog_tracker.core.policy.reasons import require_reason
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import OPEN_REFERRAL, Consent, Referral
from prog_tracker.release.models import FollowUp, ReleaseEpisode, ReleasePlanItem

__all__ = [
    "get_aftercare_participant",
    "get_scoped",
    "referral_names_shown",
    "referral_reasons_shown",
    "sees_aftercare",
    "sees_release_history",
    "visible_consents",
    "visible_contacts",
    "visible_episodes",
    "visible_follow_ups",
    "visible_outcomes",
    "visible_plan_items",
    "visible_referrals",
]


def sees_aftercare(user) -> bool:
    """False for roles that never receive release and after-release records (instructors)."""
    return user.role not in NO_AFTERCARE


def sees_release_history(user) -> bool:
    """True when the user may read a person's release-date history and its reasons
    (SPEC §3: never instructors)."""
    return sees_aftercare(user)


def get_aftercare_participant(user, participant_id: str, action: str):
    """A participant whose release and after-release records the user may read, or 404
    and a denied event (instructors see the person, never these records)."""
    participant = get_participant(user, participant_id, action)
    if not sees_aftercare(user):
        deny(user, action, "participant", [participant.id])
    return participant


def referral_names_shown(user, referrals) -> set[str]:
    """Ids of the referrals beside which the user may read the person's name: all of
    them for roles that see referrals through the person; for a caseworker, who sees
    every referral to the organisation to answer it, the open ones whose person
    consents to the organisation today (a declined or closed one names nobody)."""
    if user.role != "caseworker":
        return {r.id for r in referrals}
    open_ones = [r for r in referrals if r.status in OPEN_REFERRAL]
    wanted = {r.participant_id for r in open_ones}
    if not wanted or not user.organisation_id:
        return set()
    query = select(Participant.id).where(
        Participant.id.in_(wanted), consents_today(user.organisation_id)
    )
    consenting = set(db.session.scalars(query))
    return {r.id for r in open_ones if r.participant_id in consenting}


def referral_reasons_shown(user, referrals) -> set[str]:
    """Ids of the referrals whose reason the user receives: a caseworker's only once they
    hold the person in scope (an officer's words about someone not yet shared stay put)."""
    if user.role != "caseworker":
        return {r.id for r in referrals}
    wanted = {r.participant_id for r in referrals}
    if not wanted:
        return set()
    held = set(db.session.scalars(_people(user).where(Participant.id.in_(wanted))))
    return {r.id for r in referrals if r.participant_id in held}


def _people(user):
    """The ids of the participants the user sees, as a subquery."""
    return visible_participants(user).with_only_columns(Participant.id)


def visible_referrals(user):
    """Referrals: a caseworker sees every referral to their organisation (to answer
    pending ones); other roles those of the people they see (none for instructors)."""
    query = select(Referral)
    if user.role == "caseworker":
        if not user.organisation_id:
            return query.where(false())
        return query.where(Referral.organisation_id == user.organisation_id)
    if not sees_aftercare(user):
        return query.where(false())
    return query.where(Referral.participant_id.in_(_people(user)))


def visible_consents(user):
    """Consents: a caseworker sees their organisation's; others those of people they see."""
    query = select(Consent)
    if user.role == "caseworker":
        if not user.organisation_id:
            return query.where(false())
        return query.where(Consent.organisation_id == user.organisation_id)
    if not sees_aftercare(user):
        return query.where(false())
    return query.where(Consent.participant_id.in_(_people(user)))


def visible_plan_items(user):
    """Release plan items of the people the user sees (not for instructors); a caseworker
    receives the items their organisation owns, on pages, the API and sync alike."""
    if not sees_aftercare(user):
        return select(ReleasePlanItem).where(false())
    query = select(ReleasePlanItem).where(ReleasePlanItem.participant_id.in_(_people(user)))
    if user.role == "caseworker":
        return query.where(ReleasePlanItem.owner_organisation_id == user.organisation_id)
    return query


def visible_episodes(user):
    """Release episodes of the people the user sees (not for instructors)."""
    if not sees_aftercare(user):
        return select(ReleaseEpisode).where(false())
    return select(ReleaseEpisode).where(ReleaseEpisode.participant_id.in_(_people(user)))


def visible_follow_ups(user):
    """Follow-ups of the people the user sees (not for instructors)."""
    if not sees_aftercare(user):
        return select(FollowUp).where(false())
    return select(FollowUp).where(FollowUp.participant_id.in_(_people(user)))


def visible_contacts(user):
    """Contacts: caseworkers see their organisation's about people in scope; instructors none."""
    query = select(Contact)
    if not sees_aftercare(user):
        return query.where(false())
    query = query.where(Contact.participant_id.in_(_people(user)))
    if user.role == "caseworker":
        return query.where(Contact.organisation_id == user.organisation_id)
    return query


def visible_outcomes(user):
    """Outcomes: caseworkers see their organisation's about people in scope; instructors none."""
    query = select(Outcome)
    if not sees_aftercare(user):
        return query.where(false())
    query = query.where(Outcome.participant_id.in_(_people(user)))
    if user.role == "caseworker":
        return query.where(Outcome.organisation_id == user.organisation_id)
    return query


SCOPES = {
    "referral": (Referral, visible_referrals),
    "consent": (Consent, visible_consents),
    "release_plan_item": (ReleasePlanItem, visible_plan_items),
    "release_episode": (ReleaseEpisode, visible_episodes),
    "follow_up": (FollowUp, visible_follow_ups),
    "contact": (Contact, visible_contacts),
    "outcome": (Outcome, visible_outcomes),
}


for _entity, (_model, _scope) in SCOPES.items():
    audit.register_person_record(_entity, _model)


def get_scoped(user, entity: str, record_id: str, action: str):
    """Load one record of entity in the user's scope, or answer 404 and audit the denial.

    Each of these records is part of one person's record: supervisors and admins
    reading it give a reason, as for the person (policy.require_reason).
    """
    model, scope = SCOPES[entity]
    canonical = parse_uuid(record_id)
    found = None
    if canonical:
        found = db.session.scalar(scope(user).where(model.id == canonical))
    if found is None:
        deny(user, action, entity, [canonical or "malformed"])
    require_reason(user, found.participant_id)
    return found
