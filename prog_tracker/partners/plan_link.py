"""A person's referrals move the NGO referral item of their release plan.

Called by the referral services after each change, and when a plan is drawn
up (core.events.release_plan_drawn_up). The item follows the referral that
leads: an accepted open one, else the newest pending one. The release side
(release/plan_referrals.py) holds what each status does to the item.
"""

from sqlalchemy import case, select

from prog_tracker.auth.models import User
from prog_tracker.extensions import db
from prog_tracker.partners.models import OPEN_REFERRAL, Referral
from prog_tracker.release.plan_referrals import follow_referral

# What a leading referral's status means for the plan item.
ITEM_STATUS = {"pending": "in_progress", "accepted": "done"}


def leading_referral(participant_id: str) -> Referral | None:
    """The person's open referral that the plan follows: accepted first, then the newest."""
    accepted_first = case((Referral.status == "accepted", 0), else_=1)
    return db.session.scalar(
        select(Referral)
        .where(Referral.participant_id == participant_id, Referral.status.in_(OPEN_REFERRAL))
        .order_by(accepted_first, Referral.created_at.desc(), Referral.id.desc())
        .limit(1)
    )


def plan_follows(actor: User, referral: Referral, was_accepted: bool = False) -> None:
    """After referral changed: the plan item follows the leading referral; with none open,
    it is to do again unless the referral that ended had been accepted."""
    db.session.flush()
    lead = leading_referral(referral.participant_id)
    if lead is not None:
        follow_referral(actor, lead.participant_id, lead.id, ITEM_STATUS[lead.status])
    elif not was_accepted:
        follow_referral(actor, referral.participant_id, referral.id, "todo")


def on_plan_drawn_up(participant, actor: User) -> None:
    """A new release plan: its referral item follows the person's open referral, if any."""
    lead = leading_referral(participant.id)
    if lead is not None:
        follow_referral(actor, participant.id, lead.id, ITEM_STATUS[lead.status])
