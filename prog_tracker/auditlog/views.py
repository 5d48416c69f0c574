"""Pages of the audit log: the reason picker before one person's record, and /audit."""

from flask import Blueprint, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from prog_tracker.auditlog import services
from prog_tracker.auditlog.schemas import OUTCOMES, AuditEventQuerySchema
from prog_tracker.core import audit, policy
from prog_tracker.core.errors import (
    ApiError,
    error_response,
    not_found,
    validation_error,
    wants_json,
)
from prog_tracker.core.forms import load_form, render_form
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.navigation import safe_next
from prog_tracker.core.pagination import decode_cursor, encode_cursor
from prog_tracker.core.policy.reasons import ReasonRequired
from prog_tracker.extensions import db
from prog_tracker.participants.services import audit_list_read, search_participants

bp = Blueprint("auditlog", __name__)

PAGE_SIZE = 50
PEOPLE_FOUND = 10
# The form's names: "from" is the API's query name as well.
FILTER_FIELDS = ("participant_id", "actor_id", "action", "outcome", "reason_code", "from", "to")
REASON_LABELS = {
    "case_review": _l("Case review"),
    "data_quality": _l("Data quality check"),
    "complaint": _l("Complaint"),
    "subject_access": _l("Subject access request"),
    "safeguarding": _l("Safeguarding concern"),
    "legal": _l("Legal request"),
}
OUTCOME_LABELS = {"allowed": _l("Allowed"), "denied": _l("Denied")}
# What kind of record an event names, in the reader's language; a kind missing here
# is shown as its code.
ENTITY_LABELS = {
    "participant": _l("Participant"),
    "certificate": _l("Certificate"),
    "contact": _l("Contact"),
    "contact_version": _l("Contact"),
    "outcome": _l("Outcome"),
    "consent": _l("Consent"),
    "referral": _l("Referral"),
    "enrolment": _l("Enrolment"),
    "attendance": _l("Attendance"),
    "assessment": _l("Assessment"),
    "cohort": _l("Cohort"),
    "session": _l("Session"),
    "trade": _l("Trade"),
    "skill": _l("Skill"),
    "qualification": _l("Qualification"),
    "follow_up": _l("Follow-up"),
    "release_episode": _l("Time out of custody"),
    "release_plan_item": _l("Release plan item"),
    "release_date_change": _l("Release date change"),
    "status_change": _l("Status change"),
    "facility": _l("Facility"),
    "organisation": _l("Organisation"),
    "user": _l("Account"),
    "api_token": _l("API token"),
    "auth_session": _l("Sign-in session"),
    "push_subscription": _l("Reminder subscription"),
    "backup": _l("Backup"),
    "audit_event": _l("Audit event"),
}


@bp.app_errorhandler(ReasonRequired)
def ask_for_reason(err: ReasonRequired):
    """Pages answer a missing reason with the picker, keeping where the user was going."""
    if wants_json() or not err.participant_id or g.get("auth_session") is None:
        from prog_tracker.core.pages import render_error_page

        return error_response(err) if wants_json() else render_error_page(err)
    here = request.full_path.rstrip("?")
    return redirect(url_for("auditlog.access_reason", participant_id=err.participant_id, next=here))


@bp.route("/access-reason/<participant_id>", methods=["GET", "POST"])
def access_reason(participant_id):
    """Ask why the record is opened; keep the reason code for this person's pages."""
    canonical = parse_uuid(participant_id)
    if canonical is None or g.get("auth_session") is None:
        raise not_found()
    # Only the roles that are asked; the form names nobody, so it needs no scope check.
    if not policy.reasons.gives_reasons(g.user):
        return redirect(safe_next(request.values.get("next")))
    values = {"next": request.values.get("next") or _person_page(canonical), "reason_code": None}
    if request.method == "GET":
        return _reason_page(canonical, values)
    values["reason_code"] = request.form.get("reason_code")
    if values["reason_code"] not in audit.REASON_CODES:
        err = validation_error({"reason_code": [_("Choose a reason.")]})
        return _reason_page(canonical, values, err)
    policy.reasons.grant_reason(g.auth_session, canonical, values["reason_code"])
    audit.record(
        "access_reason.give",
        "participant",
        [canonical],
        actor_id=g.user.id,
        reason_code=values["reason_code"],
    )
    db.session.commit()
    return redirect(safe_next(values["next"]))


def _person_page(participant_id: str) -> str:
    """Where a reason leads by default: the person's page."""
    return url_for("participants.show_participant", participant_id=participant_id)


def _reason_page(participant_id: str, values: dict, err: ApiError | None = None):
    """The reason picker (a radio group with a legend), again with its error."""
    return render_form(
        "auditlog/reason.html",
        values,
        err,
        participant_id=participant_id,
        reasons=list(REASON_LABELS.items()),
        minutes=policy.reasons.grant_minutes(),
    )


@bp.route("/audit")
def audit_log():
    """The audit log: filter the events the user may review, newest first."""
    policy.require(g.user, "audit.read")
    shown = {key: request.args.get(key, "").strip() for key in FILTER_FIELDS}
    try:
        filters = load_form(AuditEventQuerySchema(), {k: v for k, v in shown.items() if v})
        before_id = decode_cursor(request.args.get("cursor"))
    except ApiError as err:
        return _log_page(shown, None, err)
    page = services.review_events(g.user, filters, PAGE_SIZE, before_id)
    return _log_page(shown, page)


def _log_page(shown: dict, page, err: ApiError | None = None):
    """Render the filters, the people found by name, and one page of events."""
    events = page.events if page else []
    kept = {key: value for key, value in shown.items() if value}
    person_q = request.args.get("person_q", "").strip()
    return render_form(
        "auditlog/log.html",
        {**shown, "person_q": person_q},
        err,
        events=events,
        people_found=_people_found(person_q),
        actors=services.actor_names(g.user, events),
        people=services.person_names(g.user, events),
        staff_options=services.staff_choices(g.user),
        reason_labels=REASON_LABELS,
        outcome_labels=OUTCOME_LABELS,
        entity_labels=ENTITY_LABELS,
        outcome_options=[(code, OUTCOME_LABELS[code]) for code in OUTCOMES],
        reason_options=list(REASON_LABELS.items()),
        next_url=url_for(".audit_log", cursor=encode_cursor(page.next_cursor), **kept)
        if page and page.next_cursor
        else None,
        first_url=url_for(".audit_log", **kept) if request.args.get("cursor") else None,
    )


def _people_found(person_q: str) -> list:
    """People in the user's scope whose name or number matches, to pick as the filter."""
    if not person_q:
        return []
    query = search_participants(g.user, q=person_q[:200]).limit(PEOPLE_FOUND)
    people = list(db.session.scalars(query))
    audit_list_read(g.user, people, "participant.search")
    return people
