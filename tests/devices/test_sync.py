"""Sync requests carry the device: revoked ones are told to wipe, and report it once."""

from datetime import timedelta

from prog_tracker.core.models import utcnow
from prog_tracker.devices.models import Device
from prog_tracker.extensions import db
from tests.conftest import signin
from tests.devices.conftest import (
    ANDROID_CHROME,
    device_events,
    field_login,
    fresh,
    make_device,
    new_id,
)


def _pull(client, device_id=None, **headers):
    if device_id is not None:
        headers["X-Device-Id"] = device_id
    return client.get("/api/v1/sync/pull", headers=headers)


def _push(client, csrf, device_id):
    headers = {"X-Device-Id": device_id, "X-CSRF-Token": csrf}
    return client.post(
        "/api/v1/sync/push", json={"device_id": "tablet", "mutations": []}, headers=headers
    )


def _wiped(client, device_id, token, unsent=0):
    body = {"receipt_token": token, "unsent_count": unsent}
    return client.post(f"/api/v1/devices/{device_id}/wiped", json=body)


def _revoked_answer(response) -> str | None:
    assert response.status_code == 401, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "device_revoked"
    return error.get("receipt_token")


def test_a_revoked_device_is_told_on_pull_and_push_even_without_a_session(app, make):
    user = make.user("caseworker")
    device = make_device(user, revoked=True)
    anonymous = app.test_client()
    assert _revoked_answer(_pull(anonymous, device.id))
    assert _revoked_answer(_push(anonymous, "", device.id))


def test_the_newest_receipt_token_works_once_and_earlier_ones_stop(app, make):
    user = make.user("caseworker")
    device = make_device(user, revoked=True)
    client = app.test_client()
    first = _revoked_answer(_pull(client, device.id))
    second = _revoked_answer(_pull(client, device.id))
    assert first != second
    assert _wiped(client, device.id, first).status_code == 404
    response = _wiped(client, device.id, second, unsent=3)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["wiped_at"] is not None and body["pending_count"] == 3
    assert _wiped(client, device.id, second, unsent=3).status_code == 404
    stored = fresh(Device, device.id)
    assert stored.receipt_token_hash is None and stored.pending_count == 3
    [event] = device_events("device.wiped")
    assert event.actor_id is None
    assert event.entity_ids == [device.id, user.id, "unsent:3"]


def test_a_wiped_device_gets_401_without_a_token(app, make):
    device = make_device(make.user("caseworker"), wiped=True)
    assert _revoked_answer(_pull(app.test_client(), device.id)) is None


def test_the_wipe_receipt_is_404_for_any_other_report(app, make):
    user = make.user("caseworker")
    live = make_device(user)
    client = app.test_client()
    assert _wiped(client, live.id, "whatever").status_code == 404
    assert _wiped(client, new_id(), "whatever").status_code == 404
    assert _wiped(client, "not-an-id", "whatever").status_code == 404
    revoked = make_device(user, revoked=True)
    _revoked_answer(_pull(client, revoked.id))
    assert _wiped(client, revoked.id, "a guess").status_code == 404
    assert fresh(Device, revoked.id).wiped_at is None


def test_the_wipe_receipt_checks_its_body(app, make):
    device = make_device(make.user("caseworker"), revoked=True)
    client = app.test_client()
    token = _revoked_answer(_pull(client, device.id))
    for body in ({"receipt_token": token}, {"receipt_token": token, "unsent_count": -1}):
        response = client.post(f"/api/v1/devices/{device.id}/wiped", json=body)
        assert response.status_code == 422
    assert _wiped(client, device.id, token).status_code == 200


def test_the_wipe_receipt_needs_no_csrf_even_beside_another_session(app, make):
    device = make_device(make.user("caseworker"), revoked=True)
    client = app.test_client()
    token = _revoked_answer(_pull(client, device.id))
    signin(client, make.user("officer"))  # the browser holds someone's live session
    assert _wiped(client, device.id, token).status_code == 200


def test_wipe_receipts_are_rate_limited_per_address(app, make):
    client = app.test_client()
    answers = [_wiped(client, new_id(), "guess").status_code for _ in range(11)]
    assert answers[:10] == [404] * 10 and answers[10] == 429


