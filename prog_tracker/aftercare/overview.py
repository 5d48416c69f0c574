"""What a caseworker's pages read: the home page's overview of the caseload, and a
person's after-release card (each read audited by the service that makes it)."""

from prog_tracker.aftercare import contacts, outcomes
from prog_tracker.aftercare.caseload import caseload
from prog_tracker.auth.models import User
from prog_tracker.auth.names import display_names
from prog_tracker.core import audit
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners import casework
from prog_tracker.release import followups, plans


def caseworker_overview(user: User) -> dict:
    """The caseload (mine first, overdue first) and the inbox count of a caseworker's home."""
    rows = caseload(user)
    return {
        "caseload_mine": [row for row in rows if row["assigned_to_me"]],
        "caseload_others": [row for row in rows if not row["assigned_to_me"]],
        "caseload_size": len(rows),
        "pending_referrals": casework.pending_count(user),
        "overdue_count": sum(1 for row in rows if row["overdue"]),
        "caseworker_names": display_names(
            row["referral"].assigned_caseworker_id for row in rows if row.get("referral")
        ),
    }


def read_card(actor: User, participant: Participant) -> dict:
    """A person's card: follow-ups (judged today at the facility), contacts, outcomes, the
    plan items of the actor's organisation and the case it holds; the read audited."""
    today = today_at(participant.facility)
    follow_up_rows = followups.participant_follow_ups(participant, today)
    contact_rows = contacts.participant_contacts(actor, participant)
    outcome_rows = outcomes.participant_outcomes(actor, participant)
    items = plans.plan_items(actor, participant)
    referral = casework.held_referral(actor, participant)
    assigned = referral.assigned_caseworker_id if referral else None
    _audit_card(actor, participant, follow_up_rows, contact_rows, outcome_rows, items)
    return {
        "today": today,
        "follow_ups": follow_up_rows,
        "contacts": contact_rows,
        "outcomes": outcome_rows,
        "plan_items": items,
        "names": display_names(
            [c.caseworker_id for c in contact_rows] + [o.recorded_by_id for o in outcome_rows]
        ),
        "my_referral": referral,
        "caseworker_name": display_names([assigned]).get(assigned),
    }


def _audit_card(actor: User, participant, follow_up_rows, contact_rows, outcome_rows, items):
    """One read of the person and one list-like read of each kind of record shown."""
    actor_id = actor.id
    audit.record("participant.read", "participant", [participant.id], actor_id=actor_id)
    ids = [row["follow_up"].id for row in follow_up_rows]
    audit.record("follow_up.list", "follow_up", ids, actor_id=actor_id)
    audit.record("contact.list", "contact", [c.id for c in contact_rows], actor_id=actor_id)
    audit.record("outcome.list", "outcome", [o.id for o in outcome_rows], actor_id=actor_id)
    audit.record("release_plan.read", "release_plan_item", [i.id for i in items], actor_id)
    db.session.commit()
