"""The settings page lists one's API tokens with scope and expiry, and makes and revokes them."""

import re

import pytest

from tests.conftest import signin


def _page_client(app, user):
    client = app.test_client()
    return client, signin(client, user)


def _offered_scopes(html: str) -> list[str]:
    select = re.search(r'<select id="f-scope".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\w+)"', select)


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("officer", ["read", "sync"]),
        ("caseworker", ["read", "sync"]),
        ("supervisor", ["read", "sync", "full"]),
    ],
)
def test_the_page_offers_full_tokens_only_to_roles_allowed(app, make, role, offered):
    client, _csrf = _page_client(app, make.user(role))
    page = client.get("/settings")
    assert page.status_code == 200
    assert _offered_scopes(page.get_data(as_text=True)) == offered


def test_a_token_made_on_the_page_is_shown_once_listed_and_revoked(app, make):
    client, csrf = _page_client(app, make.user("officer"))
    form = {"name": "Monthly import", "scope": "sync", "expires_in_days": "30", "csrf_token": csrf}
    made = client.post("/settings/tokens", data=form)
    assert made.status_code == 200
    secret = re.search(r"ptk_[\w-]+", made.get_data(as_text=True)).group(0)
    bearer = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/auth/me", headers=bearer).status_code == 200
    listed = client.get("/settings").get_data(as_text=True)
    assert "Monthly import" in listed and "Read and sync (field devices)" in listed
    assert secret not in listed
    token_id = client.get("/api/v1/auth/tokens").get_json()["items"][0]["id"]
    revoked = client.post(f"/settings/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 302
    assert app.test_client().get("/api/v1/auth/me", headers=bearer).status_code == 401


def test_the_page_refuses_a_full_token_to_an_officer_and_too_long_a_lifetime(app, make):
    client, csrf = _page_client(app, make.user("officer"))
    full = {"name": "x", "scope": "full", "expires_in_days": "30", "csrf_token": csrf}
    assert client.post("/settings/tokens", data=full).status_code == 403
    long = {"name": "x", "scope": "read", "expires_in_days": "400", "csrf_token": csrf}
    answer = client.post("/settings/tokens", data=long)
    assert answer.status_code == 422
    assert 'id="f-expires_in_days-error"' in answer.get_data(as_text=True)
    assert client.get("/api/v1/auth/tokens").get_json()["items"] == []
