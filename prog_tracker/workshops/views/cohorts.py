"""Cohort pages: the list, opening a cohort, and one cohort with its people and sessions."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from prog_tracker.certification.models import Qualification
from prog_tracker.core import audit, policy
from prog_tracker.core.collation import by_name
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError, normalize_fields
from prog_tracker.core.forms import form_data, keep_form_errors, load_form, render_form
from prog_tracker.core.pagination import decode_cursor, paginate
from prog_tracker.extensions import db
from prog_tracker.workshops import attendance, enrolments, services
from prog_tracker.workshops.models import Attendance, Cohort, Trade
from prog_tracker.workshops.schemas import CohortCreateSchema, CohortListQuerySchema
from prog_tracker.workshops.views import PAGE_SIZE, WITHDRAWAL_REASON_LABELS, bp

COHORT_FIELDS = (
    "trade_id",
    "facility_id",
    "title",
    "start_date",
    "end_date",
    "capacity",
    "qualification_id",
)


@bp.route("/cohorts")
def list_cohorts():
    """The cohorts in the user's scope (instructors: those they teach), newest first."""
    shown = {
        "trade_id": request.args.get("trade_id", "").strip(),
        "current": request.args.get("current", "").strip(),
    }
    try:
        filters = load_form(CohortListQuerySchema(), {k: v or None for k, v in shown.items()})
        offset = decode_cursor(request.args.get("cursor"))
    except ApiError as err:
        return _list_page(shown, [], None, None, err)
    query = services.search_cohorts(
        g.user, trade_id=filters.get("trade_id"), current=filters.get("current")
    )
    cohorts, cursor = paginate(db.session, query, PAGE_SIZE, offset)
    kept = {k: v for k, v in shown.items() if v}
    next_url = url_for(".list_cohorts", cursor=cursor, **kept) if cursor else None
    first_url = url_for(".list_cohorts", **kept) if offset else None
    return _list_page(shown, [services.with_counts(c) for c in cohorts], next_url, first_url)


def _list_page(shown: dict, cohorts: list, next_url, first_url, err=None):
    """Render the filters and one page of cohorts."""
    trades = db.session.scalars(select(Trade).order_by(by_name(Trade.name), Trade.id))
    return render_form(
        "workshops/cohorts.html",
        shown,
        err,
        cohorts=cohorts,
        next_url=next_url,
        first_url=first_url,
        trade_options=[(t.id, t.name) for t in trades],
        several_facilities=len({c.facility_id for c in cohorts}) > 1,
        may_create=policy.may(g.user, "cohort.create"),
    )


@bp.route("/cohorts/new", methods=["GET", "POST"])
def new_cohort():
    """Open a cohort at a facility the user works for (admin, officer)."""
    policy.require(g.user, "cohort.create")
    if request.method == "GET":
        return _new_page({"facility_id": g.user.facility_id, "instructor_ids": []})
    submitted = form_data(COHORT_FIELDS)
    submitted["instructor_ids"] = [i for i in request.form.getlist("instructor_ids") if i.strip()]
    data = {**submitted, "capacity": _as_int(submitted.get("capacity"))}
    try:
        cohort = services.create_cohort(g.user, load_form(CohortCreateSchema(), data))
    except ApiError as err:
        keep_form_errors(err)
        return _new_page(submitted, _flat_list_errors(err))
    flash(_("The cohort is open."), "success")
    return redirect(url_for(".show_cohort", cohort_id=cohort.id))


def _as_int(value: str | None):
    """A whole number typed in a form as an int; anything else as typed, for the schema."""
    if value is not None and value.strip().isdigit():
        return int(value.strip())
    return value


def _flat_list_errors(err: ApiError) -> ApiError:
    """Errors on single items of instructor_ids shown on the instructor list as a whole."""
    fields = err.fields or {}
    if isinstance(fields.get("instructor_ids"), dict):
        err.fields = {**fields, "instructor_ids": [_("Choose instructors from the list.")]}
    return err


def _new_page(values: dict, err=None):
    """Render the form that opens a cohort."""
    facilities = list(db.session.scalars(policy.facility_choices(g.user)))
    facility_names = {f.id: f.name for f in facilities}
    instructors = db.session.scalars(policy.instructors_of(facility_names))
    qualifications = db.session.scalars(
        select(Qualification).order_by(
            by_name(Qualification.title), Qualification.level, Qualification.id
        )
    )
    trades = db.session.scalars(select(Trade).order_by(by_name(Trade.name), Trade.id))
    return render_form(
        "workshops/cohort_form.html",
        values,
        err,
        trade_options=[(t.id, t.name) for t in trades],
        facility_options=list(facility_names.items()),
        instructors=[(u, facility_names.get(u.facility_id)) for u in instructors],
        several_facilities=len(facility_names) > 1,
        qualification_options=[
            (q.id, _("%(title)s (level %(level)s) — %(trade)s", **_qualification_parts(q)))
            for q in qualifications
        ],
    )


def _qualification_parts(qualification: Qualification) -> dict:
    """The parts of a qualification's label in a select."""
    return {
        "title": qualification.title,
        "level": qualification.level,
        "trade": qualification.trade.name,
    }


@bp.route("/cohorts/<cohort_id>")
def show_cohort(cohort_id):
    """One cohort: details, roster, waitlist, ended enrolments and sessions (audited)."""
    return cohort_page(policy.get_cohort(g.user, cohort_id))


def cohort_page(cohort: Cohort, err: ApiError | None = None, failed=None, values=None):
    """Render a cohort page; after a refused change, with the error beside that person."""
    services.with_counts(cohort)
    rows = list(db.session.scalars(enrolments.cohort_enrolments(cohort)))
    # One list-like read of the people named on the page, as the API's list_enrolments.
    audit.record("enrolment.list", "participant", [e.participant_id for e in rows], g.user.id)
    db.session.commit()
    sessions = list(db.session.scalars(attendance.cohort_sessions(cohort)))
    qualification = (
        db.session.get(Qualification, cohort.qualification_id) if cohort.qualification_id else None
    )
    errors = normalize_fields(err.fields) if err is not None and err.fields else {}
    page = render_template(
        "workshops/cohort.html",
        cohort=cohort,
        qualification=qualification,
        enrolled=[e for e in rows if e.status == "enrolled"],
        waitlisted=[e for e in rows if e.status == "waitlisted"],
        ended=[e for e in rows if e.status in ("completed", "withdrawn")],
        sessions=sessions,
        roll_counts=_roll_counts(sessions),
        today=today_at(cohort.facility),
        may_enrol=policy.may(g.user, "enrolment.manage", cohort),
        may_plan=policy.may(g.user, "session.manage", cohort),
        may_assess=policy.may(g.user, "assessment.record", cohort),
        form_message=err.message if err is not None else None,
        failed=failed,
        errors=errors,
        values=values or {},
        reason_options=list(WITHDRAWAL_REASON_LABELS.items()),
    )
    return page, (err.status if err is not None else 200)


def _roll_counts(sessions: list) -> dict:
    """session_id -> how many attendance lines are recorded."""
    if not sessions:
        return {}
    rows = db.session.execute(
        select(Attendance.session_id, func.count(Attendance.id))
        .where(Attendance.session_id.in_([s.id for s in sessions]))
        .group_by(Attendance.session_id)
    )
    return {row[0]: row[1] for row in rows}
