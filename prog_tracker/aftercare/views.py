"""HTML pages for caseworkers after release: the caseload, a person's card, contacts, outcomes.

One blueprint; the contact pages (log, edit, history) live in views_contacts.py
and the outcome form in views_outcomes.py. This module holds the labels and
time helpers they share, the participant card, and what the caseworker's home
page shows. Every rule is the services' and the policy's: these pages parse,
call and render.
"""

from flask import Blueprint, g, render_template, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.routing import BuildError

from prog_tracker.auth.models import User
from prog_tracker.auth.names import display_names
from prog_tracker.core import audit, policy
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Referral

bp = Blueprint("aftercare", __name__, url_prefix="/aftercare")

CONTACT_MODE_LABELS = {
    "visit": _l("Visit"),
    "phone": _l("Phone call"),
    "office": _l("At our office"),
    "video": _l("Video call"),
    "message": _l("Message"),
    "attempt_failed": _l("Tried, could not reach"),
}
# Common needs offered as checkboxes, by their code (aftercare.models.NEED_CODES).
NEED_LABELS = {
    "housing": _l("Housing"),
    "work": _l("Work"),
    "documents": _l("Documents"),
    "health": _l("Health"),
    "family": _l("Family"),
    "money": _l("Money"),
    "training": _l("Training"),
    "other": _l("Other"),
}
FOLLOW_UP_STATUS_LABELS = {
    "upcoming": _l("Upcoming"),
    "due": _l("Due now"),
    "overdue": _l("Overdue"),
    "met": _l("Done"),
    "missed": _l("Missed"),
}
EMPLOYMENT_LABELS = {
    "employed_formal": _l("Employed, with a contract"),
    "employed_informal": _l("Working, without a contract"),
    "self_employed": _l("Self-employed"),
    "in_training": _l("In training or education"),
    "unemployed": _l("Not working"),
    "unknown": _l("Not known"),
}
HOUSING_LABELS = {
    "stable": _l("Stable home"),
    "temporary": _l("Temporary place"),
    "homeless": _l("No home"),
    "unknown": _l("Not known"),
}


@bp.app_context_processor
def aftercare_labels() -> dict:
    """Labels for the aftercare templates (the home page uses them too)."""
    return {
        "contact_mode_labels": CONTACT_MODE_LABELS,
        "need_labels": NEED_LABELS,
        "follow_up_status_labels": FOLLOW_UP_STATUS_LABELS,
        "employment_labels": EMPLOYMENT_LABELS,
        "housing_labels": HOUSING_LABELS,
        "pending_referral_count": pending_referral_count,
    }


def pending_referral_count(user=None) -> int:
    """How many referrals to the caseworker's organisation wait for an answer."""
    user = user or g.get("user")
    if policy.own_organisation(user) is None:
        return 0
    query = policy.visible_referrals(user).where(Referral.status == "pending")
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def caseworker_overview(user: User) -> dict:
    """The caseload (mine first, overdue first) and the inbox count of a caseworker's home."""
    from prog_tracker.aftercare.caseload import caseload

    rows = caseload(user)
    return {
        "caseload_mine": [row for row in rows if row["assigned_to_me"]],
        "caseload_others": [row for row in rows if not row["assigned_to_me"]],
        "caseload_size": len(rows),
        "pending_referrals": pending_referral_count(user),
        "overdue_count": sum(1 for row in rows if row["overdue"]),
        "caseworker_names": display_names(
            row["referral"].assigned_caseworker_id for row in rows if row.get("referral")
        ),
    }


@bp.route("/participants/<person_id>")
def participant_card(person_id):
    """A person's after-release card: follow-ups, contacts, outcomes, their organisation's plan."""
    from prog_tracker.aftercare import contacts, outcomes
    from prog_tracker.release import followups, plans

    participant = policy.get_aftercare_participant(g.user, person_id, "participant.read")
    today = today_at(participant.facility)
    follow_up_rows = followups.participant_follow_ups(participant, today)
    contact_rows = contacts.participant_contacts(g.user, participant)
    outcome_rows = outcomes.participant_outcomes(g.user, participant)
    items = plans.plan_items(g.user, participant)
    referral = _my_referral(g.user, participant)
    assigned = referral.assigned_caseworker_id if referral else None
    _audit_card(participant, follow_up_rows, contact_rows, outcome_rows, items)
    return render_template(
        "aftercare/participant.html",
        participant=participant,
        today=today,
        follow_ups=follow_up_rows,
        contacts=contact_rows,
        outcomes=outcome_rows,
        plan_items=items,
        names=display_names(
            [c.caseworker_id for c in contact_rows] + [o.recorded_by_id for o in outcome_rows]
        ),
        my_referral=referral,
        caseworker_name=display_names([assigned]).get(assigned),
        plan_url=_plan_url(participant) if items else None,
        may_contact=policy.may(g.user, "contact.record", participant),
        may_outcome=policy.may(g.user, "outcome.record", participant),
        may_edit={c.id for c in contact_rows if policy.may(g.user, "contact.record", c)},
    )


def _audit_card(participant: Participant, follow_up_rows, contact_rows, outcome_rows, items):
    """One read of the person and one list-like read of each kind of record shown."""
    actor_id = g.user.id
    audit.record("participant.read", "participant", [participant.id], actor_id=actor_id)
    ids = [row["follow_up"].id for row in follow_up_rows]
    audit.record("follow_up.list", "follow_up", ids, actor_id=actor_id)
    audit.record("contact.list", "contact", [c.id for c in contact_rows], actor_id=actor_id)
    audit.record("outcome.list", "outcome", [o.id for o in outcome_rows], actor_id=actor_id)
    audit.record("release_plan.read", "release_plan_item", [i.id for i in items], actor_id)
    db.session.commit()


def _plan_url(participant: Participant) -> str | None:
    """The release plan page, where items are updated (None while that page is not served)."""
    try:
        return url_for("release.release_plan", participant_id=participant.id)
    except BuildError:
        return None


def _my_referral(user: User, participant: Participant) -> Referral | None:
    """The accepted referral of the caseworker's organisation for this person, if any."""
    if policy.own_organisation(user) is None:
        return None
    return db.session.scalar(
        policy.visible_referrals(user).where(
            Referral.participant_id == participant.id, Referral.status == "accepted"
        )
    )


# The routes of the other pages register themselves on bp when imported.
from prog_tracker.aftercare import (  # noqa: E402
    views_contacts,  # noqa: F401
    views_outcomes,  # noqa: F401
)
