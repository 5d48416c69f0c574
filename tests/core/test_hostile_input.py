"""Crafted input on every entry point gets a 4xx, never a 5xx (review findings)."""

import base64

import pytest

from prog_tracker.extensions import db
from tests.factories import PASSWORD


@pytest.fixture
def officer(make, api_as):
    """An officer's API client and one participant of their facility."""
    facility = make.facility(country="KZ")
    person = make.participant(facility=facility)
    return api_as("officer", facility=facility), person


def _cursor(payload: str) -> str:
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "payload", ['{"o": Infinity}', '{"o": 1e400}', '{"o": NaN}', '{"o": "5"}', '{"o": true}']
)
def test_cursors_holding_non_integers_are_refused(officer, payload):
    api, _ = officer
    response = api.get(f"/participants?cursor={_cursor(payload)}")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"cursor": ["Not a valid cursor."]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/auth/tokens/%00",
        "/api/v1/participants/%00",
        "/api/v1/users/abc%00def",
        "/api/v1/facilities/%ED%A0%80",
    ],
)
def test_nul_and_broken_unicode_in_api_paths_answer_404(api_as, path):
    admin = api_as("admin")
    method = "delete" if "tokens" in path else "get"
    response = getattr(admin.client, method)(path, headers={"X-CSRF-Token": admin.csrf})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def _page_client(app, user, signin):
    client = app.test_client()
    signin(client, user)
    return client


def test_nul_in_html_paths_queries_and_forms_is_a_4xx(app, make, signin):
    officer = make.user("officer")
    client = _page_client(app, officer, signin)
    assert client.get("/participants/%00").status_code == 404
    assert client.get("/participants?q=a%00b").status_code == 400
    anonymous = app.test_client()
    form = {"username": "someone\x00", "password": "x", "csrf_token": "x"}
    assert anonymous.post("/login", data=form).status_code == 400


def test_api_query_with_nul_is_a_422(officer):
    api, _ = officer
    response = api.get("/participants?q=a%00b")
    assert response.status_code == 422 and "q" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    "target", ["/%0d%0aSet-Cookie:%20x=1", "/%09/evil.example", "/\\evil.example", "//evil.example"]
)
def test_sign_in_never_redirects_off_site_or_with_control_characters(client, make, target):
    from urllib.parse import unquote

    user = make.user("officer")
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={
            "username": user.username,
            "password": PASSWORD,
            "csrf_token": token,
            "next": unquote(target),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "00000000-0000-4000-8000-000000000000\n"),
        ("prison_number", "   "),
        ("prison_number", "A\n1"),
        ("given_name", "   "),
        ("family_name", ""),
    ],
)
def test_whole_value_patterns_and_blank_names_are_refused(officer, field, value):
    api, _ = officer
    body = {"prison_number": "P-9", "given_name": "Dana", "family_name": "Ospanova"}
    response = api.post("/participants", json={**body, field: value})
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["error"]["fields"]) == [field]


def test_blank_display_name_is_refused_on_patch_and_blank_other_names_clears(api_as, officer, make):
    admin = api_as("admin")
    user = make.user("officer")
    response = admin.patch(f"/users/{user.id}", json={"display_name": "  "})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"display_name": ["Must not be empty."]}
    api, person = officer
    person.other_names = "Bekovna"
    db.session.commit()
    cleared = api.patch(f"/participants/{person.id}", json={"other_names": " "})
    assert cleared.status_code == 200 and cleared.get_json()["other_names"] is None


def test_field_errors_are_always_lists_of_strings(officer):
    api, _ = officer
    bodies = [
        {"prison_number": "P-1", "given_name": "a\x00", "family_name": "b"},
        {"prison_number": "P-1", "given_name": "Ana", "family_name": "B", "sex": "x"},
        {
            "prison_number": "P-1",
            "given_name": "Ana",
            "family_name": "B",
            "date_of_birth": "2999-01-01",
        },
        {"nonsense": 1},
    ]
    for body in bodies:
        fields = api.post("/participants", json=body).get_json()["error"]["fields"]
        for messages in fields.values():
            assert isinstance(messages, list) and all(isinstance(m, str) for m in messages), fields


def test_an_existing_id_out_of_scope_is_a_conflict_that_shows_nothing(officer, make):
    api, mine = officer
    theirs = make.participant(facility=make.facility())
    body = {"prison_number": "P-77", "given_name": "Ana", "family_name": "B"}
    hidden = api.post("/participants", json={**body, "id": theirs.id})
    assert hidden.status_code == 409 and "current" not in hidden.get_json()
    shown = api.post("/participants", json={**body, "id": mine.id})
    assert shown.status_code == 409 and shown.get_json()["current"]["id"] == mine.id


def test_token_list_is_a_page(api_as):
    api = api_as("officer")
    api.post("/auth/tokens", json={"name": "one"})
    body = api.get("/auth/tokens?limit=1").get_json()
    assert set(body) == {"items", "next_cursor"} and len(body["items"]) == 1


def test_reading_a_facility_out_of_scope_is_audited(api_as, make):
    from sqlalchemy import select

    from prog_tracker.core.audit import AuditEvent

    other = make.facility()
    api = api_as("officer")
    assert api.get(f"/facilities/{other.id}").status_code == 404
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.entity, event.outcome, event.entity_ids) == ("facility", "denied", [other.id])
