"""VAPID keys in every form people paste them, and the push endpoint allow-list."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from prog_tracker.notifications.endpoints import (
    DEFAULT_PUSH_ENDPOINTS,
    allowed,
    compile_allow_list,
)
from prog_tracker.notifications.keys import b64url, ensure_vapid_key_file, load_vapid, public_key


def _forms(key) -> dict:
    """One private key written as PEM, raw base64url and DER base64url."""
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {"pem": pem, "raw": b64url(raw), "der": b64url(der)}


def test_every_form_of_a_key_gives_the_same_public_key():
    key = ec.generate_private_key(ec.SECP256R1())
    expected = b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    for text in _forms(key).values():
        assert public_key(load_vapid(text)) == expected


@pytest.mark.parametrize("text", ["", "not a key", "-----BEGIN PRIVATE KEY-----\nxx\n-----END"])
def test_a_bad_key_is_a_clear_error(text):
    with pytest.raises(ValueError, match="VAPID_PRIVATE_KEY"):
        load_vapid(text)


def test_the_key_file_is_owner_only_and_never_replaced(tmp_path):
    assert ensure_vapid_key_file(tmp_path) is True
    path = tmp_path / "vapid_private_key"
    first = path.read_text()
    assert path.stat().st_mode & 0o777 == 0o600
    assert ensure_vapid_key_file(tmp_path) is False and path.read_text() == first
    assert len(public_key(load_vapid(first))) == 87  # 65 bytes in base64url


def test_the_default_list_holds_the_browser_push_services_only():
    patterns = compile_allow_list(DEFAULT_PUSH_ENDPOINTS)
    assert allowed("https://fcm.googleapis.com/fcm/send/abc", patterns)
    assert allowed("https://updates.push.services.mozilla.com/wpush/v2/x", patterns)
    assert allowed("https://web.push.apple.com/QGuQ", patterns)
    assert allowed("https://wns2-by3p.notify.windows.com/w/?token=x", patterns)
    assert not allowed("https://a.b.push.apple.com/x", patterns)  # * is one label
    assert not allowed("http://127.0.0.1:8000/push", patterns)


def test_wildcard_ports_and_explicit_ports():
    patterns = compile_allow_list("http://127.0.0.1:*, https://push.example.org:8443")
    assert allowed("http://127.0.0.1:5999/p", patterns)
    assert allowed("https://push.example.org:8443/p", patterns)
    assert not allowed("https://push.example.org/p", patterns)
    assert not allowed("http://127.0.0.2:5999/p", patterns)


@pytest.mark.parametrize("setting", ["fcm.googleapis.com", "https://", "https://a/b/c"])
def test_a_bad_setting_is_refused_at_start(setting):
    with pytest.raises(ValueError, match="PUSH_ENDPOINTS"):
        compile_allow_list(setting)
