"""The release plan's NGO referral item follows the person's referrals.

Partners sits above release: when a referral of the person is made, accepted,
declined or closed, the partners services call follow_referral here with the
referral that now leads and the status it means for the item (release never
reads referrals). Pending means in progress, accepted means done; once no
referral is open and the last one ended unanswered or declined, the item is
to do again, still pointing at that referral so the officer sees why. An
accepted referral closed later leaves the item done: the referral happened.

A person's own decision stands: an item marked not needed, or done by hand
before any referral, is not reopened by a referral; an accepted referral still
marks it done, since that is what happened.
"""

from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.core import audit
from prog_tracker.extensions import db
from prog_tracker.release.models import ReleasePlanItem
from prog_tracker.release.plans import set_item_status, today_of

REFERRAL_KIND = "ngo_referral"


def referral_item(participant_id: str) -> ReleasePlanItem | None:
    """The person's NGO referral plan item, if their plan has one."""
    return db.session.scalar(
        select(ReleasePlanItem).where(
            ReleasePlanItem.participant_id == participant_id,
            ReleasePlanItem.kind == REFERRAL_KIND,
        )
    )


def follow_referral(
    actor: User, participant_id: str, referral_id: str, status: str
) -> ReleasePlanItem | None:
    """Link the person's referral item to referral_id and give it status (the caller commits)."""
    item = referral_item(participant_id)
    if item is None or not _follows(item, status):
        return item
    if item.referral_id == referral_id and item.status == status:
        return item
    item.referral_id = referral_id
    if item.status != status:
        set_item_status(item, status, today_of(item))
    audit.record("release_plan_item.update", "release_plan_item", [item.id], actor.id)
    return item


def _follows(item: ReleasePlanItem, status: str) -> bool:
    """False when a person's decision on the item outranks a referral that is not accepted."""
    if status == "done":
        return True
    if item.status == "not_needed":
        return False
    return not (item.status == "done" and item.referral_id is None)
