"""The participant list: search the people the user may see, one page at a time."""

from flask import g, request, url_for

from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import load_form, render_form
from prog_tracker.core.pagination import decode_cursor
from prog_tracker.participants import services
from prog_tracker.participants.labels import STATUS_LABELS
from prog_tracker.participants.schemas import ParticipantListQuerySchema
from prog_tracker.participants.views import bp

PAGE_SIZE = 50
FILTERS = ("q", "status", "facility_id", "releasing_before")


@bp.route("")
def list_participants():
    """Search the participants the user may see, one page at a time."""
    shown = {key: request.args.get(key, "").strip() for key in FILTERS}
    try:
        filters = load_form(ParticipantListQuerySchema(), {k: v or None for k, v in shown.items()})
        offset = decode_cursor(request.args.get("cursor"))
    except ApiError as err:
        return _list_page(shown, [], None, err)
    participants, cursor = services.list_page(g.user, offset, PAGE_SIZE, **filters)
    next_url = None
    if cursor:
        next_url = url_for(
            ".list_participants", cursor=cursor, **{k: v for k, v in shown.items() if v}
        )
    return _list_page(shown, participants, next_url)


def _list_page(shown: dict, participants: list, next_url: str | None, err=None):
    """Render the search form and the table of results."""
    facilities = services.facilities_seen(g.user)
    first_url = None
    if request.args.get("cursor"):
        first_url = url_for(".list_participants", **{k: v for k, v in shown.items() if v})
    return render_form(
        "participants/list.html",
        shown,
        err,
        participants=participants,
        next_url=next_url,
        first_url=first_url,
        facility_options=[(f.id, f.name) for f in facilities],
        status_options=list(STATUS_LABELS.items()),
        may_create=policy.may(g.user, "participant.create"),
        may_import=policy.may(g.user, "participant.import"),
        may_merge=policy.may(g.user, "participant.merge"),
        custody_details=policy.sees_custody_details(g.user),
    )
