"""Sign-in, sessions, logout and deactivation."""

from datetime import timedelta

from sqlalchemy import select

from prog_tracker.auth.models import AuthSession
from prog_tracker.extensions import db
from tests.conftest import signin
from tests.factories import PASSWORD


def _login(client, username, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/login", json={"username": username, "password": password, **extra}
    )


def test_login_returns_user_and_csrf_and_sets_hardened_cookie(client, make):
    user = make.user("officer")
    response = _login(client, user.username)
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["id"] == user.id and len(body["csrf_token"]) >= 32
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "password_hash" not in body["user"] and "totp_secret" not in body["user"]


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make):
    user = make.user("officer")
    wrong = _login(client, user.username, "not the password at all")
    unknown = _login(client, "nobody-here", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert wrong.get_json()["error"]["code"] == "invalid_credentials"
    assert "Set-Cookie" not in wrong.headers or "pt_session=" not in wrong.headers["Set-Cookie"]


def test_username_is_case_insensitive(client, make):
    make.user("officer", username="Amina.K")
    assert _login(client, "amina.k").status_code == 200


def test_deactivated_user_gets_invalid_credentials(client, make):
    user = make.user("officer", active=False)
    response = _login(client, user.username)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_password_is_stored_as_argon2id(make):
    user = make.user("officer")
    assert user.password_hash.startswith("$argon2id$")


def test_logout_revokes_the_server_session_and_a_replayed_cookie_fails(app, client, make):
    user = make.user("officer")
    csrf = signin(client, user)
    stolen = client.get_cookie("pt_session").value
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    replay = app.test_client()
    replay.set_cookie("pt_session", stolen)
    response = replay.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def test_deactivation_ends_every_session_at_once(app, api_as, make):
    target = make.user("officer")
    victim = app.test_client()
    signin(victim, target)
    assert victim.get("/api/v1/auth/me").status_code == 200
    admin = api_as("admin")
    response = admin.patch(f"/users/{target.id}", json={"active": False})
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert victim.get("/api/v1/auth/me").status_code == 401
    assert _login(app.test_client(), target.username).status_code == 401


def test_idle_sessions_expire_after_thirty_minutes(client, make):
    user = make.user("officer")
    signin(client, user)
    row = db.session.scalar(select(AuthSession).where(AuthSession.user_id == user.id))
    row.last_seen_at -= timedelta(minutes=31)
    db.session.commit()
    assert client.get("/api/v1/auth/me").status_code == 401


def test_sessions_expire_after_twelve_hours_even_when_active(client, make):
    user = make.user("officer")
    signin(client, user)
    row = db.session.scalar(select(AuthSession).where(AuthSession.user_id == user.id))
    row.expires_at -= timedelta(hours=12, seconds=1)
    db.session.commit()
    assert client.get("/api/v1/auth/me").status_code == 401


def test_each_sign_in_gets_a_new_session_id(app, make):
    user = make.user("officer")
    first, second = app.test_client(), app.test_client()
    signin(first, user)
    signin(second, user)
    assert first.get_cookie("pt_session").value != second.get_cookie("pt_session").value


def test_csrf_header_is_required_for_changes_with_a_session_cookie(client, make):
    user = make.user("officer")
    signin(client, user)
    response = client.post("/api/v1/auth/logout")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    wrong = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 400
    assert client.get("/api/v1/auth/me").status_code == 200  # still signed in


def test_html_form_without_csrf_token_is_refused(client, make):
    user = make.user("officer")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400


def test_html_sign_in_with_csrf_token_works(client, make):
    user = make.user("officer")
    page = client.get("/login")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert client.get("/api/v1/auth/me").status_code == 200


def test_failed_sign_ins_are_throttled_per_account(app, client, make):
    user = make.user("officer")
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 10 minutes"
    try:
        for _ in range(3):
            assert _login(client, user.username, "wrong password!!").status_code == 401
        blocked = _login(client, user.username, "wrong password!!")
        assert blocked.status_code == 429
        assert blocked.get_json()["error"]["code"] == "rate_limited"
        assert int(blocked.headers["Retry-After"]) <= 600
        # Other accounts are not affected by attacks on this one.
        other = make.user("officer")
        assert _login(client, other.username).status_code == 200
    finally:
        app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "1000 per minute"


def test_successful_sign_ins_do_not_count_against_the_limit(app, client, make):
    user = make.user("officer")
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "2 per 10 minutes"
    try:
        for _ in range(4):
            assert _login(app.test_client(), user.username).status_code == 200
    finally:
        app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "1000 per minute"


def test_unauthenticated_api_calls_get_401(client):
    response = client.get("/api/v1/participants")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def test_unauthenticated_pages_redirect_to_login(client):
    response = client.get("/settings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _login_form_token(client):
    page = client.get("/login").get_data(as_text=True)
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_html_failed_sign_ins_share_the_account_throttle(app, client, make, monkeypatch):
    user = make.user("officer")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per 10 minutes")
    token = _login_form_token(client)
    form = {"username": user.username, "password": "wrong password!!", "csrf_token": token}
    assert client.post("/login", data=form).status_code == 401
    assert _login(app.test_client(), user.username, "wrong password!!").status_code == 401
    assert client.post("/login", data=form).status_code == 429


def test_sign_in_redirects_only_within_the_site(client, make):
    user = make.user("officer")
    for target, expected in (
        ("/participants", "/participants"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("https://evil.example/", "/"),
    ):
        fresh = client.application.test_client()
        token = _login_form_token(fresh)
        response = fresh.post(
            "/login",
            data={
                "username": user.username,
                "password": PASSWORD,
                "csrf_token": token,
                "next": target,
            },
        )
        assert response.status_code == 302
        assert response.headers["Location"] == expected, target


def test_an_attack_on_an_account_does_not_lock_out_its_known_browser(app, make, monkeypatch):
    user = make.user("officer")
    own_browser = app.test_client()
    csrf = _login(own_browser, user.username).get_json()["csrf_token"]
    assert (
        own_browser.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    )
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per 10 minutes")
    attacker = app.test_client()
    for _ in range(3):
        assert _login(attacker, user.username, "wrong password!!").status_code == 401
    assert _login(attacker, user.username).status_code == 429
    assert _login(app.test_client(), user.username).status_code == 429  # a new browser
    assert _login(own_browser, user.username).status_code == 200
    own_browser.delete_cookie("pt_session")
    forged = app.test_client()
    forged.set_cookie("pt_device", "W10.forged.signature")
    assert _login(forged, user.username).status_code == 429
    # The device cookie vouches for its own account only.
    other = make.user("officer")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "1 per 10 minutes")
    assert _login(own_browser, other.username, "wrong password!!").status_code == 401
    assert _login(own_browser, other.username).status_code == 429


def test_one_address_is_throttled_per_account_even_from_a_known_browser(app, make, monkeypatch):
    user = make.user("officer")
    browser = app.test_client()
    assert _login(browser, user.username).status_code == 200
    browser.delete_cookie("pt_session")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS", "2 per 10 minutes")
    for _ in range(2):
        assert _login(browser, user.username, "wrong password!!").status_code == 401
    assert _login(browser, user.username).status_code == 429


def test_throttle_keys_and_cookies_hold_no_usernames(app, make):
    user = make.user("officer", username="aigerim.sadykova")
    browser = app.test_client()
    assert _login(browser, user.username).status_code == 200
    assert "aigerim" not in browser.get_cookie("pt_device").value
    from prog_tracker.auth.throttle import account_tag

    with app.test_request_context():
        assert "aigerim" not in account_tag(user.username)


def test_trusted_proxies_setting_takes_the_address_from_x_forwarded_for(tmp_path):
    from prog_tracker import create_app

    app = create_app(
        {
            "ENV": "test",
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "s" * 48,
            "AUDIT_KEY": "a" * 48,
            "TRUSTED_PROXIES": "1",
        }
    )
    seen = []

    @app.route("/probe-address")
    def _probe():
        from prog_tracker.extensions import client_address

        seen.append(client_address())
        return "ok"

    app.view_functions["_probe"].is_public = True
    app.test_client().get("/probe-address", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen == ["203.0.113.9"]


def test_a_browser_signed_in_on_the_website_can_sign_in_as_someone_else(client, make):
    # A shared tablet: the website's session is still there when the field app signs in.
    first, second = make.user("officer"), make.user("officer")
    signin(client, first)
    earlier = client.get_cookie("pt_session").value
    body = {"username": second.username, "password": PASSWORD}
    response = client.post("/api/v1/auth/login", json=body)  # the field app has no token
    assert response.status_code == 200
    assert client.get("/api/v1/auth/me").get_json()["user"]["id"] == second.id
    client.set_cookie("pt_session", earlier)
    assert client.get("/api/v1/auth/me").status_code == 401  # the earlier session ended


def test_a_sign_in_form_posted_as_json_from_elsewhere_still_needs_json(client, make):
    user = make.user("officer")
    signin(client, user)
    form = {"username": user.username, "password": PASSWORD}
    response = client.post("/api/v1/auth/login", data=form)  # what a cross-site form can send
    # 400: with the session cookie and no X-CSRF-Token it is csrf_failed; a form
    # without a session would be bad_request (not JSON), also 400 (SPEC §4).
    assert response.status_code == 400, response.get_json()
    assert client.get("/api/v1/auth/me").get_json()["user"]["id"] == user.id
