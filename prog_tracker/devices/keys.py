"""A device's escrow key: 32 random bytes, kept encrypted at rest like TOTP secrets."""

import base64
import hashlib
import secrets

from flask import current_app

from prog_tracker.core import secrets_at_rest

KEY_BYTES = 32
# Names the derived key, so it could never decrypt another kind of secret (see auth/mfa.py).
PURPOSE = "device-escrow-key"


def _key() -> str:
    """The at-rest key (PROG_TRACKER_MFA_KEY, kept outside the database and its backups)."""
    key = current_app.config.get("MFA_KEY", "")
    if not key:
        raise secrets_at_rest.KeyMissing(
            "PROG_TRACKER_MFA_KEY is not set; run `prog-tracker init` or set it in the environment"
        )
    return key


def encode(raw: bytes) -> str:
    """base64url without padding (as a JWK's "k"), the form the app imports."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def new_sealed_key(device_id: str) -> str:
    """A fresh escrow key, sealed for the devices table and bound to its device."""
    return secrets_at_rest.seal(_key(), PURPOSE, encode(secrets.token_bytes(KEY_BYTES)), device_id)


def open_key(device_id: str, sealed: str) -> str:
    """The escrow key of a stored value, base64url (SecretUnreadable if it does not decrypt)."""
    return secrets_at_rest.unseal(_key(), PURPOSE, sealed, device_id)


def new_receipt_token() -> tuple[str, str]:
    """A one-time wipe receipt token and the SHA-256 the row keeps: (token, hash)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """SHA-256 of a receipt token (long and random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()
