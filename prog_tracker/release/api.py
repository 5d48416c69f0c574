"""JSON routes for releases, returns to custody, transfers, release plans and follow-ups.

The routes that change a person's custody name them `<custody_participant_id>`
(the same URL as `<participant_id>`), and plan items are `<release_plan_item_id>`:
the permission matrix gives each such route a record of its own, in the state
it needs, apart from the ones other domains' rows act on.
"""

from flask import g
from flask_smorest import Blueprint

from prog_tracker.core import policy
from prog_tracker.core.errors import register_representer
from prog_tracker.core.pagination import whole_list
from prog_tracker.core.schemas import page_schema
from prog_tracker.participants.schemas import ParticipantSchema
from prog_tracker.participants.services import audit_person_list
from prog_tracker.release import followups, plans, services
from prog_tracker.release.models import ReleasePlanItem
from prog_tracker.release.schemas import (
    FollowUpQuerySchema,
    FollowUpSchema,
    PlanItemPatchSchema,
    PlanItemSchema,
    ReleaseEpisodeSchema,
    ReleasePlanSchema,
    ReleaseSchema,
    ReturnToCustodySchema,
    StatusChangeSchema,
    TransferSchema,
    follow_up_days,
)

blp = Blueprint("release_api", __name__, url_prefix="/api/v1", description="Release and after")
register_representer(ReleasePlanItem, PlanItemSchema().dump)

CUSTODY_RULE = "/participants/<custody_participant_id>"
STATUS_CHANGE_FIELDS = tuple(StatusChangeSchema().fields)
FOLLOW_UP_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "version",
    "episode_id",
    "participant_id",
    "sequence",
    "offset_days",
    "due_on",
    "window_days",
)


@blp.route(CUSTODY_RULE + "/release", methods=["POST"])
@blp.arguments(ReleaseSchema)
@blp.response(200, ParticipantSchema)
def release(data, custody_participant_id):
    """Release a person in custody (officer of the facility, admin)."""
    participant = policy.get_participant(g.user, custody_participant_id, "release.manage")
    return services.release_participant(g.user, participant, data)


@blp.route(CUSTODY_RULE + "/return-to-custody", methods=["POST"])
@blp.arguments(ReturnToCustodySchema)
@blp.response(200, ParticipantSchema)
def return_to_custody(data, custody_participant_id):
    """Record a released person's return to custody; closes the open release episode."""
    participant = policy.get_participant(g.user, custody_participant_id, "release.manage")
    return services.return_to_custody(g.user, participant, data)


@blp.route(CUSTODY_RULE + "/transfer", methods=["POST"])
@blp.arguments(TransferSchema)
@blp.response(200, ParticipantSchema)
def transfer(data, custody_participant_id):
    """Transfer a person in custody to another facility."""
    participant = policy.get_participant(g.user, custody_participant_id, "release.manage")
    return services.transfer_participant(g.user, participant, data)


@blp.route("/participants/<participant_id>/status-history", methods=["GET"])
@blp.response(200, page_schema(StatusChangeSchema, "StatusHistory"))
def status_history(participant_id):
    """Every release, return to custody and transfer, oldest first."""
    participant = policy.get_aftercare_participant(g.user, participant_id, "status_history.read")
    changes = services.status_history(participant)
    audit_person_list(
        g.user, participant, "status_history.read", "status_change", [c.id for c in changes]
    )
    return whole_list([_status_change(c) for c in changes])


def _status_change(change) -> dict:
    """A status change's fields; caseworkers never receive facility internals."""
    item = {name: getattr(change, name) for name in STATUS_CHANGE_FIELDS}
    if not policy.sees_custody_details(g.user):
        item["from_facility_id"] = item["to_facility_id"] = None
    return item


@blp.route("/participants/<participant_id>/release-episodes", methods=["GET"])
@blp.response(200, page_schema(ReleaseEpisodeSchema, "ReleaseEpisodePage"))
def release_episodes(participant_id):
    """A person's periods out of custody, oldest first."""
    participant = policy.get_aftercare_participant(g.user, participant_id, "release_episode.list")
    episodes = services.participant_episodes(participant)
    audit_person_list(
        g.user, participant, "release_episode.list", "release_episode", [e.id for e in episodes]
    )
    return whole_list(episodes)


@blp.route("/participants/<participant_id>/release-plan", methods=["GET"])
@blp.response(200, ReleasePlanSchema)
def release_plan(participant_id):
    """A person's release plan by due date, with its progress."""
    participant = policy.get_aftercare_participant(g.user, participant_id, "release_plan.read")
    items = plans.read_plan(g.user, participant)
    return whole_list(items, progress=plans.plan_progress(items))


@blp.route("/release-plan-items/<release_plan_item_id>", methods=["GET"])
@blp.response(200, PlanItemSchema)
def get_plan_item(release_plan_item_id):
    """One release plan item (audited)."""
    item = policy.get_scoped(
        g.user, "release_plan_item", release_plan_item_id, "release_plan_item.read"
    )
    return plans.read_plan_item(g.user, item)


@blp.route("/release-plan-items/<release_plan_item_id>", methods=["PATCH"])
@blp.arguments(PlanItemPatchSchema)
@blp.response(200, PlanItemSchema)
def update_plan_item(data, release_plan_item_id):
    """Change a plan item (officer, admin; a caseworker of the owning organisation)."""
    item = policy.get_scoped(g.user, "release_plan_item", release_plan_item_id, "plan.update")
    return plans.update_plan_item(g.user, item, data)


@blp.route("/participants/<participant_id>/follow-ups", methods=["GET"])
@blp.arguments(FollowUpQuerySchema, location="query")
@blp.response(200, page_schema(FollowUpSchema, "FollowUpPage"))
def follow_ups(args, participant_id):
    """A person's follow-ups with their status on ?on= (default: today at the facility)."""
    participant = policy.get_aftercare_participant(g.user, participant_id, "follow_up.list")
    rows = followups.participant_follow_ups(participant, args.get("on"))
    ids = [row["follow_up"].id for row in rows]
    audit_person_list(g.user, participant, "follow_up.list", "follow_up", ids)
    return whole_list([_follow_up(row) for row in rows])


def _follow_up(row: dict) -> dict:
    """A follow-up's fields, window and status as one dict."""
    follow_up = row["follow_up"]
    opens, closes = followups.window_of(follow_up)
    return {
        **{name: getattr(follow_up, name) for name in FOLLOW_UP_FIELDS},
        "window_opens_on": opens,
        "window_closes_on": closes,
        "status": row["status"],
        "met_by_contact_id": row["met_by_contact_id"],
        **follow_up_days(follow_up),
    }
