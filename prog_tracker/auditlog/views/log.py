"""The audit log page: filter the events the user may review, newest first."""

from flask import g, request, url_for

from prog_tracker.auditlog import services
from prog_tracker.auditlog.schemas import OUTCOMES, AuditEventQuerySchema
from prog_tracker.auditlog.views import bp
from prog_tracker.auditlog.views.labels import ENTITY_LABELS, OUTCOME_LABELS, REASON_LABELS
from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import load_form, render_form
from prog_tracker.core.pagination import decode_cursor, encode_cursor

PAGE_SIZE = 50
# The form's names: "from" is the API's query name as well.
FILTER_FIELDS = ("participant_id", "actor_id", "action", "outcome", "reason_code", "from", "to")


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
        people_found=services.people_found(g.user, person_q),
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
