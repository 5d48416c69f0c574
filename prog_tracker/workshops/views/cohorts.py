"""Cohort pages: the list, opening a cohort, and one cohort with its people and sessions."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.core import policy
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError, normalize_fields
from prog_tracker.core.forms import (
    fold_localised,
    form_data,
    form_id,
    keep_form_errors,
    load_form,
    localised_inputs,
    render_form,
)
from prog_tracker.core.pagination import decode_cursor, page_at
from prog_tracker.workshops import attendance, enrolments, services
from prog_tracker.workshops.labels import WITHDRAWAL_REASON_LABELS
from prog_tracker.workshops.models import Cohort
from prog_tracker.workshops.schemas import CohortCreateSchema, CohortListQuerySchema
from prog_tracker.workshops.views import bp

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
    cohorts, cursor = page_at(query, offset)
    kept = {k: v for k, v in shown.items() if v}
    next_url = url_for(".list_cohorts", cursor=cursor, **kept) if cursor else None
    first_url = url_for(".list_cohorts", **kept) if offset else None
    return _list_page(shown, [services.with_counts(c) for c in cohorts], next_url, first_url)


def _list_page(shown: dict, cohorts: list, next_url, first_url, err=None):
    """Render the filters and one page of cohorts."""
    return render_form(
        "workshops/cohorts.html",
        shown,
        err,
        cohorts=cohorts,
        next_url=next_url,
        first_url=first_url,
        trade_options=services.trade_options(),
        several_facilities=len({c.facility_id for c in cohorts}) > 1,
        may_create=policy.may(g.user, "cohort.create"),
    )


@bp.route("/cohorts/new", methods=["GET", "POST"])
def new_cohort():
    """Open a cohort at a facility the user works for (admin, officer)."""
    policy.require(g.user, "cohort.create")
    if request.method == "GET":
        return _new_page({"facility_id": g.user.facility_id, "instructor_ids": []})
    submitted = form_data((*COHORT_FIELDS, *localised_inputs("titles")))
    submitted["instructor_ids"] = [i for i in request.form.getlist("instructor_ids") if i.strip()]
    data = {
        **fold_localised(submitted, "titles"),
        "capacity": _as_int(submitted.get("capacity")),
        "id": form_id(),
    }
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
    """Render the form that opens a cohort (certification's helper offers the qualifications)."""
    return render_form(
        "workshops/cohort_form.html", values, err, **services.cohort_form_choices(g.user)
    )


@bp.route("/cohorts/<cohort_id>")
def show_cohort(cohort_id):
    """One cohort: details, roster, waitlist, ended enrolments and sessions (audited)."""
    return cohort_page(policy.get_cohort(g.user, cohort_id))


def cohort_page(cohort: Cohort, err: ApiError | None = None, failed=None, values=None):
    """Render a cohort page; after a refused change, with the error beside that person."""
    services.with_counts(cohort)
    # One list-like read of the people named on the page, as the API's list_enrolments.
    rows = enrolments.read_roster(g.user, cohort)
    sessions = attendance.sessions_of(cohort)
    errors = normalize_fields(err.fields) if err is not None and err.fields else {}
    page = render_template(
        "workshops/cohort.html",
        cohort=cohort,
        enrolled=[e for e in rows if e.status == "enrolled"],
        waitlisted=[e for e in rows if e.status == "waitlisted"],
        ended=[e for e in rows if e.status in ("completed", "withdrawn")],
        sessions=sessions,
        roll_counts=attendance.roll_counts(sessions),
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
