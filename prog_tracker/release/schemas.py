"""Schemas for releases, returns, transfers, status history, episodes, plans and follow-ups."""

from marshmallow import fields

from prog_tracker.core.dates import facility_zone
from prog_tracker.core.schemas import (
    FreeText,
    Id,
    PatchSchema,
    RecordSchema,
    StrictSchema,
    Timestamp,
    one_of,
)
from prog_tracker.release.models import (
    FOLLOW_UP_STATUSES,
    PLAN_KINDS,
    PLAN_STATUSES,
    STATUS_EVENTS,
)


class ReleaseSchema(StrictSchema):
    """POST /participants/<id>/release body."""

    released_on = fields.Date(required=True)


class ReturnToCustodySchema(StrictSchema):
    """POST /participants/<id>/return-to-custody body; facility_id when held elsewhere now."""

    on = fields.Date(required=True)
    note = FreeText(allow_none=True)
    facility_id = Id(allow_none=True)


class TransferSchema(StrictSchema):
    """POST /participants/<id>/transfer body."""

    facility_id = Id(required=True)
    on = fields.Date(required=True)


class StatusChangeSchema(StrictSchema):
    """One dated release, return to custody or transfer."""

    id = fields.String()
    participant_id = fields.String()
    kind = one_of(STATUS_EVENTS)
    occurred_on = fields.Date()
    from_facility_id = fields.String(allow_none=True)
    to_facility_id = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    recorded_by_id = fields.String()
    recorded_at = Timestamp()


class ReleaseEpisodeSchema(RecordSchema):
    """One period out of custody (returned_on is null while out)."""

    participant_id = fields.String()
    released_on = fields.Date()
    returned_on = fields.Date(allow_none=True)


class PlanItemSchema(RecordSchema):
    """A release plan item as the API shows it."""

    participant_id = fields.String()
    kind = one_of(PLAN_KINDS)
    status = one_of(PLAN_STATUSES)
    due_date = fields.Date(allow_none=True)
    owner_organisation_id = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    # The referral an NGO referral item follows (done once it is accepted), if any.
    referral_id = fields.String(allow_none=True, dump_only=True)


class PlanItemPatchSchema(PatchSchema):
    """PATCH /release-plan-items/<id> body."""

    status = one_of(PLAN_STATUSES)
    due_date = fields.Date()
    owner_organisation_id = Id(allow_none=True)
    note = FreeText(allow_none=True)


class PlanProgressSchema(StrictSchema):
    """How far a plan is."""

    done = fields.Integer()
    total = fields.Integer()
    overdue = fields.Integer()


class ReleasePlanSchema(StrictSchema):
    """GET /participants/<id>/release-plan: the items and the progress."""

    items = fields.List(fields.Nested(PlanItemSchema))
    progress = fields.Nested(PlanProgressSchema)
    next_cursor = fields.String(allow_none=True)


class FollowUpSchema(RecordSchema):
    """A follow-up with its status on the day asked for."""

    episode_id = fields.String()
    participant_id = fields.String()
    sequence = fields.Integer()
    offset_days = fields.Integer()
    due_on = fields.Date()
    window_days = fields.Integer()
    window_opens_on = fields.Date()
    window_closes_on = fields.Date()
    status = one_of(FOLLOW_UP_STATUSES)
    met_by_contact_id = fields.String(allow_none=True)
    # What the status is judged by, so that the field app judges it offline as the server
    # does: the days of its release episode and its facility's time zone (see follow_up_days).
    released_on = fields.Date()
    returned_on = fields.Date(allow_none=True)
    timezone = fields.String()


def follow_up_days(follow_up) -> dict:
    """A follow-up's episode days and zone, as FollowUpSchema shows them: only contacts on
    or after released_on (and on or before returned_on) count, dated in timezone (UTC when
    the facility has none or an unknown one)."""
    episode = follow_up.episode
    return {
        "released_on": episode.released_on,
        "returned_on": episode.returned_on,
        "timezone": facility_zone(episode.participant.facility).key,
    }


class FollowUpQuerySchema(StrictSchema):
    """GET /participants/<id>/follow-ups?on=: the day statuses are computed for."""

    on = fields.Date()
