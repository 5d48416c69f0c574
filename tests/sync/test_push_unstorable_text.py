"""Unstorable text inside one mutation rejects that mutation only (found by fuzzing).

Before, a NUL or a lone surrogate anywhere in a push made the whole request a
422: the field app sent the same outbox again and again, and every other
change in it waited forever behind the one it could not send.
"""

import pytest
from sqlalchemy import func, select

from prog_tracker.aftercare.models import Contact
from prog_tracker.extensions import db
from prog_tracker.sync.models import SyncMutation
from tests.sync.conftest import contact_create, push, results


def _contacts() -> int:
    return db.session.scalar(select(func.count()).select_from(Contact))


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"summary": "left\x00right"}, {"data": {"summary": ["NUL characters are not allowed."]}}),
        ({"location": "\ud83d"}, {"data": {"location": ["Text must be valid Unicode."]}}),
        ({"needs": ["work", "\x00"]}, {"data": {"needs": ["NUL characters are not allowed."]}}),
        ({"\x00": 1}, {"data": {"_schema": ["NUL characters are not allowed."]}}),
    ],
)
def test_a_mutation_with_unstorable_text_is_rejected_and_the_others_apply(
    api_as, field, data, fields
):
    api = api_as(field.caseworker)
    bad = contact_create(field.clients[0], **data)
    good = contact_create(field.clients[1])
    before = _contacts()
    found = results(api, [bad, good])
    assert [r["status"] for r in found] == ["rejected", "applied"]
    assert found[0]["mutation_id"] == bad["mutation_id"]
    assert found[0]["errors"] == {
        "code": "validation_error",
        "message": "Some fields are not valid.",
        "fields": fields,
    }
    assert _contacts() == before + 1
    assert db.session.get(SyncMutation, bad["mutation_id"]) is None


def test_an_unstorable_mutation_id_is_not_echoed(api_as, field):
    mutation = contact_create(field.clients[0], mutation_id="\ud800")
    [result] = results(api_as(field.caseworker), [mutation])
    assert result["status"] == "rejected" and result["mutation_id"] is None
    assert result["errors"]["fields"] == {"mutation_id": ["Text must be valid Unicode."]}


def test_unstorable_text_outside_the_mutations_still_refuses_the_push(api_as, field):
    api = api_as(field.caseworker)
    response = push(api, [contact_create(field.clients[0])], device_id="tablet\x00")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "device_id": ["NUL characters are not allowed."]
    }


def test_other_routes_still_refuse_unstorable_text_deep_in_the_body(api_as, field):
    api = api_as(field.caseworker)
    body = {"participant_id": field.clients[0].id, "needs": ["\x00"], "mode": "visit"}
    response = api.post("/contacts", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"needs": ["NUL characters are not allowed."]}
