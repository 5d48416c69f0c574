"""deliver() end to end: pywebpush encrypts and signs, a fake push service on 127.0.0.1 checks."""

import json
import socket
import time
from types import SimpleNamespace

import pytest
import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from py_vapid import Vapid

from prog_tracker.notifications.keys import b64url, public_key
from prog_tracker.notifications.webpush import Delivery, deliver, retry_after_seconds
from tests.notifications.push_service import (
    Answer,
    BrowserSubscription,
    b64url_decode,
    http_date,
    parse_authorization,
)

SUBJECT = "mailto:ops@prog-tracker.example"
PAYLOAD = {"kind": "session_reminder", "title": "Session tomorrow", "url": "/sessions/42"}


def _send(vapid, subscription, *, payload=PAYLOAD, timeout=5.0, **options) -> Delivery:
    """deliver() with the usual options, any of them overridable."""
    settings = {"ttl": 3600, "topic": "session-42", "urgency": "normal"} | options
    return deliver(
        subscription,
        json.dumps(payload).encode(),
        vapid=vapid,
        subject=SUBJECT,
        timeout=timeout,
        **settings,
    )


def _stored(subscription: BrowserSubscription) -> SimpleNamespace:
    """A subscription as the app keeps it: only what PushSubscription.toJSON() posted."""
    body = subscription.as_json()
    return SimpleNamespace(endpoint=body["endpoint"], **body["keys"])


def test_a_browser_subscription_looks_like_a_browsers(push_service):
    """p256dh is an uncompressed P-256 point, auth 16 bytes, both base64url without padding."""
    body = push_service.subscribe().as_json()
    assert set(body) == {"endpoint", "expirationTime", "keys"}
    assert body["expirationTime"] is None
    assert body["endpoint"].startswith(push_service.origin + "/push/")
    point, secret = b64url_decode(body["keys"]["p256dh"]), b64url_decode(body["keys"]["auth"])
    assert len(point) == 65 and point[0] == 4
    assert len(secret) == 16
    assert "=" not in body["keys"]["p256dh"] + body["keys"]["auth"]
    assert push_service.subscribe().endpoint != body["endpoint"]


def test_a_delivery_arrives_signed_for_the_endpoint_origin_and_decrypts(push_service, vapid):
    """The JWT verifies with the server's key, aud carries the port, the payload decrypts."""
    push_service.expected_public_key = public_key(vapid)
    browser = push_service.subscribe()
    before = time.time()

    delivery = _send(vapid, _stored(browser), ttl=86400, topic="reminder-7", urgency="high")

    assert delivery == Delivery(201) and delivery.delivered and not delivery.gone
    [message] = push_service.wait_for(1)
    assert message.accepted, message.error
    assert message.path == browser.path
    port = push_service.origin.rsplit(":", 1)[1]
    assert message.claims["aud"] == f"http://127.0.0.1:{port}"
    assert message.claims["sub"] == SUBJECT
    assert before < message.claims["exp"] <= before + 24 * 3600 + 1
    assert message.public_key == public_key(vapid)
    assert message.payload == PAYLOAD
    assert (message.ttl, message.topic, message.urgency) == ("86400", "reminder-7", "high")
    assert message.headers["content-encoding"] == "aes128gcm"


@pytest.mark.parametrize("answer", [Answer.gone(), Answer.not_found()], ids=["410", "404"])
def test_gone_and_not_found_mean_forget_the_subscription(push_service, vapid, answer):
    """410 and 404 are `gone`; the request itself was well formed."""
    browser = push_service.subscribe(answer)

    delivery = _send(vapid, browser)

    assert delivery == Delivery(answer.status)
    assert delivery.gone and not delivery.delivered
    assert push_service.wait_for(1)[0].accepted


def test_too_many_requests_gives_retry_after_in_seconds(push_service, vapid):
    """429 with `Retry-After: 30` comes back as status 429, 30 seconds."""
    browser = push_service.subscribe(Answer.too_many(30))

    delivery = _send(vapid, browser)

    assert delivery == Delivery(429, 30.0)
    assert not delivery.delivered and not delivery.gone


def test_too_many_requests_with_an_http_date(push_service, vapid):
    """Retry-After as an HTTP date becomes the seconds until then."""
    browser = push_service.subscribe(Answer.too_many(http_date(120)))

    delivery = _send(vapid, browser)

    assert delivery.status == 429
    assert delivery.retry_after == pytest.approx(120, abs=3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("30", 30.0),
        (" 7 ", 7.0),
        ("soon", None),
        ("-5", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date past: retry now
    ],
)
def test_retry_after_seconds(value, expected):
    """Numbers, dates and garbage in Retry-After."""
    assert retry_after_seconds(value) == expected


def test_retry_after_seconds_for_a_future_http_date():
    """A date ahead is the seconds until it (whole-second resolution)."""
    assert retry_after_seconds(http_date(600)) == pytest.approx(600, abs=2)


