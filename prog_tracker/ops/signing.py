"""The backup signature: HMAC-SHA256 over the manifest and over the payload.

A checksum alone proves nothing: whoever edits a backup (a consent made active
again, a trigger added) recomputes it. The signature needs a key only the
installation holds, derived from the audit key, which is kept apart from the
backups already (README) and which a restore needs anyway for the restored
audit trail to verify. The audit key itself only ever keys the audit chain.
"""

import hashlib
import hmac
from pathlib import Path

ALGORITHM = "HMAC-SHA256"
# The derived key's purpose and version: a new scheme takes a new label, hence a new key.
PURPOSE = b"prog-tracker backup v1"
# Each signed thing is tagged so a manifest's signature never passes for a payload's.
MANIFEST_TAG, PAYLOAD_TAG = b"manifest\x00", b"payload\x00"
CHUNK = 1024 * 1024


def backup_key(audit_key: str) -> bytes:
    """The key that signs backups, derived from the audit key for this purpose only."""
    return hmac.new(audit_key.encode(), PURPOSE, hashlib.sha256).digest()


def manifest_signature(key: bytes, body: bytes) -> str:
    """The hex signature of a manifest's exact bytes."""
    return hmac.new(key, MANIFEST_TAG + body, hashlib.sha256).hexdigest()


def manifest_signed(key: bytes, body: bytes, signature: bytes) -> bool:
    """True when signature is the manifest's (compared in constant time)."""
    expected = manifest_signature(key, body).encode()
    return hmac.compare_digest(expected, signature.strip())


class PayloadDigests:
    """The payload's SHA-256 (damage) and signature (tampering), fed in one pass."""

    def __init__(self, key: bytes):
        self._sha256 = hashlib.sha256()
        self._hmac = hmac.new(key, PAYLOAD_TAG, hashlib.sha256)

    def update(self, chunk: bytes) -> None:
        """Feed the next bytes of the payload."""
        self._sha256.update(chunk)
        self._hmac.update(chunk)

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of what was fed."""
        return self._sha256.hexdigest()

    @property
    def signature(self) -> str:
        """The hex signature of what was fed."""
        return self._hmac.hexdigest()

    def signed(self, expected: str) -> bool:
        """True when expected is the signature of what was fed (constant time)."""
        return hmac.compare_digest(self.signature.encode(), str(expected).encode())


def payload_digests(key: bytes, path: Path) -> PayloadDigests:
    """The digests of a payload file, read in chunks."""
    digests = PayloadDigests(key)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digests.update(chunk)
    return digests
