"""Two-step sign-in with TOTP for the roles that need it."""

import pyotp
from sqlalchemy import select

from prog_tracker.auth.models import AuthSession
from prog_tracker.extensions import db
from tests.factories import PASSWORD


def _login(client, user, **extra):
    return client.post(
        "/api/v1/auth/login", json={"username": user.username, "password": PASSWORD, **extra}
    )


def test_mfa_user_without_code_gets_mfa_required_and_no_session(client, make):
    admin = make.user("admin")
    response = _login(client, admin)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "mfa_required"
    assert client.get_cookie("pt_session") is None
    assert db.session.scalar(select(AuthSession).where(AuthSession.user_id == admin.id)) is None


def test_wrong_code_is_refused(client, make):
    admin = make.user("admin")
    response = _login(client, admin, totp="000000")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "mfa_required"


def test_a_totp_code_is_accepted_once_only(app, make):
    admin = make.user("admin")
    code = pyotp.TOTP(admin.totp_secret).now()
    assert _login(app.test_client(), admin, totp=code).status_code == 200
    replay = _login(app.test_client(), admin, totp=code)
    assert replay.status_code == 401
    assert replay.get_json()["error"]["code"] == "mfa_required"


def test_new_mfa_user_gets_a_session_limited_to_setup(client, make):
    admin = make.user("admin", mfa=False)
    response = _login(client, admin)
    assert response.status_code == 200
    body = response.get_json()
    assert body["mfa_setup_required"] is True
    csrf = body["csrf_token"]
    blocked = client.get("/api/v1/participants")
    assert blocked.status_code == 403
    assert blocked.get_json()["error"]["code"] == "mfa_setup_required"
    assert client.get("/api/v1/auth/me").status_code == 200
    assert client.post("/api/v1/users", json={}, headers={"X-CSRF-Token": csrf}).status_code == 403


def test_confirming_mfa_completes_and_rotates_the_session(app, client, make):
    admin = make.user("admin", mfa=False)
    csrf = _login(client, admin).get_json()["csrf_token"]
    before = client.get_cookie("pt_session").value
    setup = client.post("/api/v1/auth/mfa/setup", headers={"X-CSRF-Token": csrf})
    assert setup.status_code == 200
    secret = setup.get_json()["secret"]
    assert setup.get_json()["otpauth_uri"].startswith("otpauth://totp/")
    wrong = client.post(
        "/api/v1/auth/mfa/confirm", json={"code": "123456"}, headers={"X-CSRF-Token": csrf}
    )
    assert wrong.status_code == 422
    confirm = client.post(
        "/api/v1/auth/mfa/confirm",
        json={"code": pyotp.TOTP(secret).now()},
        headers={"X-CSRF-Token": csrf},
    )
    assert confirm.status_code == 204
    assert client.get_cookie("pt_session").value != before
    assert client.get("/api/v1/participants").status_code == 200
    old = app.test_client()
    old.set_cookie("pt_session", before)
    assert old.get("/api/v1/auth/me").status_code == 401


def test_mfa_roles_come_from_configuration(app, client, make):
    app.config["MFA_ROLE_SET"] = {"officer"}
    try:
        officer = make.user("officer")
        assert _login(client, officer).get_json()["mfa_setup_required"] is True
        admin = make.user("admin", mfa=False)
        assert _login(app.test_client(), admin).get_json()["mfa_setup_required"] is False
    finally:
        app.config["MFA_ROLE_SET"] = {"admin", "supervisor"}


def test_admin_can_reset_mfa_and_password(app, api_as, make):
    supervisor = make.user("supervisor")
    admin = api_as("admin")
    assert admin.post(f"/users/{supervisor.id}/reset-mfa").status_code == 200
    client = app.test_client()
    body = _login(client, supervisor).get_json()
    assert body["mfa_setup_required"] is True
    reset = admin.post(
        f"/users/{make.user('officer', username='reset.me').id}/reset-password",
        json={"password": "temporary-pass-123"},
    )
    assert reset.status_code == 200 and reset.get_json()["must_change_password"] is True
    officer_client = app.test_client()
    login = officer_client.post(
        "/api/v1/auth/login", json={"username": "reset.me", "password": "temporary-pass-123"}
    )
    csrf = login.get_json()["csrf_token"]
    assert login.get_json()["password_change_required"] is True
    blocked = officer_client.get("/api/v1/participants")
    assert blocked.get_json()["error"]["code"] == "password_change_required"
    change = officer_client.post(
        "/api/v1/auth/password",
        headers={"X-CSRF-Token": csrf},
        json={"current_password": "temporary-pass-123", "new_password": "my own long password"},
    )
    assert change.status_code == 204
    assert officer_client.get("/api/v1/participants").status_code == 200


def test_confirmed_mfa_is_asked_for_even_when_the_role_no_longer_needs_it(app, client, make):
    officer = make.user("officer", mfa=True)
    response = _login(client, officer)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "mfa_required"
    assert _login(client, officer, totp=pyotp.TOTP(officer.totp_secret).now()).status_code == 200
