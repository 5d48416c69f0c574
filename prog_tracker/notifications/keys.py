"""The server's VAPID key pair (RFC 8292): made by `prog-tracker init`, read at start-up.

PROG_TRACKER_VAPID_PRIVATE_KEY may hold the key as PEM, or as base64url of
its raw 32 bytes or of its DER form (what `vapid --gen` and web-push tools
print); otherwise `init` writes one to the instance folder (mode 600).
"""

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

KEY_FILE = "vapid_private_key"


def b64url(data: bytes) -> str:
    """base64url without padding, as Web Push writes keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ensure_vapid_key_file(instance: Path) -> bool:
    """Write a new P-256 private key (raw, base64url) to the instance folder; True if made."""
    path = instance / KEY_FILE
    if path.exists():
        return False
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(b64url(raw))
    return True


def load_vapid(value: str) -> Vapid:
    """A Vapid signer from the configured key text (PEM, raw or DER); ValueError if bad."""
    text = value.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
            return Vapid(key)
        return Vapid.from_string(text)
    except Exception as err:  # the libraries raise several kinds for a bad key
        raise ValueError("PROG_TRACKER_VAPID_PRIVATE_KEY is not a valid P-256 private key") from err


def public_key(vapid: Vapid) -> str:
    """The application server key browsers subscribe with: the uncompressed point, base64url."""
    point = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)
