"""The caseworker's referral inbox: answer referrals to the organisation, and share the caseload.

Pending referrals wait for accept or decline; a person's name is shown only
once their consent to the organisation is active (until then they are a
referral, not a name). Accepted referrals show who in the organisation holds
each case, with a select to hand it to a colleague. Every change goes through
the referral services.
"""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.auth.models import User
from prog_tracker.auth.names import display_names
from prog_tracker.core import audit, policy
from prog_tracker.core.bidi import printable_name
from prog_tracker.core.errors import ApiError, forbidden
from prog_tracker.core.forms import keep_form_errors
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners import referrals
from prog_tracker.partners.models import Referral

bp = Blueprint("referral_inbox", __name__)


@bp.route("/referrals/inbox")
def inbox():
    """Pending referrals to the caseworker's organisation, and its accepted ones."""
    _require_inbox(g.user)
    return inbox_page()


def _require_inbox(user: User) -> None:
    """The inbox is for people who answer referrals on behalf of an organisation."""
    policy.require(user, "referral.respond")
    if not user.organisation_id:
        raise forbidden(
            _(
                "The inbox lists referrals to a partner organisation; "
                "your account is not linked to one."
            )
        )


def inbox_page(err: ApiError | None = None, failed: str | None = None, chosen: dict | None = None):
    """Render the inbox; after a refused answer, with the message beside that referral."""
    scope = policy.visible_referrals(g.user)
    pending = list(db.session.scalars(_oldest_first(scope.where(Referral.status == "pending"))))
    accepted = list(db.session.scalars(_oldest_first(scope.where(Referral.status == "accepted"))))
    visible = _visible_people(g.user, accepted)
    # The referral service decides whose names a caseworker may read (active consent).
    named = referrals.shown_names(g.user, pending + accepted)
    shown = sorted({r.participant_id for r in pending + accepted if r.id in named})
    # One list-like read: the people whose names the page shows.
    audit.record("referral.inbox", "participant", shown, actor_id=g.user.id)
    db.session.commit()
    colleagues = _colleagues(g.user)
    page = render_template(
        "partners/inbox.html",
        pending=pending,
        accepted=accepted,
        named=named,
        reasons=policy.referral_reasons_shown(g.user, pending + accepted),
        visible=visible,
        assigned_names=display_names(r.assigned_caseworker_id for r in accepted),
        colleagues=colleagues,
        may_respond={r.id for r in pending if policy.may(g.user, "referral.respond", r)},
        may_assign={r.id for r in accepted if policy.may(g.user, "referral.assign", r)},
        failed=failed,
        failed_message=err.message if err is not None else None,
        chosen=chosen or {},
    )
    return page, (err.status if err is not None else 200)


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


def _colleagues(user: User) -> list[tuple[str, str]]:
    """(id, display name) of the active caseworkers of the user's organisation."""
    rows = db.session.scalars(policy.caseworkers_of(user.organisation_id))
    return [(row.id, printable_name(row.display_name)) for row in rows]


@bp.route("/referrals/<referral_id>/accept", methods=["POST"])
def accept(referral_id):
    """Accept a referral: the case is assigned to the accepting caseworker."""
    return _answer(
        referral_id, "referral.respond", referrals.accept_referral, _("The referral is accepted.")
    )


@bp.route("/referrals/<referral_id>/decline", methods=["POST"])
def decline(referral_id):
    """Decline a referral to the organisation."""
    return _answer(
        referral_id, "referral.respond", referrals.decline_referral, _("The referral is declined.")
    )


def _answer(referral_id: str, action: str, service, done: str):
    """Load the referral in scope, call the service, and come back to the inbox."""
    referral = policy.get_scoped(g.user, "referral", referral_id, action)
    try:
        service(g.user, referral)
    except ApiError as err:
        keep_form_errors(err)
        return _refused(err, referral.id)
    flash(done, "success")
    return _back()


@bp.route("/referrals/<referral_id>/assign", methods=["POST"])
def assign(referral_id):
    """Hand an accepted case to another caseworker of the organisation."""
    referral = policy.get_scoped(g.user, "referral", referral_id, "referral.assign")
    caseworker_id = (request.form.get("caseworker_id") or "").strip()
    try:
        referrals.assign_referral(g.user, referral, caseworker_id)
    except ApiError as err:
        keep_form_errors(err)
        return _refused(err, referral.id, {referral.id: caseworker_id})
    flash(_("The case is handed over."), "success")
    return _back()


def _refused(err: ApiError, referral_id: str, chosen: dict | None = None):
    """The inbox again with the message beside the referral, or the error page elsewhere."""
    if not g.user.organisation_id:
        raise err
    return inbox_page(err, referral_id, chosen)


def _back():
    """Back to the inbox (people without an organisation go home)."""
    if g.user.organisation_id:
        return redirect(url_for(".inbox"))
    return redirect(url_for("home.home"))
