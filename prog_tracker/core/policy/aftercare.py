"""Scopes of release and after-release records: who sees which referral, consent,
plan item, episode, follow-up, contact and outcome (SPEC §3).

Every scope starts from `visible_participants`, so the caseworker rule
(accepted referral and active consent) and each role's reach hold here too.
Instructors never receive post-release contacts, outcomes or follow-ups.
"""

from sqlalchemy import false, select

from prog_tracker.aftercare.models import Contact, FollowUp, Outcome
from prog_tracker.core import audit, policy
from prog_tracker.core.api import parse_uuid
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.release.models import ReleaseEpisode, ReleasePlanItem

__all__ = [
    "get_scoped",
    "visible_consents",
    "visible_contacts",
    "visible_episodes",
    "visible_follow_ups",
    "visible_outcomes",
    "visible_plan_items",
    "visible_referrals",
]


def _people(user):
    """The ids of the participants the user sees, as a subquery."""
    return policy.visible_participants(user).with_only_columns(Participant.id)


def visible_referrals(user):
    """Referrals: a caseworker sees every referral to their organisation (to answer
    pending ones); other roles those of the people they see (none for instructors)."""
    query = select(Referral)
    if user.role == "caseworker":
        if not user.organisation_id:
            return query.where(false())
        return query.where(Referral.organisation_id == user.organisation_id)
    if user.role in policy.NO_AFTERCARE:
        return query.where(false())
    return query.where(Referral.participant_id.in_(_people(user)))


def visible_consents(user):
    """Consents: a caseworker sees their organisation's; others those of people they see."""
    query = select(Consent)
    if user.role == "caseworker":
        if not user.organisation_id:
            return query.where(false())
        return query.where(Consent.organisation_id == user.organisation_id)
    if user.role in policy.NO_AFTERCARE:
        return query.where(false())
    return query.where(Consent.participant_id.in_(_people(user)))


def visible_plan_items(user):
    """Release plan items of the people the user sees (not for instructors)."""
    if user.role in policy.NO_AFTERCARE:
        return select(ReleasePlanItem).where(false())
    return select(ReleasePlanItem).where(ReleasePlanItem.participant_id.in_(_people(user)))


def visible_episodes(user):
    """Release episodes of the people the user sees (not for instructors)."""
    if user.role in policy.NO_AFTERCARE:
        return select(ReleaseEpisode).where(false())
    return select(ReleaseEpisode).where(ReleaseEpisode.participant_id.in_(_people(user)))


def visible_follow_ups(user):
    """Follow-ups of the people the user sees (not for instructors)."""
    if user.role in policy.NO_AFTERCARE:
        return select(FollowUp).where(false())
    return select(FollowUp).where(FollowUp.participant_id.in_(_people(user)))


def visible_contacts(user):
    """Contacts: caseworkers see their organisation's about people in scope; instructors none."""
    query = select(Contact)
    if user.role in policy.NO_AFTERCARE:
        return query.where(false())
    query = query.where(Contact.participant_id.in_(_people(user)))
    if user.role == "caseworker":
        return query.where(Contact.organisation_id == user.organisation_id)
    return query


def visible_outcomes(user):
    """Outcomes: caseworkers see their organisation's about people in scope; instructors none."""
    query = select(Outcome)
    if user.role in policy.NO_AFTERCARE:
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
        policy.deny(user, action, entity, [canonical or "malformed"])
    policy.require_reason(user, found.participant_id)
    return found
