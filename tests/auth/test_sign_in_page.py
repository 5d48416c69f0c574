"""The sign-in page asks for the code only of accounts with two-step sign-in, on a second
step that holds the account for a few minutes and no password (issue 20)."""

from sqlalchemy import func, select

from prog_tracker.auth import pending
from prog_tracker.auth.models import AuthSession
from prog_tracker.extensions import db
from tests.conftest import totp_now
from tests.factories import PASSWORD


def _token(client) -> str:
    """The CSRF token of the sign-in form."""
    page = client.get("/login").get_data(as_text=True)
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def _password(client, user, password=PASSWORD, token=None):
    """Post the first step: username and password."""
    token = token or _token(client)
    form = {"username": user.username, "password": password, "csrf_token": token}
    return client.post("/login", data={**form, "next": "/participants"})


def _code(client, code: str, token: str):
    """Post the second step: the code alone."""
    form = {"step": "code", "totp": code, "csrf_token": token, "next": "/participants"}
    return client.post("/login", data=form)


def _sessions(user) -> int:
    """How many sign-in sessions the user has."""
    return db.session.scalar(
        select(func.count()).select_from(AuthSession).where(AuthSession.user_id == user.id)
    )


def _signed_in(client) -> bool:
    return client.get("/api/v1/auth/me").status_code == 200


def test_an_account_without_two_step_sign_in_never_sees_the_code_field(client, make):
    user = make.user("officer")
    page = client.get("/login").get_data(as_text=True)
    assert 'name="totp"' not in page and 'name="password"' in page
    response = _password(client, user)
    assert response.status_code == 302 and response.headers["Location"] == "/participants"
    assert _signed_in(client)


def test_a_two_step_account_gives_its_code_on_a_second_step(client, make):
    user = make.user("admin")
    assert user.mfa_enabled
    token = _token(client)
    step = _password(client, user, token=token)
    assert step.status_code == 200
    page = step.get_data(as_text=True)
    assert 'name="totp"' in page and 'name="password"' not in page
    assert PASSWORD not in page
    assert _sessions(user) == 0 and not _signed_in(client)

    wrong = _code(client, "000000" if totp_now(user) != "000000" else "111111", token)
    assert wrong.status_code == 401
    assert 'name="totp"' in wrong.get_data(as_text=True)
    assert _sessions(user) == 0

    done = _code(client, totp_now(user), token)
    assert done.status_code == 302 and done.headers["Location"] == "/participants"
    assert _signed_in(client) and _sessions(user) == 1
    with client.session_transaction() as state:
        assert pending.PENDING_KEY not in state


def test_a_wrong_password_never_reaches_the_code_step(client, make):
    user = make.user("admin")
    response = _password(client, user, password="wrong password!!")
    assert response.status_code == 401
    assert 'name="totp"' not in response.get_data(as_text=True)
    with client.session_transaction() as state:
        assert pending.PENDING_KEY not in state


def test_the_pending_state_holds_no_password_and_expires(client, make, monkeypatch):
    user = make.user("admin")
    token = _token(client)
    assert _password(client, user, token=token).status_code == 200
    with client.session_transaction() as state:
        held = state[pending.PENDING_KEY]
    assert set(held) == {"user", "until"} and held["user"] == user.id

    later = pending._now() + pending.PENDING_SECONDS + 1
    monkeypatch.setattr(pending, "_now", lambda: later)
    expired = _code(client, totp_now(user), token)
    assert expired.status_code == 302
    assert expired.headers["Location"].startswith("/login")
    assert not _signed_in(client) and _sessions(user) == 0
    with client.session_transaction() as state:
        assert pending.PENDING_KEY not in state
    page = client.get(expired.headers["Location"]).get_data(as_text=True)
    assert "Signing in took too long" in page


def test_a_code_without_a_password_first_signs_nobody_in(client, make):
    user = make.user("admin")
    response = _code(client, totp_now(user), _token(client))
    assert response.status_code == 302 and not _signed_in(client)


def test_wrong_codes_are_throttled_like_wrong_passwords(app, client, make, monkeypatch):
    user = make.user("admin")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per 10 minutes")
    token = _token(client)
    assert _password(client, user, token=token).status_code == 200
    wrong = "000000" if totp_now(user) != "000000" else "111111"
    assert _code(client, wrong, token).status_code == 401
    assert _code(client, wrong, token).status_code == 401
    assert _code(client, totp_now(user), token).status_code == 429
    # The same account's bucket: its password is refused for now too.
    assert _password(app.test_client(), user).status_code == 429


def test_a_username_sent_with_the_code_does_not_move_the_guesses(app, client, make, monkeypatch):
    user, decoy = make.user("admin"), make.user("admin")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per 10 minutes")
    token = _token(client)
    assert _password(client, user, token=token).status_code == 200
    wrong = "000000" if totp_now(user) != "000000" else "111111"
    form = {"step": "code", "totp": wrong, "csrf_token": token, "username": decoy.username}
    assert client.post("/login", data=form).status_code == 401
    assert client.post("/login", data=form).status_code == 401
    # The waiting account's bucket counted both: its right code is refused for now.
    assert _code(client, totp_now(user), token).status_code == 429


def test_the_json_api_still_signs_in_in_one_request(client, make):
    user = make.user("admin")
    body = {"username": user.username, "password": PASSWORD, "totp": totp_now(user)}
    assert client.post("/api/v1/auth/login", json=body).status_code == 200
