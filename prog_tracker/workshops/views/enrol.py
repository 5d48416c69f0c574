"""Enrolment pages: search the facility's people to enrol, and move enrolments on."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError, normalize_fields
from prog_tracker.core.forms import form_data, form_id, keep_form_errors, load_form
from prog_tracker.core.pagination import decode_cursor, page_at
from prog_tracker.workshops import candidates, enrolments, services
from prog_tracker.workshops.models import Cohort, Enrolment
from prog_tracker.workshops.schemas import (
    CandidateQuerySchema,
    EnrolmentCreateSchema,
    EnrolmentPatchSchema,
)
from prog_tracker.workshops.views import bp
from prog_tracker.workshops.views.cohorts import cohort_page


@bp.route("/cohorts/<cohort_id>/enrol")
def enrol_search(cohort_id):
    """Search the people in custody at the cohort's facility: name, number and status only."""
    cohort = policy.get_cohort(g.user, cohort_id, "enrolment.create")
    policy.require(g.user, "enrolment.manage", cohort)
    return _search_page(cohort, request.args.get("q", "").strip(), request.args.get("cursor"))


def _search_page(cohort: Cohort, q: str, cursor: str | None, err: ApiError | None = None):
    """Render the candidate search; the people shown are audited as one search."""
    found, next_url, first_url, search_error = [], None, None, None
    try:
        load_form(CandidateQuerySchema(), {"q": q or None})
        offset = decode_cursor(cursor)
    except ApiError as bad:
        search_error, offset = bad, None
    if offset is not None:
        found, next_cursor = page_at(candidates.search_candidates(g.user, cohort, q), offset)
        candidates.audit_search(g.user, found)
        kept = {"q": q} if q else {}
        if next_cursor:
            next_url = url_for(".enrol_search", cohort_id=cohort.id, cursor=next_cursor, **kept)
        if offset:
            first_url = url_for(".enrol_search", cohort_id=cohort.id, **kept)
    shown_error = err or search_error
    errors = normalize_fields(search_error.fields) if search_error and search_error.fields else {}
    page = render_template(
        "workshops/enrol.html",
        cohort=services.with_counts(cohort),
        values={"q": q},
        errors=errors,
        form_message=shown_error.message if shown_error is not None else None,
        candidates=found,
        places=candidates.places(cohort, found),
        next_url=next_url,
        first_url=first_url,
    )
    return page, (shown_error.status if shown_error is not None else 200)


@bp.route("/cohorts/<cohort_id>/enrolments", methods=["POST"])
def enrol(cohort_id):
    """Enrol a person found by the search (waitlisted when the cohort is full)."""
    cohort = policy.get_cohort(g.user, cohort_id, "enrolment.create")
    policy.require(g.user, "enrolment.manage", cohort)
    q = (request.form.get("q") or "").strip()
    try:
        data = load_form(EnrolmentCreateSchema(), form_data(("participant_id",)))
        enrolment = enrolments.enrol_participant(g.user, cohort, data["participant_id"], form_id())
    except ApiError as err:
        keep_form_errors(err)
        return _search_page(cohort, q, None, err)
    # No names in flash messages: they travel in a cookie.
    if enrolment.status == "waitlisted":
        flash(_("Added to the waitlist (the cohort is full)."), "success")
    else:
        flash(_("Enrolled."), "success")
    kept = {"q": q} if q else {}
    return redirect(url_for(".enrol_search", cohort_id=cohort.id, **kept))


@bp.route("/enrolments/<enrolment_id>", methods=["POST"])
def change_enrolment(enrolment_id):
    """Enrol from the waitlist, mark completed, or withdraw with a reason."""
    enrolment = policy.get_cohort_record(
        g.user, Enrolment, enrolment_id, "enrolment", "enrolment.update"
    )
    policy.require(g.user, "enrolment.manage", enrolment)
    cohort = enrolment.cohort
    submitted = form_data(("status", "status_reason", "version"))
    was = enrolment.status
    waiting = enrolments.enrolled_count(cohort, "waitlisted")
    try:
        data = load_form(EnrolmentPatchSchema(), {**submitted, "version": _version(submitted)})
        enrolments.change_enrolment(g.user, enrolment, data)
    except ApiError as err:
        keep_form_errors(err)
        return cohort_page(cohort, err, failed=enrolment.id, values=submitted)
    flash(_flash_for(enrolment.status), "success")
    if was == "enrolled" and enrolments.enrolled_count(cohort, "waitlisted") < waiting:
        flash(_("The first person on the waitlist now has the place."), "success")
    return redirect(url_for(".show_cohort", cohort_id=cohort.id))


def _version(submitted: dict):
    """The version the form was loaded with, as a number when it is one."""
    value = submitted.get("version")
    return int(value) if value is not None and value.isdigit() else value


def _flash_for(status: str) -> str:
    """What the user is told after an enrolment changes (never a name)."""
    return {
        "enrolled": _("Enrolled from the waitlist."),
        "completed": _("Marked as completed."),
        "withdrawn": _("Withdrawn from the cohort."),
    }.get(status, _("The changes are saved."))
