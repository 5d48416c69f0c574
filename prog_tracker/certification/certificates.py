"""Certificates: issue (four eyes), revoke, and verify by code."""

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from prog_tracker.auth.models import User
from prog_tracker.certification.models import Assessment, Certificate, Qualification
from prog_tracker.core import audit, creates, policy
from prog_tracker.core.bidi import printable_name
from prog_tracker.core.conflicts import commit_or_conflict
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError, rule_error, validation_error
from prog_tracker.core.localised import display_name
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant

# Crockford's base32: no I, L, O or U, so a code read aloud or typed is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_CHARS = 16  # 16 x 5 = 80 random bits
TYPO_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    """A random certificate code such as 7Q2K-9XMD-4HT0-BV3R."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_CHARS, 4))


def normalise_code(typed: str) -> str | None:
    """The canonical form of a typed code (case, dashes, spaces, look-alikes), or None."""
    if not isinstance(typed, str) or len(typed) > 64:
        return None
    cleaned = "".join(c for c in typed.upper() if c not in "- ").translate(TYPO_FIXES)
    if len(cleaned) != CODE_CHARS or any(c not in ALPHABET for c in cleaned):
        return None
    return "-".join(cleaned[i : i + 4] for i in range(0, CODE_CHARS, 4))


def holder_name(participant: Participant) -> str:
    """The name printed on a certificate."""
    parts = (participant.given_name, participant.other_names, participant.family_name)
    return " ".join(part for part in parts if part)


@creates.replayable("certificate", "certificate.issue")
def issue_certificate(actor: User, data: dict) -> Certificate:
    """Issue a certificate when every required skill is assessed competent, by someone else."""
    participant = policy.get_participant(actor, data["participant_id"], "certificate.issue")
    policy.require(actor, "certificate.issue", participant)
    qualification = db.session.get(Qualification, data["qualification_id"])
    if qualification is None:
        raise validation_error({"qualification_id": [_l("No such qualification.")]})
    claim = creates.claim(actor, "certificate", data, "certificate.issue")
    if claim.earlier is not None:
        return claim.earlier
    _refuse_second_certificate(participant, qualification)
    evidence = counted_assessments(participant, qualification, actor)
    certificate = Certificate(
        participant_id=participant.id,
        qualification_id=qualification.id,
        code=new_code(),
        issued_on=today_at(participant.facility),
        issued_by_id=actor.id,
        status="valid",
        holder_name=holder_name(participant),
        issuer_facility_id=participant.facility_id,
        assessment_ids=[a.id for a in evidence],
    )
    claim.keep(certificate)
    db.session.add(certificate)
    _flush_retrying_code(certificate)
    audit.record("certificate.issue", "certificate", [certificate.id], actor_id=actor.id)
    db.session.commit()
    return certificate


def counted_assessments(participant, qualification, actor: User) -> list[Assessment]:
    """One competent assessment per required skill, none recorded by the issuer.

    Where several competent assessments exist for a skill, one by someone
    other than the issuer is counted; a skill only the issuer assessed
    blocks issuance (four eyes), a skill nobody assessed competent is missing.
    """
    competent = db.session.scalars(
        select(Assessment)
        .where(
            Assessment.participant_id == participant.id,
            Assessment.skill_id.in_(qualification.skill_ids),
            Assessment.result == "competent",
        )
        .order_by(Assessment.assessed_on.desc(), Assessment.created_at.desc())
    )
    by_skill: dict[str, list[Assessment]] = {}
    for assessment in competent:
        by_skill.setdefault(assessment.skill_id, []).append(assessment)
    missing = [sid for sid in qualification.skill_ids if sid not in by_skill]
    if missing:
        raise rule_error(
            "requirements_not_met",
            _l("Some required skills have no competent assessment yet."),
            missing_skill_ids=missing,
        )
    counted, own = [], []
    for skill_id in qualification.skill_ids:
        others = [a for a in by_skill[skill_id] if a.assessor_id != actor.id]
        if others:
            counted.append(others[0])
        else:
            own.append(skill_id)
    if own:
        raise rule_error(
            "four_eyes_required",
            _l("You assessed some of these skills yourself; someone else must issue this."),
            own_assessed_skill_ids=own,
        )
    return counted


def _refuse_second_certificate(participant, qualification) -> None:
    """A person holds at most one valid certificate per qualification."""
    existing = db.session.scalar(
        select(Certificate.id).where(
            Certificate.participant_id == participant.id,
            Certificate.qualification_id == qualification.id,
            Certificate.status == "valid",
        )
    )
    if existing:
        raise rule_error(
            "already_certified", _l("This person already holds a valid certificate for this.")
        )


def _flush_retrying_code(certificate: Certificate) -> None:
    """Flush; on the (2^-80-unlikely) clash of codes, draw another."""
    for _attempt in range(3):
        try:
            with db.session.begin_nested():
                db.session.flush()
            return
        except IntegrityError:
            certificate.code = new_code()
    raise ApiError(409, "conflict", _l("Someone changed this record at the same time."))


def revoke_certificate(actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate, keeping it with the reason (verification then says revoked)."""
    policy.require(actor, "certificate.revoke", certificate.participant)
    if certificate.status == "revoked":
        raise rule_error("already_revoked", _l("This certificate is already revoked."))
    if not reason.strip():
        raise validation_error({"reason": [_l("Must not be empty.")]})
    certificate.status = "revoked"
    certificate.revoked_reason = reason.strip()
    certificate.revoked_on = today_at(certificate.issuer_facility)
    certificate.revoked_by_id = actor.id
    audit.record("certificate.revoke", "certificate", [certificate.id], actor_id=actor.id)
    commit_or_conflict(certificate)
    return certificate