def test_a_server_error_is_a_status_not_an_exception(push_service, vapid):
    """500 comes back as status 500: neither delivered nor gone."""
    browser = push_service.subscribe(Answer.server_error())

    delivery = _send(vapid, browser)

    assert delivery == Delivery(500)
    assert not delivery.delivered and not delivery.gone


def test_scripted_answers_run_in_turn(push_service, vapid):
    """429 then 201: the fake's scripts are consumed in order, the last one sticks."""
    browser = push_service.subscribe(Answer.too_many(1), Answer.created())

    statuses = [_send(vapid, browser).status for _ in range(3)]

    assert statuses == [429, 201, 201]


def test_a_slow_service_times_out_without_an_answer(push_service, vapid):
    """No answer within the timeout is Delivery(None), in about the timeout."""
    browser = push_service.subscribe(Answer.slow(2.0))
    started = time.monotonic()

    delivery = _send(vapid, browser, timeout=0.5)

    assert delivery == Delivery(None)
    assert time.monotonic() - started < 1.5
    assert push_service.wait_for(1)[0].accepted  # it did get there


def test_a_refused_connection_is_no_answer(vapid):
    """Nothing listening on the endpoint's port is Delivery(None)."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))  # bound, never listening: connects are refused
        port = bound.getsockname()[1]
        browser = BrowserSubscription(f"http://127.0.0.1:{port}/push/nobody")

        assert _send(vapid, browser, timeout=2.0) == Delivery(None)


def test_each_endpoint_gets_the_aud_of_its_own_origin(make_push_service, vapid):
    """pywebpush writes aud into the claims it is given: a shared dict would leak it."""
    first, second = make_push_service(), make_push_service()
    one, two = first.subscribe(), second.subscribe()

    deliveries = [_send(vapid, one), _send(vapid, two), _send(vapid, one)]

    assert [delivery.status for delivery in deliveries] == [201, 201, 201]
    got_first, got_second = first.wait_for(2), second.wait_for(1)
    assert [message.claims["aud"] for message in got_first] == [first.origin] * 2
    assert [message.claims["aud"] for message in got_second] == [second.origin]
    assert first.origin != second.origin
    assert not first.rejected and not second.rejected


def test_a_service_expecting_another_key_refuses_the_delivery(make_push_service, vapid):
    """The service's k check runs on real deliveries: another server key is a 403."""
    service = make_push_service(expected_public_key=public_key(_other()))

    delivery = _send(vapid, service.subscribe())

    assert delivery == Delivery(403)
    assert service.wait_for(1)[0].error == "k is not the application server key"


# The fake service must itself be right, or the tests above prove nothing:
# hand-made requests, each broken in one way, must be refused.


def _other() -> Vapid:
    """A VAPID signer with a key that is not the server's."""
    signer = Vapid()
    signer.generate_keys()
    return signer


def _claims(service, **changes) -> dict:
    """Valid claims for the service, with changes (None removes a claim)."""
    claims = {"aud": service.origin, "exp": int(time.time()) + 3600, "sub": SUBJECT} | changes
    return {name: value for name, value in claims.items() if value is not None}


