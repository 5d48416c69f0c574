"""JSON routes for skills, qualifications, assessments, certificates and verification."""

from flask import Response, current_app, g
from flask_smorest import Blueprint

from prog_tracker.certification import certificates, services
from prog_tracker.certification.models import Assessment, Certificate, Qualification, Skill
from prog_tracker.certification.schemas import (
    AssessmentCreateSchema,
    AssessmentListQuerySchema,
    AssessmentSchema,
    CertificateCreateSchema,
    CertificateListQuerySchema,
    CertificateRevokeSchema,
    CertificateSchema,
    QualificationCreateSchema,
    QualificationPatchSchema,
    QualificationSchema,
    SkillCreateSchema,
    SkillListQuerySchema,
    SkillPatchSchema,
    SkillSchema,
    VerificationSchema,
)
from prog_tracker.core import policy
from prog_tracker.core.errors import not_found, register_representer
from prog_tracker.core.pagination import page_of
from prog_tracker.core.schemas import ListQuerySchema, page_schema
from prog_tracker.core.security import public
from prog_tracker.extensions import db, limiter

blp = Blueprint("certification_api", __name__, url_prefix="/api/v1", description="Certification")
register_representer(Skill, SkillSchema().dump)
register_representer(Qualification, QualificationSchema().dump)
register_representer(Assessment, AssessmentSchema().dump)
register_representer(Certificate, CertificateSchema().dump)


@blp.route("/skills", methods=["GET"])
@blp.arguments(SkillListQuerySchema, location="query")
@blp.response(200, page_schema(SkillSchema, "SkillPage"))
def list_skills(args):
    """The skills catalogue, optionally of one trade."""
    query = db.select(Skill).order_by(Skill.trade_id, Skill.code, Skill.id)
    if args.get("trade_id"):
        query = query.where(Skill.trade_id == args["trade_id"])
    return page_of(query)


@blp.route("/skills", methods=["POST"])
@blp.arguments(SkillCreateSchema)
@blp.response(201, SkillSchema)
def create_skill(data):
    """Add a skill to a trade (admin)."""
    return services.create_skill(g.user, data)


@blp.route("/skills/<skill_id>", methods=["GET"])
@blp.response(200, SkillSchema)
def get_skill(skill_id):
    """One skill."""
    return policy.get_record(g.user, Skill, skill_id)


@blp.route("/skills/<skill_id>", methods=["PATCH"])
@blp.arguments(SkillPatchSchema)
@blp.response(200, SkillSchema)
def update_skill(data, skill_id):
    """Change a skill (admin)."""
    return services.update_skill(g.user, policy.get_record(g.user, Skill, skill_id), data)


@blp.route("/qualifications", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, page_schema(QualificationSchema, "QualificationPage"))
def list_qualifications(_args):
    """The qualifications catalogue."""
    return page_of(db.select(Qualification).order_by(Qualification.title, Qualification.id))


@blp.route("/qualifications", methods=["POST"])
@blp.arguments(QualificationCreateSchema)
@blp.response(201, QualificationSchema)
def create_qualification(data):
    """Define a qualification from skills of one trade (admin)."""
    return services.create_qualification(g.user, data)


@blp.route("/qualifications/<qualification_id>", methods=["GET"])
@blp.response(200, QualificationSchema)
def get_qualification(qualification_id):
    """One qualification."""
    return policy.get_record(g.user, Qualification, qualification_id)


@blp.route("/qualifications/<qualification_id>", methods=["PATCH"])
@blp.arguments(QualificationPatchSchema)
@blp.response(200, QualificationSchema)
def update_qualification(data, qualification_id):
    """Change a qualification (admin)."""
    record = policy.get_record(g.user, Qualification, qualification_id)
    return services.update_qualification(g.user, record, data)


@blp.route("/assessments", methods=["GET"])
@blp.arguments(AssessmentListQuerySchema, location="query")
@blp.response(200, page_schema(AssessmentSchema, "AssessmentPage"))
def list_assessments(args):
    """Assessments of people in the caller's scope."""
    page = page_of(
        services.visible_assessments(g.user, args.get("participant_id"), args.get("cohort_id"))
    )
    services.audit_assessment_list(g.user, page["items"])
    return page


@blp.route("/assessments", methods=["POST"])
@blp.arguments(AssessmentCreateSchema)
@blp.response(201, AssessmentSchema)
def create_assessment(data):
    """Record an assessment (instructor of the cohort, admin)."""
    return services.record_assessment(g.user, data)


@blp.route("/certificates", methods=["GET"])
@blp.arguments(CertificateListQuerySchema, location="query")
@blp.response(200, page_schema(CertificateSchema, "CertificatePage"))
def list_certificates(args):
    """Certificates of people in the caller's scope, newest first."""
    query = certificates.list_certificates(g.user, args.get("participant_id"), args.get("status"))
    page = page_of(query)
    certificates.audit_certificate_list(g.user, page["items"])
    return page


@blp.route("/certificates", methods=["POST"])
@blp.arguments(CertificateCreateSchema)
@blp.response(201, CertificateSchema)
def issue_certificate(data):
    """Issue a certificate (supervisor, admin; never one who assessed a counted skill)."""
    return certificates.issue_certificate(g.user, data)


@blp.route("/certificates/<certificate_id>", methods=["GET"])
@blp.response(200, CertificateSchema)
def get_certificate(certificate_id):
    """One certificate (audited)."""
    return certificates.read_certificate(g.user, certificate_id)


@blp.route("/certificates/<certificate_id>/revoke", methods=["POST"])
@blp.arguments(CertificateRevokeSchema)
@blp.response(200, CertificateSchema)
def revoke_certificate(data, certificate_id):
    """Revoke a certificate with a reason (supervisor, admin)."""
    certificate = policy.get_certificate(g.user, certificate_id, "certificate.revoke")
    return certificates.revoke_certificate(g.user, certificate, data["reason"])


@blp.route("/certificates/<certificate_id>/pdf", methods=["GET"])
@blp.response(200, content_type="application/pdf")
def certificate_pdf(certificate_id):
    """The certificate as a PDF with a QR code to its public verification page."""
    from prog_tracker.certification.documents import certificate_pdf_bytes

    certificate = certificates.read_certificate(g.user, certificate_id, "certificate.pdf")
    response = Response(certificate_pdf_bytes(certificate), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.code}.pdf"'
    )
    return response


@blp.route("/verify/<code>", methods=["GET"])
@blp.response(200, VerificationSchema)
@blp.doc(security=[])  # public: the document must not claim it needs credentials
@public
@limiter.limit(lambda: current_app.config["VERIFY_LIMIT"])
def verify(code):
    """Check a certificate by its code (public): nothing here reveals imprisonment."""
    found = certificates.verification(code)
    if found is None:
        raise not_found()
    return found
