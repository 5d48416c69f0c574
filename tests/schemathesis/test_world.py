"""The schemathesis world holds what the runs rely on, and the scope check can fail."""

from types import SimpleNamespace

import pytest

from tests.schemathesis.test_openapi import auth_headers, out_of_scope_check
from tests.schemathesis.world import ROLES

pytestmark = [pytest.mark.schemathesis, pytest.mark.own_database]

# Who each role must not see (world.py's module docstring).
OUTSIDE = {
    "anon": {
        "enrolled_a",
        "custody_a",
        "client",
        "former_client",
        "pending_a",
        "enrolled_b",
        "enrolled_c",
        "client_tn",
    },
    "admin": set(),
    "supervisor": {"enrolled_c", "client_tn"},
    "officer": {"enrolled_b", "enrolled_c", "client_tn"},
    "instructor": {
        "custody_a",
        "client",
        "former_client",
        "pending_a",
        "enrolled_b",
        "enrolled_c",
        "client_tn",
    },
    "caseworker": {
        "enrolled_a",
        "custody_a",
        "former_client",
        "pending_a",
        "enrolled_b",
        "enrolled_c",
        "client_tn",
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_people_in_and_out_of_scope_as_designed(st_world, role):
    people = st_world.people
    hidden = st_world.hidden[role]
    assert {name for name, person in people.items() if person.id in hidden} == OUTSIDE[role]
    for name in OUTSIDE[role]:
        assert people[name].family_name in hidden
    # Records about hidden people are hidden too (contacts, enrolments, consents…).
    assert len(hidden) > 3 * len(OUTSIDE[role]) or role == "admin"


def _case(path: str, body=None):
    return SimpleNamespace(formatted_path=path, query={}, body=body)


def _response(text: str):
    return SimpleNamespace(content=text.encode())


def test_the_scope_check_fails_on_a_hidden_id_or_name(st_world):
    check = out_of_scope_check("officer", st_world)
    outsider = st_world.people["enrolled_b"]
    with pytest.raises(AssertionError, match="outside its scope"):
        check(None, _response(f'{{"items": [{{"id": "{outsider.id}"}}]}}'), _case("/api/v1/x"))
    with pytest.raises(AssertionError, match="outside its scope"):
        check(None, _response(f'"{outsider.family_name}"'), _case("/api/v1/x"))


def test_the_scope_check_passes_echoes_allowed_routes_and_own_people(st_world):
    people = st_world.people
    officer = out_of_scope_check("officer", st_world)
    officer(None, _response(f'"{people["client"].id}"'), _case("/api/v1/x"))
    outsider = people["enrolled_b"].id
    # An id the request itself sent (a sync result echoes the mutation's id).
    officer(None, _response(f'"{outsider}"'), _case("/api/v1/sync/push", {"id": outsider}))
    # Instructors meet the people of their prison on the enrolment candidates route.
    instructor = out_of_scope_check("instructor", st_world)
    candidate = people["custody_a"]
    path = "/api/v1/cohorts/x/candidates"
    instructor(None, _response(f'"{candidate.id} {candidate.family_name}"'), _case(path))
    with pytest.raises(AssertionError):
        instructor(None, _response(f'"{candidate.id}"'), _case("/api/v1/participants"))


def test_admins_and_supervisors_give_a_reason_and_anonymous_sends_nothing(st_world):
    assert auth_headers("anon", st_world) == {}
    for role in ("admin", "supervisor"):
        assert auth_headers(role, st_world)["X-Access-Reason"] == "case_review"
    assert "X-Access-Reason" not in auth_headers("officer", st_world)