def _token(signer: Vapid, claims: dict, alg: str = "ES256") -> str:
    """A JWT signed by hand with cryptography (py_vapid would refuse the bad claims)."""
    header = b64url(json.dumps({"typ": "JWT", "alg": alg}).encode())
    body = b64url(json.dumps(claims).encode())
    der = signer.private_key.sign(f"{header}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return f"{header}.{body}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def _authorization(signer: Vapid, claims: dict, key: str | None = None) -> str:
    """`vapid t=<JWT>, k=<key>`, signed by signer; k is the signer's unless given."""
    return f"vapid t={_token(signer, claims)}, k={key or public_key(signer)}"


def _post(service, browser, authorization, *, body=None, **headers):
    """POST a hand-made push message; headers as keyword names, None drops one."""
    sent = {
        "Authorization": authorization,
        "Content-Encoding": "aes128gcm",
        "TTL": "60",
        "Topic": "session-42",
        "Urgency": "normal",
    } | {name.replace("_", "-"): value for name, value in headers.items()}
    payload = browser.encrypt(json.dumps(PAYLOAD).encode()) if body is None else body
    return requests.post(
        browser.endpoint,
        data=payload,
        headers={name: value for name, value in sent.items() if value is not None},
        timeout=5,
    )


def test_a_well_made_hand_signed_request_is_accepted(push_service, vapid):
    """The control for the refusals below: everything right is a 201 and decrypts."""
    push_service.expected_public_key = public_key(vapid)
    browser = push_service.subscribe()

    response = _post(push_service, browser, _authorization(vapid, _claims(push_service)))

    assert response.status_code == 201, response.text
    assert push_service.wait_for(1)[0].payload == PAYLOAD


def _without_port(service) -> str:
    """The service's origin without its port."""
    return service.origin.rsplit(":", 1)[0]


BAD_CLAIMS = {
    "aud without the port": (lambda s: {"aud": _without_port(s)}, "aud"),
    "aud of another origin": (lambda s: {"aud": "https://push.example.net"}, "aud"),
    "aud with a path": (lambda s: {"aud": s.origin + "/"}, "aud"),
    "exp in the past": (lambda s: {"exp": int(time.time()) - 10}, "exp is in the past"),
    "exp over 24 h ahead": (lambda s: {"exp": int(time.time()) + 25 * 3600}, "24 hours"),
    "exp not a number": (lambda s: {"exp": str(int(time.time()) + 60)}, "exp"),
    "no exp": (lambda s: {"exp": None}, "exp"),
    "sub not a URL": (lambda s: {"sub": "ops@prog-tracker.example"}, "sub"),
    "no sub": (lambda s: {"sub": None}, "sub"),
}


@pytest.mark.parametrize("case", BAD_CLAIMS.values(), ids=BAD_CLAIMS.keys())
def test_bad_claims_are_refused(push_service, vapid, case):
    """aud must be the origin exactly (port included), exp within 24 h, sub a contact URL."""
    changes, reason = case
    browser = push_service.subscribe()
    claims = _claims(push_service, **changes(push_service))

    response = _post(push_service, browser, _authorization(vapid, claims))

    assert response.status_code == 403
    [message] = push_service.wait_for(1)
    assert not message.accepted and reason in message.error


def test_a_jwt_signed_by_another_key_is_refused(push_service, vapid):
    """k names the server's key but another key signed the JWT: the signature fails."""
    browser = push_service.subscribe()
    forged = _authorization(_other(), _claims(push_service), key=public_key(vapid))

    response = _post(push_service, browser, forged)

    assert response.status_code == 401
    assert "does not verify" in push_service.wait_for(1)[0].error


def test_a_consistent_jwt_from_an_unexpected_key_is_refused(push_service, vapid):
    """Signed and k both by another key: verifies, but it is not the server's key."""
    push_service.expected_public_key = public_key(vapid)
    browser = push_service.subscribe()

    response = _post(push_service, browser, _authorization(_other(), _claims(push_service)))

    assert response.status_code == 403
    assert push_service.wait_for(1)[0].error == "k is not the application server key"


def test_a_jwt_with_another_alg_is_refused(push_service, vapid):
    """Only ES256 is VAPID, whatever the signature."""
    browser = push_service.subscribe()
    token = _token(vapid, _claims(push_service), alg="ES384")

    response = _post(push_service, browser, f"vapid t={token}, k={public_key(vapid)}")

    assert response.status_code == 401
    assert "ES256" in push_service.wait_for(1)[0].error


def test_a_tampered_jwt_is_refused(push_service, vapid):
    """Claims changed after signing no longer match the signature."""
    browser = push_service.subscribe()
    token, key = parse_authorization(_authorization(vapid, _claims(push_service)))
    header, _, signature = token.split(".")
    claims = b64url(json.dumps(_claims(push_service, sub="mailto:someone@else.example")).encode())

    response = _post(push_service, browser, f"vapid t={header}.{claims}.{signature}, k={key}")

    assert response.status_code == 401
    assert "does not verify" in push_service.wait_for(1)[0].error


BAD_REQUESTS = {
    "no Authorization": ({"Authorization": None}, "no Authorization"),
    "WebPush scheme": ({"Authorization": "WebPush abc"}, "scheme"),
    "aesgcm encoding": ({"Content_Encoding": "aesgcm"}, "Content-Encoding"),
    "no TTL": ({"TTL": None}, "TTL"),
    "long Topic": ({"Topic": "t" * 33}, "Topic"),
    "Topic with a space": ({"Topic": "session 42"}, "Topic"),
    "odd Urgency": ({"Urgency": "urgent"}, "Urgency"),
}


@pytest.mark.parametrize("case", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_bad_headers_are_refused(push_service, vapid, case):
    """Headers a push service would refuse are answered 4xx and recorded as rejected."""
    headers, reason = case
    browser = push_service.subscribe()
    authorization = headers.pop("Authorization", _authorization(vapid, _claims(push_service)))

    response = _post(push_service, browser, authorization, **headers)

    assert 400 <= response.status_code < 500
    [message] = push_service.wait_for(1)
    assert not message.accepted and reason in message.error


def test_a_body_encrypted_for_another_browser_is_refused(push_service, vapid):
    """The browser's keys must decrypt the body: another subscription's do not."""
    browser, other = push_service.subscribe(), push_service.subscribe()
    body = other.encrypt(json.dumps(PAYLOAD).encode())

    response = _post(push_service, browser, _authorization(vapid, _claims(push_service)), body=body)

    assert response.status_code == 400
    assert "does not decrypt" in push_service.wait_for(1)[0].error


def test_an_unknown_endpoint_is_not_found(push_service, vapid):
    """A path the service never handed out is a 404."""
    stranger = BrowserSubscription(push_service.origin + "/push/unknown")

    assert _send(vapid, stranger) == Delivery(404)
    assert push_service.wait_for(1)[0].error == "no such subscription"


def test_a_forgotten_subscription_is_gone(push_service, vapid):
    """After forget() (an unsubscribe) the endpoint answers 410."""
    browser = push_service.subscribe()
    push_service.forget(browser)

    assert _send(vapid, browser).gone