def list_certificates(actor: User, participant_id=None, status=None):
    """A SELECT of the certificates of people the actor sees, newest first.

    The list page, the participant page and the JSON list show them in this one
    order: by the day issued, then the time issued (several can share a day).
    """
    query = policy.visible_certificates(actor)
    if participant_id:
        query = query.where(Certificate.participant_id == participant_id)
    if status:
        query = query.where(Certificate.status == status)
    return query.order_by(
        Certificate.issued_on.desc(), Certificate.created_at.desc(), Certificate.id
    )


def audit_certificate_list(actor: User, certificates: list[Certificate]) -> None:
    """One list read of the certificates shown."""
    audit.record_list(actor, "certificate.list", "certificate", [c.id for c in certificates])


def certificates_held(actor: User, participant: Participant) -> list[Certificate]:
    """The certificates of one person the actor sees, newest first (the person's page
    audits its own read)."""
    return list(db.session.scalars(list_certificates(actor, participant_id=participant.id)))


def read_certificate(actor: User, certificate_id: str, action="certificate.read") -> Certificate:
    """One certificate in the actor's scope, its read (or PDF) audited as action."""
    certificate = policy.get_certificate(actor, certificate_id, action)
    audit.record(action, "certificate", [certificate.id], actor_id=actor.id)
    db.session.commit()
    return certificate


def verification(code: str) -> dict | None:
    """What the public may learn from a code, or None; the lookup is audited."""
    canonical = normalise_code(code)
    certificate = (
        db.session.scalar(select(Certificate).where(Certificate.code == canonical))
        if canonical
        else None
    )
    if certificate is None:
        return None
    audit.record("certificate.verify", "certificate", [certificate.id], actor_id=None)
    db.session.commit()
    return {
        # The name as printed on the certificate: no bidi control may make it read otherwise.
        "holder_name": printable_name(certificate.holder_name),
        # In the reader's language (the page's, or the API request's Accept-Language).
        "qualification": display_name(certificate.qualification),
        "level": certificate.qualification.level,
        "trade": display_name(certificate.qualification.trade),
        "issued_on": certificate.issued_on,
        "issuer": certificate.issuer_facility.public_name,
        "status": certificate.status,
        "code": certificate.code,
    }
