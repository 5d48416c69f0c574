"""Small secrets kept encrypted in the database, with a key kept outside it.

AES-256-GCM with a random 96-bit nonce; the record the secret belongs to is the
associated data, so a value copied onto another record does not decrypt. Stored
as versioned text: "v1:" + base64url(nonce | ciphertext and tag).
"""

import base64
import binascii
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "v1:"
NONCE_BYTES = 12


class KeyMissing(RuntimeError):
    """No key is configured, so nothing can be encrypted or decrypted."""


class SecretUnreadable(ValueError):
    """The stored value does not decrypt: another key, altered, or moved to another record."""


@lru_cache(maxsize=8)
def _cipher(key: str, purpose: str) -> AESGCM:
    """The AES-256-GCM cipher for one purpose, its key derived from the configured text."""
    if not key:
        raise KeyMissing("no encryption key is configured")
    # The configured key is text of any length; HKDF gives each purpose its own 256-bit key.
    raw = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"prog-tracker {purpose}".encode()
    ).derive(key.encode())
    return AESGCM(raw)


def is_sealed(value: str | None) -> bool:
    """True when value is in the encrypted storage format (not plaintext)."""
    return bool(value and value.startswith(PREFIX))


def seal(key: str, purpose: str, plaintext: str, record_id: str) -> str:
    """Encrypt plaintext for storage, bound to the record it belongs to."""
    nonce = os.urandom(NONCE_BYTES)
    body = _cipher(key, purpose).encrypt(nonce, plaintext.encode(), record_id.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + body).decode("ascii")


def unseal(key: str, purpose: str, stored: str, record_id: str) -> str:
    """The plaintext of a sealed value; SecretUnreadable when it does not decrypt."""
    if not is_sealed(stored):
        raise SecretUnreadable("not in the encrypted format")
    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX) :])
        nonce, body = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        return _cipher(key, purpose).decrypt(nonce, body, record_id.encode()).decode()
    except (binascii.Error, InvalidTag, ValueError) as err:  # UnicodeDecodeError is a ValueError
        raise SecretUnreadable("does not decrypt") from err