def test_another_users_device_is_forbidden(app, make):
    device = make_device(make.user("caseworker"))
    client = app.test_client()
    signin(client, make.user("caseworker"))
    response = _pull(client, device.id)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_an_unknown_device_is_registered_on_the_fly_without_a_key(app, make):
    user = make.user("caseworker")
    client = app.test_client()
    signin(client, user)
    device_id = new_id()
    response = _pull(client, device_id, **{"User-Agent": ANDROID_CHROME, "X-Device-Pending": "4"})
    assert response.status_code == 200
    stored = fresh(Device, device_id)
    assert stored.user_id == user.id and stored.label == "Chrome · Android"
    assert stored.key_ciphertext is None and stored.pending_count == 4
    [event] = device_events("device.register")
    assert event.entity_ids == [device_id, user.id]


def test_a_later_sign_in_gives_an_on_the_fly_device_its_key(app, make):
    user = make.user("caseworker")
    client = app.test_client()
    signin(client, user)
    device_id = new_id()
    _pull(client, device_id)
    answer = field_login(app.test_client(), user, device_id).get_json()
    assert answer["device"]["key"]


def test_pending_and_last_seen_follow_the_headers(app, make):
    user = make.user("caseworker")
    an_hour_ago = utcnow() - timedelta(hours=1)
    device = make_device(user, last_seen_at=an_hour_ago)
    client = app.test_client()
    csrf = signin(client, user)
    assert _pull(client, device.id, **{"X-Device-Pending": "2"}).status_code == 200
    touched = fresh(Device, device.id)
    assert touched.pending_count == 2 and touched.last_seen_at > an_hour_ago
    seen = touched.last_seen_at
    assert _push(client, csrf, device.id).status_code == 200
    assert fresh(Device, device.id).last_seen_at == seen  # within the minute: not rewritten
    _pull(client, device.id, **{"X-Device-Pending": "0"})
    after = fresh(Device, device.id)
    assert after.pending_count == 0 and after.last_seen_at > seen


def test_malformed_headers_are_a_422(app, make):
    client = app.test_client()
    signin(client, make.user("caseworker"))
    response = _pull(client, "t" * 101)
    assert response.status_code == 422
    assert "device_id" in response.get_json()["error"]["fields"]
    response = _pull(client, new_id(), **{"X-Device-Pending": "-1"})
    assert response.status_code == 422
    assert "pending_count" in response.get_json()["error"]["fields"]


def test_sync_without_the_header_still_works(app, make):
    client = app.test_client()
    signin(client, make.user("caseworker"))
    assert _pull(client).status_code == 200
    assert db.session.query(Device).count() == 0


def test_the_field_app_flow_end_to_end(app, api_as, make):
    user = make.user("caseworker")
    device_id = new_id()
    on_device = app.test_client()
    csrf = field_login(on_device, user, device_id).get_json()["csrf_token"]
    assert _push(on_device, csrf, device_id).status_code == 200
    api_as("admin").post(f"/devices/{device_id}/revoke")
    token = _revoked_answer(_push(on_device, csrf, device_id))
    assert _wiped(on_device, device_id, token, unsent=1).status_code == 200
    assert _revoked_answer(_pull(on_device, device_id)) is None
    # The store is gone: a sign-in must make a new id.
    assert field_login(on_device, user, device_id).status_code == 409
    assert field_login(on_device, user, new_id()).status_code == 200


def test_the_public_device_check_answers_before_any_sign_in_and_changes_nothing(app, make):
    user = make.user("caseworker")
    active = make_device(user)
    revoked = make_device(user, revoked=True)
    anonymous = app.test_client()
    assert anonymous.get("/api/v1/sync/device").status_code == 204  # no device named
    seen = active.last_seen_at
    assert _check(anonymous, active.id).status_code == 204
    assert fresh(Device, active.id).last_seen_at == seen  # a check is not a contact
    unknown = new_id()
    assert _check(anonymous, unknown).status_code == 204
    assert fresh(Device, unknown) is None  # nor a registration
    token = _revoked_answer(_check(anonymous, revoked.id))
    assert _wiped(anonymous, revoked.id, token, unsent=3).status_code == 200
    assert fresh(Device, revoked.id).pending_count == 3
    assert _check(anonymous, "x" * 101).status_code == 422


def _check(client, device_id):
    return client.get("/api/v1/sync/device", headers={"X-Device-Id": device_id})


def test_a_device_id_that_is_not_a_uuid_is_still_a_device(app, make):
    """SPEC §5's push body takes any device_id up to 100 characters: the header too."""
    user = make.user("caseworker")
    client = app.test_client()
    signin(client, user)
    assert _pull(client, "tablet-1").status_code == 200
    assert fresh(Device, "tablet-1").user_id == user.id
