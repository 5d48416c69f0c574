"""Bearer API tokens for integrations."""

from sqlalchemy import select

from prog_tracker.auth.models import ApiToken
from prog_tracker.extensions import db
from tests.conftest import signin
from tests.factories import PASSWORD


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
    listed = officer.get("/auth/tokens").get_json()["items"]
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


def _token_for(app, user):
    from prog_tracker.auth.services import create_api_token

    return create_api_token(user, "integration")[1]


def _works(app, token):
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().get("/api/v1/participants", headers=headers).status_code == 200


def test_password_reset_mfa_reset_deactivation_and_scope_change_revoke_tokens(app, api_as, make):
    admin = api_as("admin")
    cases = [
        (
            "reset-password",
            lambda u: admin.post(
                f"/users/{u.id}/reset-password", json={"password": "temporary-pass-123"}
            ),
        ),
        ("reset-mfa", lambda u: admin.post(f"/users/{u.id}/reset-mfa")),
        ("deactivate", lambda u: admin.patch(f"/users/{u.id}", json={"active": False})),
        ("move", lambda u: admin.patch(f"/users/{u.id}", json={"facility_id": make.facility().id})),
    ]
    for name, action in cases:
        user = make.user("officer", mfa=True)
        token = _token_for(app, user)
        assert _works(app, token), name
        assert action(user).status_code == 200, name
        assert not _works(app, token), name


def test_changing_ones_own_password_revokes_ones_tokens(app, make):
    user = make.user("officer")
    token = _token_for(app, user)
    client = app.test_client()
    csrf = signin(client, user)
    change = client.post(
        "/api/v1/auth/password",
        headers={"X-CSRF-Token": csrf},
        json={"current_password": PASSWORD, "new_password": "another long password"},
    )
    assert change.status_code == 204
    assert not _works(app, token)
    assert client.get("/api/v1/auth/me").status_code == 200  # this session survives


def test_tokens_do_not_work_while_a_password_change_or_mfa_setup_is_owed(app, make):
    owes_password = make.user("officer", must_change_password=True)
    assert not _works(app, _token_for(app, owes_password))
    no_mfa_admin = make.user("admin", mfa=False)
    assert not _works(app, _token_for(app, no_mfa_admin))
    assert _works(app, _token_for(app, make.user("admin")))
