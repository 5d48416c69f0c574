"""API tokens end, and do only what their scope allows (issue 18)."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from prog_tracker.auth.models import ApiToken
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db


def _bearer(app, raw, method, path, **kwargs):
    """One call to /api/v1 + path with a bearer token and nothing else."""
    headers = {"Authorization": f"Bearer {raw}", **kwargs.pop("headers", {})}
    return app.test_client().open("/api/v1" + path, method=method, headers=headers, **kwargs)


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_new_token_is_read_only_for_90_days_unless_asked_otherwise(api_as):
    officer = api_as("officer")
    body = officer.post("/auth/tokens", json={"name": "reports"}).get_json()
    assert body["scope"] == "read" and body["expired"] is False
    lifetime = _moment(body["expires_at"]) - _moment(body["created_at"])
    assert lifetime == dt.timedelta(days=90)
    asked = officer.post(
        "/auth/tokens", json={"name": "device", "scope": "sync", "expires_in_days": 365}
    )
    assert asked.status_code == 201 and asked.get_json()["scope"] == "sync"
    listed = {t["name"]: t for t in officer.get("/auth/tokens").get_json()["items"]}
    assert listed["device"]["scope"] == "sync"
    assert listed["device"]["expires_at"] == asked.get_json()["expires_at"]
    assert "token" not in listed["device"]


@pytest.mark.parametrize("days", [366, 0, -5, "30", 1.5, None])
def test_a_lifetime_over_a_year_or_not_a_whole_number_of_days_is_refused(api_as, days):
    response = api_as("admin").post("/auth/tokens", json={"name": "x", "expires_in_days": days})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and "expires_in_days" in error["fields"]


def test_an_unknown_scope_is_refused(api_as):
    response = api_as("admin").post("/auth/tokens", json={"name": "x", "scope": "admin"})
    assert response.status_code == 422 and "scope" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 201),
        ("supervisor", 201),
        ("officer", 403),
        ("instructor", 403),
        ("caseworker", 403),
    ],
)
def test_only_admins_and_supervisors_may_create_full_tokens(api_as, role, status):
    response = api_as(role).post("/auth/tokens", json={"name": "all", "scope": "full"})
    assert response.status_code == status
    if status == 403:
        assert response.get_json()["error"]["code"] == "forbidden"
    else:
        assert response.get_json()["scope"] == "full"


def test_an_expired_token_authenticates_nothing(app, api_as):
    raw = api_as("admin").post("/auth/tokens", json={"name": "old"}).get_json()["token"]
    assert _bearer(app, raw, "GET", "/auth/me").status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.name == "old"))
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    expired = _bearer(app, raw, "GET", "/auth/me")
    unknown = _bearer(app, "ptk_" + "x" * 43, "GET", "/auth/me")
    assert expired.status_code == unknown.status_code == 401
    assert expired.get_json() == unknown.get_json()
    assert expired.get_json()["error"]["code"] == "unauthenticated"


def test_a_read_token_may_only_read_and_the_refusal_names_its_scope(app, api_as, make):
    officer = api_as("officer")
    raw = officer.post("/auth/tokens", json={"name": "reader"}).get_json()["token"]
    assert _bearer(app, raw, "GET", "/participants").status_code == 200
    assert _bearer(app, raw, "HEAD", "/participants").status_code == 200
    body = {"prison_number": "R-1", "given_name": "Dana", "family_name": "Ermek"}
    refused = _bearer(app, raw, "POST", "/participants", json=body)
    assert refused.status_code == 403
    error = refused.get_json()["error"]
    assert error["code"] == "forbidden" and "read" in error["message"]
    assert _bearer(app, raw, "PATCH", "/auth/me", json={"locale": "fr"}).status_code == 403


def _contact(person) -> dict:
    return {
        "participant_id": person.id,
        "occurred_at": (utcnow() - dt.timedelta(hours=1)).isoformat(),
        "mode": "phone",
    }


def test_a_sync_token_pushes_and_subscribes_but_writes_nothing_else(app, api_as, make):
    caseworker = make.user("caseworker")
    person = make.client_of(caseworker)
    own = api_as(caseworker)
    raw = own.post("/auth/tokens", json={"name": "phone", "scope": "sync"}).get_json()["token"]
    mutation = {"mutation_id": str(uuid.uuid4()), "entity": "contact", "op": "create"}
    push = {
        "device_id": "d1",
        "mutations": [{**mutation, "id": str(uuid.uuid4()), "data": _contact(person)}],
    }
    pushed = _bearer(app, raw, "POST", "/sync/push", json=push)
    # Let in: what becomes of the mutation itself is the sync tests' business.
    assert pushed.status_code == 200 and len(pushed.get_json()["results"]) == 1
    assert _bearer(app, raw, "GET", "/sync/pull").status_code == 200
    gone = {"endpoint": "http://127.0.0.1:9/push/none"}
    assert _bearer(app, raw, "DELETE", "/push/subscriptions", json=gone).status_code == 204
    refused = _bearer(app, raw, "POST", "/contacts", json=_contact(person))
    assert refused.status_code == 403 and "sync" in refused.get_json()["error"]["message"]


def test_a_full_token_acts_as_its_user(app, api_as):
    raw = api_as("admin").post("/auth/tokens", json={"name": "a", "scope": "full"}).get_json()
    facility = {"name": "Colony 7", "country": "KZ", "public_name": "Skills Centre"}
    headers = {"X-Access-Reason": "case_review"}
    created = _bearer(app, raw["token"], "POST", "/facilities", json=facility, headers=headers)
    assert created.status_code == 201


def test_a_full_token_ends_when_its_owner_changes_their_password(app, api_as, make):
    from tests.factories import PASSWORD

    user = make.user("supervisor", country="KZ")
    raw = api_as(user).post("/auth/tokens", json={"name": "s", "scope": "full"}).get_json()["token"]
    change = {"current_password": PASSWORD, "new_password": "another long password"}
    assert _bearer(app, raw, "POST", "/auth/password", json=change).status_code == 204
    assert _bearer(app, raw, "GET", "/auth/me").status_code == 401


def test_a_token_cannot_make_tokens_whatever_its_scope(app, api_as):
    raw = api_as("admin").post("/auth/tokens", json={"name": "a", "scope": "full"}).get_json()
    made = _bearer(app, raw["token"], "POST", "/auth/tokens", json={"name": "b"})
    assert made.status_code == 403


def test_the_openapi_document_shows_scope_and_lifetime(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    create = schemas["TokenCreate"]["properties"]
    assert create["scope"]["enum"] == ["read", "sync", "full"]
    assert create["scope"]["default"] == "read"
    assert create["expires_in_days"]["maximum"] == 365
    assert create["expires_in_days"]["default"] == 90
    assert {"scope", "expires_at", "expired"} <= set(schemas["TokenInfo"]["properties"])


@pytest.mark.parametrize("scope", ["read", "sync", "full"])
def test_a_token_opens_no_page_and_never_sets_up_the_second_factor(app, make, scope):
    from prog_tracker.auth.sessions import new_api_token

    officer = make.user("officer")
    _row, raw = new_api_token(officer, "integration", scope, 90)
    db.session.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    # The set-up page would store a secret the token holder could read and plant.
    page = app.test_client().get("/settings/mfa", headers=headers)
    assert page.status_code == 403
    setup = _bearer(app, raw, "POST", "/auth/mfa/setup")
    assert setup.status_code == 403
    db.session.refresh(officer)
    assert officer.totp_secret is None
    # The JSON API itself still answers within the scope.
    assert _bearer(app, raw, "GET", "/auth/me").status_code == 200
