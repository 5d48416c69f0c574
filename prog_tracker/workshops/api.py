"""JSON routes for trades, cohorts, enrolments, sessions and attendance."""

from flask import g
from flask_smorest import Blueprint

from prog_tracker.core import policy
from prog_tracker.core.errors import register_representer
from prog_tracker.core.pagination import page_of, whole_list
from prog_tracker.core.schemas import ListQuerySchema, page_schema
from prog_tracker.extensions import db
from prog_tracker.workshops import attendance, candidates, enrolments, services
from prog_tracker.workshops.models import Cohort, Enrolment, Trade, WorkshopSession
from prog_tracker.workshops.schemas import (
    AttendancePutSchema,
    AttendanceSchema,
    CandidateQuerySchema,
    CandidateSchema,
    CohortCreateSchema,
    CohortListQuerySchema,
    CohortPatchSchema,
    CohortSchema,
    EnrolmentCreateSchema,
    EnrolmentPatchSchema,
    EnrolmentSchema,
    SessionCreateSchema,
    SessionSchema,
    TradeCreateSchema,
    TradePatchSchema,
    TradeSchema,
)

blp = Blueprint("workshops_api", __name__, url_prefix="/api/v1", description="Workshops")
register_representer(Trade, TradeSchema().dump)
register_representer(Cohort, lambda c: CohortSchema().dump(services.with_counts(c)))
register_representer(Enrolment, EnrolmentSchema().dump)
register_representer(WorkshopSession, SessionSchema().dump)


@blp.route("/trades", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, page_schema(TradeSchema, "TradePage"))
def list_trades(_args):
    """The trade catalogue (every signed-in user)."""
    return page_of(db.select(Trade).order_by(Trade.name, Trade.id))


@blp.route("/trades", methods=["POST"])
@blp.arguments(TradeCreateSchema)
@blp.response(201, TradeSchema)
def create_trade(data):
    """Add a trade (admin)."""
    return services.create_trade(g.user, data)


@blp.route("/trades/<trade_id>", methods=["GET"])
@blp.response(200, TradeSchema)
def get_trade(trade_id):
    """One trade."""
    return policy.get_record(g.user, Trade, trade_id)


@blp.route("/trades/<trade_id>", methods=["PATCH"])
@blp.arguments(TradePatchSchema)
@blp.response(200, TradeSchema)
def update_trade(data, trade_id):
    """Rename a trade (admin)."""
    return services.update_trade(g.user, policy.get_record(g.user, Trade, trade_id), data)


@blp.route("/cohorts", methods=["GET"])
@blp.arguments(CohortListQuerySchema, location="query")
@blp.response(200, page_schema(CohortSchema, "CohortPage"))
def list_cohorts(args):
    """Cohorts in the caller's scope (instructors: the ones they teach)."""
    args.pop("limit", None), args.pop("cursor", None)
    return page_of(services.search_cohorts(g.user, **args), services.with_counts)


@blp.route("/cohorts", methods=["POST"])
@blp.arguments(CohortCreateSchema)
@blp.response(201, CohortSchema)
def create_cohort(data):
    """Open a cohort (admin, officer of the facility)."""
    return services.with_counts(services.create_cohort(g.user, data))


@blp.route("/cohorts/<cohort_id>", methods=["GET"])
@blp.response(200, CohortSchema)
def get_cohort(cohort_id):
    """One cohort with its seat counts."""
    return services.with_counts(policy.get_cohort(g.user, cohort_id))


@blp.route("/cohorts/<cohort_id>", methods=["PATCH"])
@blp.arguments(CohortPatchSchema)
@blp.response(200, CohortSchema)
def update_cohort(data, cohort_id):
    """Change a cohort (admin, officer of the facility)."""
    cohort = policy.get_cohort(g.user, cohort_id, "cohort.update")
    return services.with_counts(services.update_cohort(g.user, cohort, data))


