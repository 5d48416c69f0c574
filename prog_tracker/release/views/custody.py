"""The participant page's Release section: what it shows, and its three actions.

Release, return to custody and transfer call the release services and, when
refused, show the participant page again (participants/pages.py) with what was
typed and the message beside the field.
"""

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from prog_tracker.auth.names import display_names
from prog_tracker.core import policy
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError, normalize_fields
from prog_tracker.core.forms import form_data, keep_form_errors, load_form
from prog_tracker.participants import services as participants
from prog_tracker.participants.models import Participant
from prog_tracker.participants.pages import participant_page
from prog_tracker.release import services
from prog_tracker.release.labels import (
    FOLLOW_UP_STATUS_LABELS,
    PLAN_KIND_LABELS,
    PLAN_STATUS_LABELS,
    STATUS_EVENT_LABELS,
)
from prog_tracker.release.schemas import ReleaseSchema, ReturnToCustodySchema, TransferSchema
from prog_tracker.release.views import bp

# Which action forms a status offers; the services still decide what is allowed.
IN_CUSTODY = ("in_custody", "returned_to_custody")


def release_of(participant: Participant) -> dict | None:
    """What the participant page's Release section shows, or None for roles without it."""
    if g.get("user") is None or not policy.sees_aftercare(g.user):
        return None
    changes = services.status_history(participant)
    show_facilities = services.sees_facilities(g.user)
    return {
        "changes": changes,
        "episodes": services.participant_episodes(participant),
        "show_facilities": show_facilities,
        "facility_names": services.facility_names_of(changes) if show_facilities else {},
        "recorders": display_names(c.recorded_by_id for c in changes),
        "may_manage": policy.may(g.user, "release.manage", participant),
        "in_custody": participant.status in IN_CUSTODY,
        "today": today_at(participant.facility).isoformat(),
        "transfer_options": services.transfer_options(participant),
    }


def may_list_releases() -> bool:
    """True when the signed-in user may open the list of releases ahead."""
    return g.get("user") is not None and policy.may(g.user, "release.list")


# form name -> (service, schema, fields, message once done)
ACTIONS = {
    "release": (
        services.release_participant,
        ReleaseSchema,
        ("released_on",),
        _l("The release is recorded."),
    ),
    "return": (
        services.return_to_custody,
        ReturnToCustodySchema,
        ("on", "note", "facility_id"),
        _l("The return to custody is recorded."),
    ),
    "transfer": (
        services.transfer_participant,
        TransferSchema,
        ("facility_id", "on"),
        _l("The transfer is recorded."),
    ),
}


@bp.route("/participants/<custody_participant_id>/release", methods=["POST"])
def record_release(custody_participant_id):
    """Record that the person was released on a day (default: today at the facility)."""
    return _act(custody_participant_id, "release")


@bp.route("/participants/<custody_participant_id>/return-to-custody", methods=["POST"])
def record_return(custody_participant_id):
    """Record that a released person came back into custody (here or at another facility)."""
    return _act(custody_participant_id, "return")


@bp.route("/participants/<custody_participant_id>/transfer", methods=["POST"])
def record_transfer(custody_participant_id):
    """Record the person's transfer to another facility."""
    return _act(custody_participant_id, "transfer")


def _act(participant_id: str, form: str):
    """Run one release action through its service; show the page again when refused."""
    act, schema, fields, done = ACTIONS[form]
    participant = policy.get_participant(g.user, participant_id, "release.manage")
    policy.require(g.user, "release.manage", participant)  # 403 before judging the form
    submitted = form_data(fields)
    try:
        act(g.user, participant, load_form(schema(), submitted))
    except ApiError as err:
        keep_form_errors(err)
        return _refused(participant, form, submitted, err)
    flash(str(done), "success")
    return _after(participant.id)


def _after(participant_id: str):
    """The person's page, or the participant list once a transfer took them out of sight."""
    if policy.visible_participant(g.user, participant_id) is None:
        return redirect(url_for("participants.list_participants"))
    return redirect(
        url_for("participants.show_participant", participant_id=participant_id, _anchor="release")
    )


def _refused(participant: Participant, form: str, submitted: dict, err: ApiError):
    """The participant page again (the read audited), the refused form open with its errors."""
    return participant_page(
        participants.reread_participant(g.user, participant),
        err.status,
        values=submitted,
        errors=normalize_fields(err.fields) if err.fields else {},
        failed_form=form,
        failed_message=err.message or _("This could not be saved."),
    )


@bp.app_context_processor
def release_helpers() -> dict:
    """Labels and the Release section's data for every template (participant and home pages)."""
    return {
        "release_of": release_of,
        "may_list_releases": may_list_releases,
        "status_event_labels": STATUS_EVENT_LABELS,
        "plan_kind_labels": PLAN_KIND_LABELS,
        "plan_status_labels": PLAN_STATUS_LABELS,
        "follow_up_status_labels": FOLLOW_UP_STATUS_LABELS,
    }
