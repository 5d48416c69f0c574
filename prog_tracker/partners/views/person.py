"""A person's referrals and consents (the officer's side), and the participant page's summary.

`/participants/<id>/referrals` lists the person's referrals and consents, says
whether each partner organisation's caseworkers can see the person, and holds
the forms: refer, close a referral, record consent (with the wording read to
the person, in their language) and withdraw consent. Every change goes through
the partners services; a refused form comes back with what was typed.
"""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.auth.names import display_names
from prog_tracker.core import policy
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError, normalize_fields
from prog_tracker.core.forms import form_data, form_id, keep_form_errors, load_form
from prog_tracker.core.i18n import text_direction
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.localised import language_label, with_country
from prog_tracker.participants.models import Participant
from prog_tracker.partners import consents, referrals, schemas, sharing
from prog_tracker.partners.labels import (
    CONSENT_METHOD_LABELS,
    CONSENT_PURPOSE_LABELS,
    CONSENT_STATE_LABELS,
    REFERRAL_STATUS_LABELS,
)
from prog_tracker.partners.models import CONSENT_METHODS, OPEN_REFERRAL
from prog_tracker.partners.views import bp

REFERRAL_FIELDS = ("organisation_id", "reason")
CONSENT_FIELDS = ("organisation_id", "method", "given_on", "expires_on", "wording_locale")


def partners_of(participant: Participant) -> dict | None:
    """The participant page's summary: with whom the person is shared (None for instructors)."""
    if g.get("user") is None or not policy.sees_aftercare(g.user):
        return None
    referral_rows = referrals.participant_referrals(g.user, participant)
    consent_rows = consents.participant_consents(g.user, participant)
    return {"sharing": sharing.sharing_of(participant, referral_rows, consent_rows)}


@bp.route("/participants/<participant_id>/referrals")
def person_referrals(participant_id):
    """A person's referrals and consents, with the forms to add and end them."""
    participant = policy.get_aftercare_participant(g.user, participant_id, "referral.read")
    return partners_page(
        participant,
        wording_for=request.args.get("organisation_id"),
        wording_in=request.args.get("wording_locale"),
    )


def partners_page(
    participant: Participant, err=None, failed=None, values=None, wording_for=None, wording_in=None
):
    """Render the referrals and consents page; after a refused form, with its errors.

    The consent wording is in wording_in when the app speaks it, else in the person's
    language: it is read to the person, whatever the officer's interface language.
    """
    referral_rows, consent_rows = sharing.read_person_partners(g.user, participant)
    organisations = sharing.organisations_seen(g.user, participant)
    chosen = _wording_organisation(organisations, referral_rows, wording_for)
    locale = consents.wording_locale(participant, wording_in)
    page = render_template(
        "partners/referrals.html",
        participant=participant,
        referrals=referral_rows,
        consents=consent_rows,
        consent_states={c.id: consents.consent_state(c) for c in consent_rows},
        sharing=sharing.sharing_of(participant, referral_rows, consent_rows),
        caseworkers=display_names(r.assigned_caseworker_id for r in referral_rows),
        organisation_options=[(o.id, with_country(o)) for o in organisations],
        method_options=[(m, CONSENT_METHOD_LABELS[m]) for m in CONSENT_METHODS],
        wording_organisation=chosen,
        wording=consents.consent_wording(chosen, locale) if chosen else None,
        wording_lang=locale,
        wording_dir=text_direction(locale),
        wording_language_name=language_label(locale),
        wording_language_options=[
            (code, language_label(code)) for code in current_app.config["TRANSLATED_LOCALES"]
        ],
        today=today_at(participant.facility).isoformat(),
        may=_permissions(participant, referral_rows, consent_rows),
        failed=failed,
        values=values or {},
        errors=normalize_fields(err.fields) if err is not None and err.fields else {},
        failed_message=err.message if err is not None else None,
    )
    return page, (err.status if err is not None else 200)


def _wording_organisation(organisations, referral_rows, wanted: str | None):
    """The organisation whose consent wording is shown: the one asked for, else the
    latest open referral's, else the first in the directory."""
    by_id = {o.id: o for o in organisations}
    if wanted and parse_uuid(wanted) in by_id:
        return by_id[parse_uuid(wanted)]
    for referral in reversed(referral_rows):
        if referral.status in OPEN_REFERRAL and referral.organisation_id in by_id:
            return by_id[referral.organisation_id]
    return organisations[0] if organisations else None


def _permissions(participant, referral_rows, consent_rows) -> dict:
    """What the user may do here: refer, record consent, close each referral, withdraw each."""
    return {
        "refer": policy.may(g.user, "referral.create", participant),
        "record_consent": policy.may(g.user, "consent.record", participant),
        "close": {
            r.id
            for r in referral_rows
            if r.status in referrals.CLOSABLE and policy.may(g.user, "referral.close", r)
        },
        "withdraw": {c.id for c in consent_rows if policy.may(g.user, "consent.withdraw", c)},
    }


