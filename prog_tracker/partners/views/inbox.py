"""The caseworker's referral inbox: answer referrals to the organisation, and share the caseload.

Pending referrals wait for accept or decline; a person's name is shown only
once their consent to the organisation is active (until then they are a
referral, not a name). Accepted referrals show who in the organisation holds
each case, with a select to hand it to a colleague. Every change goes through
the referral services. A blueprint of its own (`referral_inbox`), so its
endpoints keep their names.
"""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.auth.models import User
from prog_tracker.auth.names import display_names
from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError, forbidden
from prog_tracker.core.forms import keep_form_errors
from prog_tracker.partners import casework, referrals

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
    inbox = casework.read_inbox(g.user)
    pending, accepted = inbox["pending"], inbox["accepted"]
    page = render_template(
        "partners/inbox.html",
        pending=pending,
        accepted=accepted,
        named=inbox["named"],
        reasons=policy.referral_reasons_shown(g.user, pending + accepted),
        visible=inbox["visible"],
        assigned_names=display_names(r.assigned_caseworker_id for r in accepted),
        colleagues=casework.colleagues(g.user),
        may_respond={r.id for r in pending if policy.may(g.user, "referral.respond", r)},
        may_assign={r.id for r in accepted if policy.may(g.user, "referral.assign", r)},
        failed=failed,
        failed_message=err.message if err is not None else None,
        chosen=chosen or {},
    )
    return page, (err.status if err is not None else 200)


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
