"""JSON routes for referrals to partner organisations and consents."""

from flask import current_app, g
from flask_babel import get_locale
from flask_smorest import Blueprint

from prog_tracker.core import audit, policy
from prog_tracker.core.errors import register_representer
from prog_tracker.core.pagination import page_of, whole_list
from prog_tracker.core.schemas import page_schema
from prog_tracker.extensions import db
from prog_tracker.participants.services import audit_person_list
from prog_tracker.partners import consents, referrals
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.partners.schemas import (
    ConsentCreateSchema,
    ConsentListQuerySchema,
    ConsentSchema,
    ConsentWithdrawSchema,
    ReferralCreateSchema,
    ReferralListQuerySchema,
    ReferralPatchSchema,
    ReferralSchema,
    WordingQuerySchema,
    WordingSchema,
)

blp = Blueprint("partners_api", __name__, url_prefix="/api/v1", description="Referrals, consents")


def _referral_out(referral: Referral) -> dict:
    """A referral as the signed-in user may receive it."""
    return referrals.referral_view(g.user, referral)


def _consent_out(consent: Consent) -> dict:
    """A consent with its state today at the person's facility."""
    columns = [column.key for column in Consent.__table__.columns]
    return {
        **{key: getattr(consent, key) for key in columns},
        "state": consents.consent_state(consent),
    }


register_representer(Referral, lambda r: ReferralSchema().dump(_referral_out(r)))
register_representer(Consent, lambda c: ConsentSchema().dump(_consent_out(c)))


def _read(entity: str, record, action: str):
    """Audit one detail read and commit."""
    audit.record(action, entity, [record.id], actor_id=g.user.id)
    db.session.commit()
    return record


@blp.route("/referrals", methods=["GET"])
@blp.arguments(ReferralListQuerySchema, location="query")
@blp.response(200, page_schema(ReferralSchema, "ReferralPage"))
def list_referrals(args):
    """Referrals in the caller's scope (a caseworker: those to their organisation)."""
    args.pop("limit", None), args.pop("cursor", None)
    page = page_of(referrals.search_referrals(g.user, **args))
    audit.record_list(g.user, "referral.list", "referral", [r.id for r in page["items"]])
    return {**page, "items": referrals.referral_views(g.user, page["items"])}


@blp.route("/referrals", methods=["POST"])
@blp.arguments(ReferralCreateSchema)
@blp.response(201, ReferralSchema)
def create_referral(data):
    """Refer a person to a partner organisation (officer of the facility, admin)."""
    return _referral_out(referrals.create_referral(g.user, data))


@blp.route("/referrals/<referral_id>", methods=["GET"])
@blp.response(200, ReferralSchema)
def get_referral(referral_id):
    """One referral (audited)."""
    referral = policy.get_scoped(g.user, "referral", referral_id, "referral.read")
    return _referral_out(_read("referral", referral, "referral.read"))


@blp.route("/referrals/<referral_id>", methods=["PATCH"])
@blp.arguments(ReferralPatchSchema)
@blp.response(200, ReferralSchema)
def update_referral(data, referral_id):
    """Hand an accepted case to another caseworker of the organisation."""
    referral = policy.get_scoped(g.user, "referral", referral_id, "referral.assign")
    return _referral_out(
        referrals.assign_referral(
            g.user, referral, data["assigned_caseworker_id"], data.get("version")
        )
    )


@blp.route("/referrals/<referral_id>/accept", methods=["POST"])
@blp.response(200, ReferralSchema)
def accept_referral(referral_id):
    """Accept a pending referral; the case goes to the accepting caseworker."""
    referral = policy.get_scoped(g.user, "referral", referral_id, "referral.respond")
    return _referral_out(referrals.accept_referral(g.user, referral))


@blp.route("/referrals/<referral_id>/decline", methods=["POST"])
@blp.response(200, ReferralSchema)
def decline_referral(referral_id):
    """Decline a pending referral."""
    referral = policy.get_scoped(g.user, "referral", referral_id, "referral.respond")
    return _referral_out(referrals.decline_referral(g.user, referral))


@blp.route("/referrals/<referral_id>/close", methods=["POST"])
@blp.response(200, ReferralSchema)
def close_referral(referral_id):
    """Close a referral (officer, admin; a caseworker closes accepted ones)."""
    referral = policy.get_scoped(g.user, "referral", referral_id, "referral.close")
    return _referral_out(referrals.close_referral(g.user, referral))


@blp.route("/consents", methods=["GET"])
@blp.arguments(ConsentListQuerySchema, location="query")
@blp.response(200, page_schema(ConsentSchema, "ConsentPage"))
def list_consents(args):
    """Consents in the caller's scope (a caseworker: their organisation's)."""
    args.pop("limit", None), args.pop("cursor", None)
    page = page_of(consents.search_consents(g.user, **args))
    audit.record_list(g.user, "consent.list", "consent", [c.id for c in page["items"]])
    return {**page, "items": [_consent_out(c) for c in page["items"]]}


@blp.route("/consents", methods=["POST"])
@blp.arguments(ConsentCreateSchema)
@blp.response(201, ConsentSchema)
def record_consent(data):
    """Record a person's consent for one organisation (officer of the facility, admin)."""
    return _consent_out(consents.record_consent(g.user, data))


@blp.route("/consents/wording", methods=["GET"])
@blp.arguments(WordingQuerySchema, location="query")
@blp.response(200, WordingSchema)
def consent_wording(args):
    """The consent wording for an organisation, in a language (default the caller's)."""
    organisation = consents.existing_organisation(args["organisation_id"])
    available = current_app.config["TRANSLATED_LOCALES"]
    wanted = args.get("locale") or str(get_locale() or "en")
    locale = wanted if wanted in available else "en"
    return {"text": consents.consent_wording(organisation, locale), "locale": locale}


@blp.route("/consents/<consent_id>", methods=["GET"])
@blp.response(200, ConsentSchema)
def get_consent(consent_id):
    """One consent (audited)."""
    consent = policy.get_scoped(g.user, "consent", consent_id, "consent.read")
    return _consent_out(_read("consent", consent, "consent.read"))


@blp.route("/consents/<consent_id>/withdraw", methods=["POST"])
@blp.arguments(ConsentWithdrawSchema)
@blp.response(200, ConsentSchema)
def withdraw_consent(data, consent_id):
    """Withdraw a consent (default today at the facility); sharing stops at once."""
    consent = policy.get_scoped(g.user, "consent", consent_id, "consent.withdraw")
    return _consent_out(consents.withdraw_consent(g.user, consent, data))


@blp.route("/participants/<participant_id>/consents", methods=["GET"])
@blp.response(200, page_schema(ConsentSchema, "ParticipantConsents"))
def participant_consents(participant_id):
    """A person's consents the caller may see (not instructors)."""
    participant = policy.get_aftercare_participant(g.user, participant_id, "consent.read")
    rows = consents.participant_consents(g.user, participant)
    audit_person_list(g.user, participant, "consent.list", "consent", [c.id for c in rows])
    return whole_list([_consent_out(c) for c in rows])
