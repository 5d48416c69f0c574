"""Bearer API tokens for integrations."""

from sqlalchemy import select

from prog_tracker.auth.models import ApiToken
from prog_tracker.extensions import db


def test_tokens_work_without_csrf_are_stored_hashed_and_can_be_revoked(app, api_as, make):
    officer = api_as("officer")
    created = officer.post("/auth/tokens", json={"name": "registry import"})
    assert created.status_code == 201
    token = created.get_json()["token"]
    row = db.session.scalar(select(ApiToken).where(ApiToken.id == created.get_json()["id"]))
    assert token not in (row.token_hash, row.name) and len(row.token_hash) == 64
    integration = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert integration.get("/api/v1/participants", headers=headers).status_code == 200
    listed = officer.get("/auth/tokens").get_json()
    assert [t["id"] for t in listed] == [row.id] and "token" not in listed[0]
    assert officer.delete(f"/auth/tokens/{row.id}").status_code == 204
    assert integration.get("/api/v1/participants", headers=headers).status_code == 401


def test_unknown_bearer_token_is_unauthenticated(client):
    response = client.get("/api/v1/participants", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_cannot_revoke_someone_elses_token(api_as):
    first, second = api_as("officer"), api_as("officer")
    token_id = first.post("/auth/tokens", json={"name": "mine"}).get_json()["id"]
    assert second.delete(f"/auth/tokens/{token_id}").status_code == 404
