"""Session pages: plan a session, and take its attendance roll in one save."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.auth.names import display_names
from prog_tracker.core import policy
from prog_tracker.core.collation import name_sorter
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError, normalize_fields
from prog_tracker.core.forms import form_data, form_id, keep_form_errors, load_form, render_form
from prog_tracker.workshops import attendance
from prog_tracker.workshops.models import ATTENDANCE_STATUSES, WorkshopSession
from prog_tracker.workshops.schemas import AttendancePutSchema, SessionCreateSchema
from prog_tracker.workshops.views import bp


@bp.route("/cohorts/<cohort_id>/sessions/new", methods=["GET", "POST"])
def new_session(cohort_id):
    """Plan a session of a cohort (its instructors, admin); then take its roll."""
    cohort = policy.get_cohort(g.user, cohort_id, "session.create")
    policy.require(g.user, "session.manage", cohort)
    if request.method == "GET":
        values = {"date": today_at(cohort.facility).isoformat()}
        return render_form("workshops/session_form.html", values, cohort=cohort)
    submitted = form_data(("date", "topic"))
    try:
        session = attendance.create_session(
            g.user, cohort, load_form(SessionCreateSchema(), {**submitted, "id": form_id()})
        )
    except ApiError as err:
        keep_form_errors(err)
        return render_form("workshops/session_form.html", submitted, err, cohort=cohort)
    flash(_("The session is planned."), "success")
    return redirect(url_for(".roll", session_id=session.id))


@bp.route("/sessions/<session_id>/attendance", methods=["GET", "POST"])
def roll(session_id):
    """The attendance roll of a session: everyone marked, saved at once."""
    action = "attendance.record" if request.method == "POST" else "session.read"
    session = policy.get_cohort_record(g.user, WorkshopSession, session_id, "session", action)
    if request.method == "GET":
        return _roll_page(session)
    policy.require(g.user, "attendance.record", session.cohort)
    people, choices = _submitted_roll()
    records = [{"participant_id": pid, **choices[pid]} for pid in people]
    try:
        data = load_form(AttendancePutSchema(), {"records": records})
        attendance.record_attendance(g.user, session, data["records"])
    except ApiError as err:
        keep_form_errors(err)
        return _roll_page(session, choices, err, people)
    flash(_("The roll is saved."), "success")
    return redirect(url_for(".roll", session_id=session.id))


def _submitted_roll() -> tuple[list[str], dict]:
    """The people on the submitted roll, in order, and participant_id -> {status, note}."""
    people = [pid for pid in request.form.getlist("participant_id") if pid.strip()]
    choices = {}
    for pid in people:
        line = {}
        status = (request.form.get(f"status-{pid}") or "").strip()
        note = request.form.get(f"note-{pid}") or ""
        if status:
            line["status"] = status
        if note.strip():
            line["note"] = note
        choices[pid] = line
    return people, choices


def _roll_page(session: WorkshopSession, choices=None, err: ApiError | None = None, people=()):
    """Render the roll; after a refusal, with the user's choices and each row's error."""
    cohort = session.cohort
    allowed = attendance.attending_enrolments(session)
    names = name_sorter()
    enrols = sorted(
        allowed.values(),
        key=lambda e: (
            *names(e.participant.family_name, e.participant.given_name),
            e.participant_id,
        ),
    )
    recorded = {row.participant_id: row for row in attendance.session_attendance(session)}
    # One list-like read of the people on the roll, as the API's get_attendance.
    attendance.audit_roll_read(g.user, [e.participant_id for e in enrols])
    row_errors, stray = _row_errors(err, list(people), set(allowed))
    rows = [_row(e, recorded.get(e.participant_id), choices, row_errors) for e in enrols]
    latest = max(recorded.values(), key=lambda a: a.recorded_at, default=None)
    names = display_names([a.recorded_by_id for a in recorded.values()])
    today = today_at(cohort.facility)
    page = render_template(
        "workshops/roll.html",
        session=session,
        cohort=cohort,
        rows=rows,
        statuses=ATTENDANCE_STATUSES,
        recorded_by=names,
        latest=latest,
        recorded_count=len(recorded),
        is_today=session.date == today,
        in_future=session.date > today,
        may_record=policy.may(g.user, "attendance.record", cohort),
        form_message=err.message if err is not None else None,
        stray_errors=stray,
    )
    return page, (err.status if err is not None else 200)


def _row(enrolment, recorded, choices, row_errors) -> dict:
    """One person's line of the roll: what is saved, what is chosen, what went wrong."""
    pid = enrolment.participant_id
    chosen = (choices or {}).get(pid)
    if chosen is not None:
        status, note = chosen.get("status"), chosen.get("note")
    elif recorded is not None:
        status, note = recorded.status, recorded.note
    else:
        status, note = "present", None
    return {
        "pid": pid,
        "person": enrolment.participant,
        "enrolment": enrolment,
        "recorded": recorded,
        "status": status,
        "note": note,
        "errors": row_errors.get(pid, []),
    }


def _row_errors(err: ApiError | None, people: list, on_roll: set) -> tuple[dict, list]:
    """Errors per person on the roll, and those about lines that are not on it."""
    if err is None or not err.fields:
        return {}, []
    fields = normalize_fields(err.fields)
    lines = fields.get("records")
    if not isinstance(lines, dict):
        return {}, [str(m) for m in (lines or [])]
    per_person, stray = {}, []
    for index, problems in lines.items():
        position = int(index) if str(index).isdigit() else -1
        pid = people[position] if 0 <= position < len(people) else None
        if pid in on_roll:
            per_person.setdefault(pid, []).extend(_messages(problems))
            continue
        # A line for someone not shown: only what is said about the person helps.
        about_person = problems.get("participant_id") if isinstance(problems, dict) else None
        for message in _messages(about_person) if about_person else [_("Not on this roll.")]:
            if message not in stray:
                stray.append(message)
    return per_person, stray


def _messages(problems) -> list[str]:
    """The messages of one line's field errors, flattened."""
    if isinstance(problems, dict):
        return [str(m) for value in problems.values() for m in _messages(value)]
    if isinstance(problems, list | tuple):
        return [str(m) for m in problems]
    return [str(problems)]
