"""JSON routes for participants."""

from flask import g, redirect, url_for
from flask_smorest import Blueprint

from prog_tracker.core import policy
from prog_tracker.core.errors import register_representer
from prog_tracker.core.pagination import page_of, whole_list
from prog_tracker.core.schemas import page_schema
from prog_tracker.participants import services
from prog_tracker.participants.models import Participant
from prog_tracker.participants.schemas import (
    DuplicateSchema,
    ParticipantCreatedSchema,
    ParticipantCreateSchema,
    ParticipantListQuerySchema,
    ParticipantPatchSchema,
    ParticipantSchema,
    ReleaseDateChangeSchema,
)

blp = Blueprint(
    "participants_api",
    __name__,
    url_prefix="/api/v1/participants",
    description="People in the programme",
)
register_representer(Participant, ParticipantSchema().dump)


@blp.route("", methods=["GET"])
@blp.arguments(ParticipantListQuerySchema, location="query")
@blp.response(200, page_schema(ParticipantSchema, "ParticipantPage"))
def list_participants(args):
    """Participants in the caller's scope; ?q searches names and numbers."""
    args.pop("limit", None), args.pop("cursor", None)
    page = page_of(services.search_participants(g.user, **args))
    services.audit_list_read(g.user, page["items"])
    return page


@blp.route("", methods=["POST"])
@blp.arguments(ParticipantCreateSchema)
@blp.response(201, ParticipantCreatedSchema)
def create_participant(data):
    """Register a participant (officer of the facility, admin); the answer lists the people
    they are likely to be (`possible_duplicates`), but a likely duplicate is never refused."""
    participant = services.create_participant(g.user, data)
    return services.with_possible_duplicates(g.user, participant)


@blp.route("/<participant_id>", methods=["GET"])
@blp.response(200, ParticipantSchema)
def get_participant(participant_id):
    """One participant (audited). A record merged into another answers 301 to the
    survivor (for MERGE_REDIRECT_DAYS, when the caller sees the survivor)."""
    survivor = policy.merged_survivor(g.user, participant_id)
    if survivor is not None:
        return redirect(url_for(".get_participant", participant_id=survivor.id), 301)
    return services.read_participant(g.user, participant_id)


@blp.route("/<participant_id>", methods=["PATCH"])
@blp.arguments(ParticipantPatchSchema)
@blp.response(200, ParticipantSchema)
def update_participant(data, participant_id):
    """Change a participant; send `reason` with a new expected release date."""
    participant = policy.get_participant(g.user, participant_id, "participant.update")
    return services.update_participant(g.user, participant, data)


@blp.route("/<participant_id>/release-date-history", methods=["GET"])
@blp.response(200, page_schema(ReleaseDateChangeSchema, "ReleaseDateHistory"))
def release_date_history(participant_id):
    """Every change of the expected release date, with who, when and why."""
    return whole_list(services.release_date_history(g.user, participant_id))


@blp.route("/<participant_id>/duplicates", methods=["GET"])
@blp.response(200, page_schema(DuplicateSchema, "DuplicateList"))
def participant_duplicates(participant_id):
    """People in the caller's scope likely to be this participant, best first (audited)."""
    return whole_list(services.duplicates_of(g.user, participant_id))
