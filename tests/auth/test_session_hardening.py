"""Session fixation, production cookies and headers, no-store on personal pages."""

import pytest
from flask_migrate import upgrade

from prog_tracker import create_app
from prog_tracker.extensions import db
from tests.factories import PASSWORD, Factory


def test_a_planted_session_cookie_never_becomes_a_session(app, make):
    user = make.user("officer")
    victim = app.test_client()
    victim.set_cookie("pt_session", "planted-by-an-attacker-000000000000000")
    response = victim.post(
        "/api/v1/auth/login", json={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert victim.get_cookie("pt_session").value != "planted-by-an-attacker-000000000000000"
    attacker = app.test_client()
    attacker.set_cookie("pt_session", "planted-by-an-attacker-000000000000000")
    assert attacker.get("/api/v1/auth/me").status_code == 401


def test_html_pages_of_signed_in_users_are_not_cached(app, make, signin):
    client = app.test_client()
    signin(client, make.user("officer"))
    for path in ("/", "/participants", "/settings"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


@pytest.mark.own_database
def test_production_sets_secure_cookies_and_hsts(tmp_path):
    app = create_app(
        {
            "ENV": "production",
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "s" * 48,
            "AUDIT_KEY": "a" * 48,
            "MFA_KEY": "m" * 48,
            "DATABASE_URL": f"sqlite:///{tmp_path}/prod.db",
        }
    )
    with app.app_context():
        upgrade()
        user = Factory().user("officer")
        username = user.username
        db.session.remove()
    client = app.test_client()
    health = client.get("/healthz")
    assert health.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "frame-ancestors 'none'" in health.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in health.headers["Content-Security-Policy"]
    response = client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": PASSWORD},
        base_url="https://tracker.example",
    )
    assert response.status_code == 200
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("pt_session="))
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert attribute in session_cookie
    device_cookie = next(c for c in cookies if c.startswith("pt_device="))
    assert "Secure" in device_cookie and "HttpOnly" in device_cookie
