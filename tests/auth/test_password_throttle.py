"""Guessing the current password on the password change is as slow as at sign-in (finding 7)."""

from tests.conftest import signin
from tests.factories import PASSWORD

WRONG = {"current_password": "not my password", "new_password": "a brand new long password"}
RIGHT = {"current_password": PASSWORD, "new_password": "a brand new long password"}


def _change(client, csrf, body):
    return client.post("/api/v1/auth/password", json=body, headers={"X-CSRF-Token": csrf})


def test_wrong_current_passwords_are_throttled_per_account_and_address(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS", "2 per 10 minutes")
    client = app.test_client()
    csrf = signin(client, make.user("officer"))
    assert [_change(client, csrf, WRONG).status_code for _ in range(2)] == [422, 422]
    blocked = _change(client, csrf, RIGHT)  # even the right one waits now
    assert blocked.status_code == 429
    assert blocked.get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(blocked.headers["Retry-After"]) <= 600


def test_a_bearer_token_meets_the_per_account_limit(app, make, monkeypatch):
    from prog_tracker.auth.services import create_api_token

    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per 10 minutes")
    _row, raw = create_api_token(make.user("admin"), "ops")  # an admin's: full scope
    headers = {"Authorization": f"Bearer {raw}"}

    def change(body):
        return app.test_client().post("/api/v1/auth/password", json=body, headers=headers)

    assert [change(WRONG).status_code for _ in range(2)] == [422, 422]
    assert change(RIGHT).status_code == 429


def test_sign_in_and_password_change_share_the_buckets(app, make, monkeypatch):
    user = make.user("officer")
    client = app.test_client()
    csrf = signin(client, user)
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS", "2 per 10 minutes")
    failed = {"username": user.username, "password": "not my password"}
    assert app.test_client().post("/api/v1/auth/login", json=failed).status_code == 401
    assert _change(client, csrf, WRONG).status_code == 422
    assert _change(client, csrf, WRONG).status_code == 429


def test_only_wrong_current_passwords_count(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS", "1 per 10 minutes")
    client = app.test_client()
    csrf = signin(client, make.user("officer"))
    weak = {"current_password": PASSWORD, "new_password": "short"}
    assert [_change(client, csrf, weak).status_code for _ in range(3)] == [422, 422, 422]
    assert _change(client, csrf, RIGHT).status_code == 204


def test_the_form_shows_the_throttle_as_its_error(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS", "2 per 10 minutes")
    client = app.test_client()
    csrf = signin(client, make.user("officer"))
    form = {**WRONG, "repeat_password": WRONG["new_password"], "csrf_token": csrf}
    assert [client.post("/settings/password", data=form).status_code for _ in range(2)] == [422] * 2
    blocked = client.post("/settings/password", data=form)
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    page = blocked.get_data(as_text=True)
    assert 'id="f-current_password"' in page and "Too many attempts; try again later." in page