@bp.route("/participants/<participant_id>/referrals", methods=["POST"])
def refer_person(participant_id):
    """Refer the person to a partner organisation (reason optional)."""
    participant = policy.get_aftercare_participant(g.user, participant_id, "referral.create")
    policy.require(g.user, "referral.create", participant)  # 403 before judging the form
    submitted = form_data(REFERRAL_FIELDS)
    try:
        data = load_form(
            schemas.ReferralCreateSchema(),
            {**submitted, "participant_id": participant.id, "id": form_id()},
        )
        referrals.create_referral(g.user, data)
    except ApiError as err:
        keep_form_errors(err)
        return partners_page(participant, err, failed="refer", values=submitted)
    flash(_("The referral is sent."), "success")
    return _back_to(participant.id, "referrals")


@bp.route("/participants/<participant_id>/consents", methods=["POST"])
def record_consent(participant_id):
    """Record the person's consent to share their record with one organisation."""
    participant = policy.get_aftercare_participant(g.user, participant_id, "consent.record")
    policy.require(g.user, "consent.record", participant)  # 403 before judging the form
    submitted = form_data(CONSENT_FIELDS)
    if "show_wording" in request.form:  # another language chosen: nothing is recorded yet
        return _with_wording(participant, submitted)
    body = {
        **submitted,
        **{"participant_id": participant.id, "id": form_id()},
        "purpose": "post_release_support",
        "wording_locale": submitted.get("wording_locale") or consents.wording_locale(participant),
    }
    try:
        consents.record_consent(g.user, load_form(schemas.ConsentCreateSchema(), body))
    except ApiError as err:
        keep_form_errors(err)
        return _with_wording(participant, submitted, err)
    flash(_("The consent is recorded."), "success")
    return _back_to(participant.id, "consents")


def _with_wording(participant: Participant, submitted: dict, err=None):
    """The consent form again with what was typed, its wording in the language chosen."""
    return partners_page(
        participant,
        err,
        "consent",
        submitted,
        wording_for=submitted.get("organisation_id"),
        wording_in=submitted.get("wording_locale"),
    )


@bp.route("/referrals/<referral_id>/close", methods=["POST"])
def close_referral(referral_id):
    """Close a referral: the organisation's caseworkers lose sight of the person at once."""
    referral = policy.get_scoped(g.user, "referral", referral_id, "referral.close")
    try:
        referrals.close_referral(g.user, referral)
    except ApiError as err:
        keep_form_errors(err)
        return _refused_about(referral.participant_id, err, failed=referral.id)
    flash(_("The referral is closed."), "success")
    return _back_to(referral.participant_id, "referrals")


@bp.route("/consents/<consent_id>/withdraw", methods=["POST"])
def withdraw_consent(consent_id):
    """Withdraw a consent on a day (default today): sharing stops at once."""
    consent = policy.get_scoped(g.user, "consent", consent_id, "consent.withdraw")
    policy.require(g.user, "consent.withdraw", consent)  # 403 before judging the form
    submitted = form_data(("withdrawn_on",))
    try:
        data = load_form(schemas.ConsentWithdrawSchema(), submitted)
        consents.withdraw_consent(g.user, consent, data)
    except ApiError as err:
        keep_form_errors(err)
        return _refused_about(consent.participant_id, err, consent.id, submitted)
    flash(_("The consent is withdrawn."), "success")
    return _back_to(consent.participant_id, "consents")


def _refused_about(participant_id: str, err: ApiError, failed: str, values=None):
    """A refused form about someone: their page with the error when the user sees them;
    otherwise the plain error page, which names nobody (a caseworker still lists a
    declined referral or a withdrawn consent whose person is no longer theirs)."""
    participant = policy.visible_participant(g.user, participant_id)
    if participant is None:
        raise err
    return partners_page(participant, err, failed, values)


def _back_to(participant_id: str, anchor: str):
    """The person's referrals page, or home once the user no longer sees them."""
    if policy.visible_participant(g.user, participant_id) is None:
        return redirect(url_for("home.home"))
    return redirect(url_for(".person_referrals", participant_id=participant_id, _anchor=anchor))


@bp.app_context_processor
def partner_labels() -> dict:
    """Labels for referral and consent templates (the caseworker pages use them too)."""
    return {
        "partners_of": partners_of,
        "referral_status_labels": REFERRAL_STATUS_LABELS,
        "consent_method_labels": CONSENT_METHOD_LABELS,
        "consent_purpose_labels": CONSENT_PURPOSE_LABELS,
        "consent_state_labels": CONSENT_STATE_LABELS,
    }
