"""A field world for the sync tests: a caseworker's clients and an instructor's cohort."""

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest

from prog_tracker.core.dates import today_at


def new_id() -> str:
    """A client-chosen UUID."""
    return str(uuid.uuid4())


def moment(**delta) -> str:
    """A UTC moment relative to now, ISO 8601 with Z."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(**delta)).isoformat().replace("+00:00", "Z")


@dataclass
class Field:
    """What the sync tests act on (all in facility A, Almaty time)."""

    facility: object
    ngo: object
    caseworker: object
    colleague: object
    instructor: object
    officer: object
    admin: object
    cohort: object
    session: object
    learners: list
    clients: list
    today: object


@pytest.fixture
def field(make):
    """Two released clients of NGO A's caseworker; a cohort of two learners taught today."""
    facility = make.facility(country="KZ", timezone="Asia/Almaty")
    ngo = make.organisation(name="Jol NGO")
    caseworker = make.user("caseworker", organisation=ngo)
    instructor = make.user("instructor", facility=facility)
    today = today_at(facility)
    cohort = make.cohort(facility, instructors=[instructor], capacity=5)
    learners = [make.participant(facility=facility) for _ in range(2)]
    for person in learners:
        make.enrolment(cohort, person)
    clients = [
        make.client_of(caseworker, facility=facility, released_on=today - dt.timedelta(days=20))
        for _ in range(2)
    ]
    return Field(
        facility=facility,
        ngo=ngo,
        caseworker=caseworker,
        colleague=make.user("caseworker", organisation=ngo),
        instructor=instructor,
        officer=make.user("officer", facility=facility),
        admin=make.user("admin"),
        cohort=cohort,
        session=make.session(cohort, date=today),
        learners=learners,
        clients=clients,
        today=today,
    )


def contact_create(person, record_id=None, mutation_id=None, **data) -> dict:
    """A mutation recording a visit to person two hours ago."""
    body = {"participant_id": person.id, "occurred_at": moment(hours=-2), "mode": "visit"}
    return {
        "mutation_id": mutation_id or new_id(),
        "entity": "contact",
        "op": "create",
        "id": record_id or new_id(),
        "data": {**body, **data},
    }


def attendance_create(session, person, status="present", record_id=None, **data) -> dict:
    """A mutation recording person's attendance at session, taken a minute ago."""
    body = {
        "session_id": session.id,
        "participant_id": person.id,
        "status": status,
        "recorded_at": moment(minutes=-1),
    }
    return {
        "mutation_id": new_id(),
        "entity": "attendance",
        "op": "create",
        "id": record_id or new_id(),
        "data": {**body, **data},
    }


def update(entity, record_id, base_version, **data) -> dict:
    """A mutation changing fields of a record the device loaded at base_version."""
    return {
        "mutation_id": new_id(),
        "entity": entity,
        "op": "update",
        "id": record_id,
        "base_version": base_version,
        "data": data,
    }


def push(api, mutations, device_id="tablet-1"):
    """POST /sync/push; returns the response."""
    return api.post("/sync/push", json={"device_id": device_id, "mutations": mutations})


def results(api, mutations, device_id="tablet-1") -> list[dict]:
    """The results of a push that must answer 200."""
    response = push(api, mutations, device_id)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def statuses(found: list[dict]) -> list[str]:
    """The status of each result."""
    return [result["status"] for result in found]


def pull(api, cursor=None, **params):
    """GET /sync/pull; returns the response."""
    query = {**params, **({"cursor": cursor} if cursor else {})}
    return api.get("/sync/pull", query_string=query)


def pull_all(api, cursor=None, **params) -> tuple[str, list, list, int]:
    """Pull until has_more is false: (cursor, changes, removed, pages)."""
    changes, removed, pages = [], [], 0
    while True:
        response = pull(api, cursor, **params)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        changes += body["changes"]
        removed += body["removed"]
        cursor, pages = body["cursor"], pages + 1
        if not body["has_more"]:
            return cursor, changes, removed, pages


def by_entity(entries: list) -> dict:
    """{entity: {id, …}} of change or removal entries."""
    found: dict = {}
    for entry in entries:
        found.setdefault(entry["entity"], set()).add(entry["id"])
    return found
