"""Stable pseudonyms for exports: the same person reads the same in every dataset.

A pseudonym is an HMAC-SHA256 of the participant id under a key derived from
the app's SECRET_KEY with a fixed label, so analysts can join the datasets of
one deployment while nobody without the secret can go back from a pseudonym to
the id (the ids are random UUIDs, but the pseudonym must not depend on that).
Rotating SECRET_KEY changes every pseudonym.
"""

import hashlib
import hmac

from flask import current_app

# Changing the label gives every person a new pseudonym: bump it only on purpose.
LABEL = b"prog-tracker export pseudonym v1"
# Crockford's base32 (no I, L, O, U): easy to read aloud and to type.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# 12 characters = 60 bits: among a million people a collision has odds of about 1 in 2 million.
CHARS = 12


def pseudonym_key(secret_key: str | bytes) -> bytes:
    """The pseudonym key derived from a secret key (never the secret key itself)."""
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(secret, LABEL, hashlib.sha256).digest()


def encode(digest: bytes) -> str:
    """The first 60 bits of a digest as XXXX-XXXX-XXXX in Crockford's base32."""
    number = int.from_bytes(digest[:8], "big") >> (64 - 5 * CHARS)
    chars = [ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CHARS))]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, CHARS, 4))


class Pseudonyms:
    """Pseudonyms under one key, remembered for the people already seen in an export."""

    def __init__(self, secret_key: str | bytes | None = None):
        self._key = pseudonym_key(secret_key or current_app.config["SECRET_KEY"])
        self._seen: dict[str, str] = {}

    def __call__(self, participant_id: str) -> str:
        """The pseudonym of one participant id."""
        found = self._seen.get(participant_id)
        if found is None:
            digest = hmac.new(self._key, participant_id.encode(), hashlib.sha256).digest()
            found = self._seen[participant_id] = encode(digest)
        return found
