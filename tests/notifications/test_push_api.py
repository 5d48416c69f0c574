"""GET /push/public-key, POST and DELETE /push/subscriptions (SPEC §4, issue 6)."""

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from prog_tracker.core import audit
from prog_tracker.extensions import db
from prog_tracker.notifications.models import PushSubscription
from tests.conftest import TEST_KEYS


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _browser_keys() -> dict:
    """Keys as a browser makes them: a P-256 point and a 16-byte secret."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {"p256dh": _b64(point), "auth": _b64(b"sixteen byte key")}


def _body(endpoint: str) -> dict:
    return {"endpoint": endpoint, "expirationTime": None, "keys": _browser_keys()}


def _stored(endpoint: str):
    return db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))


def test_public_key_is_the_configured_keys_uncompressed_point(api_as):
    answer = api_as("caseworker").get("/push/public-key")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    raw = base64.urlsafe_b64decode(answer.get_json()["public_key"] + "==")
    scalar = int.from_bytes(base64.urlsafe_b64decode(TEST_KEYS["VAPID_PRIVATE_KEY"] + "="), "big")
    expected = (
        ec.derive_private_key(scalar, ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    assert raw == expected and len(raw) == 65


def test_no_vapid_key_answers_503_push_not_configured(api_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", "")
    api = api_as("caseworker")
    assert api.get("/push/public-key").get_json()["error"]["code"] == "push_not_configured"
    endpoint = "https://fcm.googleapis.com/fcm/send/no-key"
    assert api.post("/push/subscriptions", json=_body(endpoint)).status_code == 503
    assert _stored(endpoint) is None


def test_subscribing_twice_renews_and_another_user_takes_the_device_over(api_as, make):
    endpoint = "https://fcm.googleapis.com/fcm/send/device-1"
    first = make.user("caseworker")
    api = api_as(first)
    created = api.post("/push/subscriptions", json=_body(endpoint))
    assert created.status_code == 201 and created.get_json()["endpoint"] == endpoint
    again = api.post("/push/subscriptions", json=_body(endpoint))
    assert again.status_code == 200
    assert _stored(endpoint).user_id == first.id
    second = make.user("caseworker")
    assert api_as(second).post("/push/subscriptions", json=_body(endpoint)).status_code == 200
    assert _stored(endpoint).user_id == second.id
    assert len(db.session.scalars(select(PushSubscription)).all()) == 1


def test_subscribing_is_audited_without_the_endpoint(api_as):
    api = api_as("officer")
    row_id = api.post(
        "/push/subscriptions", json=_body("https://web.push.apple.com/QGuQyavX")
    ).get_json()["id"]
    head = audit.chain_head()
    from prog_tracker.core.audit import AuditEvent

    event = db.session.get(AuditEvent, head[0])
    assert event.action == "push_subscription.create" and event.entity_ids == [row_id]


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://localhost:6379/",  # an internal service by name
        "http://10.0.0.5/push",
        "https://fcm.googleapis.com.evil.example/push",
        "https://evil.example/?https://fcm.googleapis.com/",
        "https://user:pw@fcm.googleapis.com/fcm/send/x",
        "http://fcm.googleapis.com/fcm/send/x",  # not https
        "https://fcm.googleapis.com:8443/fcm/send/x",  # another port
        "ftp://fcm.googleapis.com/x",
        "not a url",
    ],
)
def test_endpoints_off_the_allow_list_are_refused(api_as, endpoint):
    answer = api_as("caseworker").post("/push/subscriptions", json=_body(endpoint))
    assert answer.status_code == 422
    assert answer.get_json()["error"]["code"] == "push_endpoint_not_allowed"
    assert _stored(endpoint) is None


@pytest.mark.parametrize(
    "keys",
    [
        {"p256dh": _b64(b"\x04" + b"1" * 63), "auth": _b64(b"sixteen byte key")},  # 64 bytes
        {"p256dh": _b64(b"\x02" + b"1" * 64), "auth": _b64(b"sixteen byte key")},  # compressed
        {"p256dh": _b64(b"\x04" + b"1" * 64), "auth": _b64(b"sixteen byte key")},  # off the curve
        {"p256dh": "not base64!", "auth": _b64(b"sixteen byte key")},
        {"p256dh": _browser_keys()["p256dh"], "auth": _b64(b"short")},
        {"p256dh": _browser_keys()["p256dh"]},
    ],
)
def test_bad_keys_are_a_validation_error(api_as, keys):
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/k", "keys": keys}
    answer = api_as("caseworker").post("/push/subscriptions", json=body)
    assert answer.status_code == 422 and answer.get_json()["error"]["code"] == "validation_error"


def test_unsubscribing_removes_only_ones_own_device(api_as, make):
    endpoint = "https://updates.push.services.mozilla.com/wpush/v2/abc"
    owner = api_as("caseworker")
    assert owner.post("/push/subscriptions", json=_body(endpoint)).status_code == 201
    stranger = api_as("caseworker")
    assert stranger.delete("/push/subscriptions", json={"endpoint": endpoint}).status_code == 204
    assert _stored(endpoint) is not None
    assert owner.delete("/push/subscriptions", json={"endpoint": endpoint}).status_code == 204
    assert _stored(endpoint) is None
    # Again: nothing to remove, still 204 (a device retrying after a lost answer).
    assert owner.delete("/push/subscriptions", json={"endpoint": endpoint}).status_code == 204


def test_unsubscribing_accepts_the_whole_subscription_as_sent_to_subscribe(api_as):
    endpoint = "https://fcm.googleapis.com/fcm/send/whole"
    api = api_as("caseworker")
    body = _body(endpoint)
    assert api.post("/push/subscriptions", json=body).status_code == 201
    assert api.delete("/push/subscriptions", json=body).status_code == 204
    assert _stored(endpoint) is None


def test_resending_the_same_subscription_records_nothing_new(api_as):
    api = api_as("caseworker")
    body = _body("https://fcm.googleapis.com/fcm/send/again")
    api.post("/push/subscriptions", json=body)
    head = audit.chain_head()
    assert api.post("/push/subscriptions", json=body).status_code == 200
    assert audit.chain_head() == head


def test_signing_out_stops_reminders_to_the_browsers_of_that_session(api_as, make):
    user = make.user("officer")
    here, there = api_as(user), api_as(user)
    here.post("/push/subscriptions", json=_body("https://fcm.googleapis.com/fcm/send/here"))
    there.post("/push/subscriptions", json=_body("https://fcm.googleapis.com/fcm/send/there"))
    assert here.post("/auth/logout").status_code == 204
    assert _stored("https://fcm.googleapis.com/fcm/send/here") is None
    assert _stored("https://fcm.googleapis.com/fcm/send/there") is not None
