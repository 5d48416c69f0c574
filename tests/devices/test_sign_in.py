"""A field sign-in (X-Device-Id) registers or re-uses its device (SPEC §11)."""

import base64

from sqlalchemy import func, select

from prog_tracker.auth.models import AuthSession
from prog_tracker.devices.labels import label_from_user_agent
from prog_tracker.devices.models import Device
from prog_tracker.extensions import db
from tests.conftest import signin
from tests.devices.conftest import device_events, field_login, fresh, make_device, new_id
from tests.factories import PASSWORD


def _sessions() -> int:
    return db.session.scalar(select(func.count()).select_from(AuthSession))


def _key_bytes(answer) -> bytes:
    key = answer["device"]["key"]
    return base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))


def test_a_new_device_is_registered_with_a_key_and_bound_to_the_session(field_client, make):
    user = make.user("caseworker")
    device_id = new_id()
    response = field_login(field_client, user, device_id)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    device = answer["device"]
    assert device["id"] == device_id and device["user_id"] == user.id
    assert device["label"] == "Chrome · Android"
    assert device["revoked_at"] is None and device["wiped_at"] is None
    assert len(_key_bytes(answer)) == 32
    assert answer["device_policy"] == {"idle_lock_minutes": 5, "offline_lease_hours": 72}
    row = db.session.scalar(select(AuthSession).where(AuthSession.user_id == user.id))
    assert row.device_id == device_id
    stored = fresh(Device, device_id)
    # Encrypted at rest: the key as sent appears nowhere in the row.
    assert stored.key_ciphertext.startswith("v1:") and device["key"] not in stored.key_ciphertext
    [event] = device_events("device.register")
    assert event.entity_ids == [device_id, user.id] and event.actor_id == user.id


def test_the_key_is_the_same_at_every_sign_in_and_the_label_follows(app, make):
    user = make.user("instructor")
    device_id = new_id()
    first = field_login(app.test_client(), user, device_id).get_json()
    again = field_login(app.test_client(), user, device_id, label="Tablet 3").get_json()
    assert again["device"]["key"] == first["device"]["key"]
    assert again["device"]["label"] == "Tablet 3"
    assert db.session.scalar(select(func.count()).select_from(Device)) == 1
    assert len(device_events("device.register")) == 1


def test_the_key_is_only_in_the_login_answer(field_client, make):
    user = make.user("caseworker")
    answer = field_login(field_client, user, new_id()).get_json()
    headers = {"X-CSRF-Token": answer["csrf_token"]}
    me = field_client.get("/api/v1/auth/me", headers=headers).get_json()
    assert "device" not in me and me["device_policy"]["idle_lock_minutes"] == 5
    listed = field_client.get("/api/v1/devices").get_json()["items"]
    assert len(listed) == 1 and "key" not in listed[0]
    assert "receipt_token" not in listed[0] and "key_ciphertext" not in listed[0]


def test_another_users_device_is_refused_and_no_session_opens(app, make):
    owner, other = make.user("caseworker"), make.user("caseworker")
    device = make_device(owner)
    before = _sessions()
    response = field_login(app.test_client(), other, device.id)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "device_other_user"
    assert "pt_session=" not in response.headers.get("Set-Cookie", "")
    assert _sessions() == before


def test_a_revoked_device_gets_401_with_a_receipt_token_and_no_session(app, make):
    user = make.user("caseworker")
    device = make_device(user, revoked=True)
    before = _sessions()
    response = field_login(app.test_client(), user, device.id)
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == "device_revoked" and len(error["receipt_token"]) >= 32
    assert _sessions() == before
    assert fresh(Device, device.id).receipt_token_hash is not None


def test_a_wiped_device_is_refused_409(app, make):
    user = make.user("caseworker")
    device = make_device(user, wiped=True)
    response = field_login(app.test_client(), user, device.id)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "device_wiped"
    assert _sessions() == 0


def test_a_malformed_device_id_is_a_422_on_device_id(field_client, make):
    user = make.user("caseworker")
    response = field_login(field_client, user, "x" * 101)
    assert response.status_code == 422
    assert "device_id" in response.get_json()["error"]["fields"]


def test_a_label_longer_than_100_characters_is_refused(field_client, make):
    user = make.user("caseworker")
    response = field_login(field_client, user, new_id(), label="x" * 101)
    assert response.status_code == 422
    assert "device_label" in response.get_json()["error"]["fields"]


def test_without_the_header_nothing_is_registered(field_client, make):
    user = make.user("caseworker")
    signin(field_client, user)
    assert db.session.scalar(select(func.count()).select_from(Device)) == 0


def test_a_half_signed_in_session_registers_no_device(app, make):
    owes_mfa = make.user("admin", mfa=False)
    owes_password = make.user("caseworker", must_change_password=True)
    for user in (owes_mfa, owes_password):
        response = field_login(app.test_client(), user, new_id())
        assert response.status_code == 200 and "device" not in response.get_json()
    assert db.session.scalar(select(func.count()).select_from(Device)) == 0


def test_a_wrong_password_with_a_revoked_device_says_nothing_about_it(field_client, make):
    user = make.user("caseworker")
    device = make_device(user, revoked=True)
    body = {"username": user.username, "password": PASSWORD + "x"}
    response = field_client.post(
        "/api/v1/auth/login", json=body, headers={"X-Device-Id": device.id}
    )
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_labels_come_from_the_user_agent():
    firefox_windows = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"
    )
    safari_iphone = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    )
    assert label_from_user_agent(firefox_windows) == "Firefox · Windows"
    assert label_from_user_agent(safari_iphone) == "Safari · iOS"
    assert label_from_user_agent("curl/8.0") == "Browser"
    assert label_from_user_agent(None) == "Browser"


def test_an_escrow_key_that_no_longer_decrypts_is_replaced(app, make):
    user = make.user("caseworker")
    device = make_device(user, key_ciphertext="v1:AAAA")
    answer = field_login(app.test_client(), user, device.id).get_json()
    assert len(_key_bytes(answer)) == 32
    assert fresh(Device, device.id).key_ciphertext != "v1:AAAA"