@blp.route("/cohorts/<cohort_id>/enrolments", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, page_schema(EnrolmentSchema, "EnrolmentPage"))
def list_enrolments(_args, cohort_id):
    """A cohort's enrolments: enrolled, then the waitlist in order, then ended ones."""
    cohort = policy.get_cohort(g.user, cohort_id)
    page = page_of(enrolments.cohort_enrolments(cohort))
    enrolments.audit_enrolment_list(g.user, page["items"])
    return page


@blp.route("/cohorts/<cohort_id>/enrolments", methods=["POST"])
@blp.arguments(EnrolmentCreateSchema)
@blp.response(201, EnrolmentSchema)
def enrol(data, cohort_id):
    """Enrol a person in custody at the cohort's facility (waitlisted when full)."""
    cohort = policy.get_cohort(g.user, cohort_id, "enrolment.create")
    return enrolments.enrol_participant(g.user, cohort, data["participant_id"], data.get("id"))


@blp.route("/cohorts/<cohort_id>/candidates", methods=["GET"])
@blp.arguments(CandidateQuerySchema, location="query")
@blp.response(200, page_schema(CandidateSchema, "CandidatePage"))
def list_candidates(args, cohort_id):
    """People in custody at the cohort's facility, to enrol: name, number, status only."""
    cohort = policy.get_cohort(g.user, cohort_id, "enrolment.create")
    page = page_of(candidates.search_candidates(g.user, cohort, args.get("q")))
    candidates.audit_search(g.user, page["items"])
    return page


@blp.route("/enrolments/<enrolment_id>", methods=["GET"])
@blp.response(200, EnrolmentSchema)
def get_enrolment(enrolment_id):
    """One enrolment."""
    return policy.get_cohort_record(g.user, Enrolment, enrolment_id, "enrolment", "enrolment.read")


@blp.route("/enrolments/<enrolment_id>", methods=["PATCH"])
@blp.arguments(EnrolmentPatchSchema)
@blp.response(200, EnrolmentSchema)
def update_enrolment(data, enrolment_id):
    """Enrol from the waitlist, complete, or withdraw (with a reason)."""
    enrolment = policy.get_cohort_record(
        g.user, Enrolment, enrolment_id, "enrolment", "enrolment.update"
    )
    return enrolments.change_enrolment(g.user, enrolment, data)


@blp.route("/cohorts/<cohort_id>/sessions", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, page_schema(SessionSchema, "SessionPage"))
def list_sessions(_args, cohort_id):
    """A cohort's sessions in date order."""
    return page_of(attendance.cohort_sessions(policy.get_cohort(g.user, cohort_id)))


@blp.route("/cohorts/<cohort_id>/sessions", methods=["POST"])
@blp.arguments(SessionCreateSchema)
@blp.response(201, SessionSchema)
def create_session(data, cohort_id):
    """Plan a session within the cohort's dates (instructor of the cohort, admin)."""
    cohort = policy.get_cohort(g.user, cohort_id, "session.create")
    return attendance.create_session(g.user, cohort, data)


def _session(session_id, action="session.read") -> WorkshopSession:
    """The session named in the path, in the caller's scope."""
    return policy.get_cohort_record(g.user, WorkshopSession, session_id, "session", action)


@blp.route("/sessions/<session_id>", methods=["GET"])
@blp.response(200, SessionSchema)
def get_session(session_id):
    """One session."""
    return _session(session_id)


@blp.route("/sessions/<session_id>/attendance", methods=["GET"])
@blp.response(200, page_schema(AttendanceSchema, "AttendanceRoll"))
def get_attendance(session_id):
    """The attendance recorded at a session."""
    rows = attendance.session_attendance(_session(session_id))
    attendance.audit_roll_read(g.user, [r.participant_id for r in rows])
    return whole_list(rows)


@blp.route("/sessions/<session_id>/attendance", methods=["PUT"])
@blp.arguments(AttendancePutSchema)
@blp.response(200, page_schema(AttendanceSchema, "AttendanceSaved"))
def put_attendance(data, session_id):
    """Save a roll at once: only people enrolled in the cohort on that day."""
    session = _session(session_id, "attendance.record")
    rows = attendance.record_attendance(g.user, session, data["records"])
    return whole_list(rows)
