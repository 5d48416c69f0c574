"""Each sync entity's representation: the same fields as the API's, from the same schemas.

A first pull sends thousands of records, so the records whose schema shows
only their own columns are read as plain rows and written field by field, in
the schema's order with the schema's formats (`fast_fields`); a test holds
each to what the schema itself dumps. The others (a cohort's seat counts, a
referral's names, a follow-up's status today) go through the schema.
"""

import datetime as dt

from marshmallow import fields
from sqlalchemy import select

from prog_tracker.aftercare.schemas import ContactSchema, OutcomeSchema
from prog_tracker.certification.schemas import AssessmentSchema, QualificationSchema, SkillSchema
from prog_tracker.core.dates import facility_zone
from prog_tracker.core.models import isoformat_z
from prog_tracker.core.schemas import Timestamp
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.participants.schemas import ParticipantSchema, hide_custody_details
from prog_tracker.partners.referrals import referral_views
from prog_tracker.partners.schemas import ReferralSchema
from prog_tracker.release.followups import window_of
from prog_tracker.release.models import ReleaseEpisode
from prog_tracker.release.schemas import FollowUpSchema, PlanItemSchema, follow_up_days
from prog_tracker.sync.scope import MODELS
from prog_tracker.workshops.schemas import (
    AttendanceSchema,
    CohortSchema,
    EnrolmentSchema,
    SessionSchema,
)
from prog_tracker.workshops.services import with_counts

SCHEMAS = {
    "skill": SkillSchema(),
    "qualification": QualificationSchema(),
    "cohort": CohortSchema(),
    "participant": ParticipantSchema(),
    "session": SessionSchema(),
    "enrolment": EnrolmentSchema(),
    "attendance": AttendanceSchema(),
    "assessment": AssessmentSchema(),
    "referral": ReferralSchema(),
    "release_plan_item": PlanItemSchema(),
    "follow_up": FollowUpSchema(),
    "contact": ContactSchema(),
    "outcome": OutcomeSchema(),
}
# Shown beside a follow-up's columns, computed for the day of the pull or read with it.
FOLLOW_UP_EXTRA = (
    "window_opens_on",
    "window_closes_on",
    "status",
    "met_by_contact_id",
    "released_on",
    "returned_on",
    "timezone",
)
# Read beside a follow-up row's columns: what its status is judged by (follow_up_days).
FOLLOW_UP_JOINED = (ReleaseEpisode.released_on, ReleaseEpisode.returned_on, Facility.timezone)
# Ids per IN (…) list: far below what either database accepts.
ID_BATCH = 500


def _converter(field):
    """How a plain column value becomes the schema's JSON value (None: as it is);
    False when the field is not a plain column format."""
    if field.attribute or field.data_key:
        return False
    if isinstance(field, Timestamp):
        return isoformat_z
    if isinstance(field, fields.DateTime):
        return False
    if isinstance(field, fields.Date):
        return dt.date.isoformat
    if isinstance(field, fields.List) and isinstance(field.inner, fields.String):
        return list
    if isinstance(field, fields.Dict):  # names per language (a JSON column)
        return dict
    if isinstance(field, fields.String | fields.Integer | fields.Boolean):
        return None
    return False


def fast_fields(entity: str) -> tuple | None:
    """((name, converter), …) when the entity's schema shows plain columns only."""
    table = MODELS[entity].__table__
    found = []
    for name, field in SCHEMAS[entity].fields.items():
        if entity == "follow_up" and name in FOLLOW_UP_EXTRA:
            continue
        convert = _converter(field)
        if convert is False or name not in table.c:
            return None
        found.append((name, convert))
    return tuple(found)


FAST = {entity: fast_fields(entity) for entity in SCHEMAS}


def load(entity: str, ids) -> list:
    """The entity's records with these ids (those that still exist), in batches:
    plain rows for the fast entities, ORM objects for the others."""
    model = MODELS[entity]
    shown = FAST[entity]
    ids = list(ids)
    found: list = []
    for start in range(0, len(ids), ID_BATCH):
        batch = ids[start : start + ID_BATCH]
        if shown is None:
            found.extend(db.session.scalars(select(model).where(model.id.in_(batch))))
        else:
            found.extend(
                db.session.execute(_plain_select(entity, shown).where(model.id.in_(batch)))
            )
    return found


def _plain_select(entity: str, shown: tuple):
    """The SELECT of an entity's shown columns (a follow-up's with FOLLOW_UP_JOINED)."""
    model = MODELS[entity]
    query = select(*(model.__table__.c[name] for name, _ in shown))
    if entity != "follow_up":
        return query
    return (
        query.add_columns(*FOLLOW_UP_JOINED)
        .join(ReleaseEpisode, model.episode_id == ReleaseEpisode.id)
        .join(Participant, model.participant_id == Participant.id)
        .outerjoin(Facility, Participant.facility_id == Facility.id)
    )


def represent(user, entity: str, records: list, statuses: dict | None = None) -> list[dict]:
    """The records as the API shows them to user (statuses: for follow-ups, from scope)."""
    shown = FAST[entity]
    if shown is not None and records and not isinstance(records[0], MODELS[entity]):
        return [_row(user, entity, shown, row, statuses) for row in records]
    schema = SCHEMAS[entity]
    if entity == "cohort":
        return [schema.dump(with_counts(cohort)) for cohort in records]
    if entity == "referral":
        return [schema.dump(view) for view in referral_views(user, records)]
    if entity == "follow_up":
        return [schema.dump(_follow_up(row, (statuses or {}).get(row.id))) for row in records]
    if entity == "participant":
        return [hide_custody_details(schema.dump(person), user) for person in records]
    return [schema.dump(record) for record in records]


def represent_one(user, entity: str, record) -> dict:
    """One record (an ORM object) as the API shows it to user."""
    return represent(user, entity, [record])[0]


def _row(user, entity: str, shown: tuple, row, statuses: dict | None) -> dict:
    """A plain row as the schema would dump it."""
    data = {
        name: convert(value) if convert is not None and value is not None else value
        for (name, convert), value in zip(shown, row[: len(shown)], strict=True)
    }
    if entity == "participant":
        return hide_custody_details(data, user)
    if entity == "follow_up":
        return _follow_up_extra(data, row, (statuses or {}).get(row.id))
    return data


def _follow_up_extra(data: dict, row, status: tuple | None) -> dict:
    """A follow-up row's window and status today, as GET …/follow-ups shows them."""
    opens, closes = window_of(row)
    _version, state, met_by, _basis = status or (row.version, None, None, None)
    data.update(
        window_opens_on=opens.isoformat(),
        window_closes_on=closes.isoformat(),
        status=state,
        met_by_contact_id=met_by,
        released_on=row.released_on.isoformat(),
        returned_on=row.returned_on.isoformat() if row.returned_on else None,
        timezone=facility_zone(row).key,
    )
    return data


def _follow_up(follow_up, status: tuple | None) -> dict:
    """A follow-up's fields, window and status today (for the schema)."""
    opens, closes = window_of(follow_up)
    _version, state, met_by, _basis = status or (follow_up.version, None, None, None)
    return {
        **{column.key: getattr(follow_up, column.key) for column in follow_up.__table__.columns},
        "window_opens_on": opens,
        "window_closes_on": closes,
        "status": state,
        "met_by_contact_id": met_by,
        **follow_up_days(follow_up),
    }
