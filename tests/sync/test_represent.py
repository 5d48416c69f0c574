"""The pulled representation is exactly what the domain's schema dumps."""

import pytest

from prog_tracker.extensions import db
from prog_tracker.participants.schemas import hide_custody_details
from prog_tracker.sync.represent import FAST, SCHEMAS, load, represent
from prog_tracker.sync.scope import MODELS
from tests.sync.conftest import attendance_create, results


def test_the_plain_column_entities_are_written_without_the_schema():
    assert {entity for entity, shown in FAST.items() if shown} == {
        "skill",
        "participant",
        "session",
        "enrolment",
        "attendance",
        "assessment",
        "release_plan_item",
        "follow_up",
        "contact",
        "outcome",
    }


@pytest.fixture
def records(api_as, make, field):
    """One record of every plain-column entity, with optional fields filled."""
    person = field.clients[0]
    skill = make.skill(field.cohort.trade)
    [mark] = results(
        api_as(field.instructor), [attendance_create(field.session, field.learners[0])]
    )
    episode_follow_up = db.session.scalars(
        db.select(MODELS["follow_up"]).where(MODELS["follow_up"].participant_id == person.id)
    ).first()
    return {
        "skill": skill,
        "participant": person,
        "session": field.session,
        "enrolment": db.session.scalars(db.select(MODELS["enrolment"])).first(),
        "attendance": db.session.get(MODELS["attendance"], mark["id"]),
        "assessment": make.assessment(field.cohort, field.learners[0], skill, field.instructor),
        "release_plan_item": make.plan_item(person, note="Call the landlord"),
        "follow_up": episode_follow_up,
        "contact": make.contact(person, field.caseworker, needs=["work", "id"], summary="Hi"),
        "outcome": make.outcome(person, field.caseworker, uses_trained_skill=True),
    }


@pytest.mark.parametrize("viewer", ["caseworker", "instructor"])
def test_plain_rows_dump_as_the_schema_does(records, field, viewer):
    user = getattr(field, viewer)
    for entity, record in records.items():
        status = {record.id: (record.version, "due", None, "@UTC")}
        [fast] = represent(user, entity, load(entity, [record.id]), status)
        if entity == "follow_up":
            [slow] = represent(user, entity, [record], status)
        else:
            slow = SCHEMAS[entity].dump(record)
            if entity == "participant":
                slow = hide_custody_details(slow, user)
        assert fast == slow, entity
