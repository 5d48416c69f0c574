"""TOTP second factor (pyotp), each code accepted once only; secrets encrypted at rest."""

import logging
import time

import pyotp
from flask import current_app

from prog_tracker.core import secrets_at_rest

ISSUER = "prog-tracker"
STEP_SECONDS = 30
# Names the derived key, so the MFA key could never decrypt another kind of secret.
PURPOSE = "totp-secret"

log = logging.getLogger("prog_tracker.mfa")


def new_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def _key(key: str | None) -> str:
    """The MFA key given, or the app's; a clear error when there is none."""
    key = key if key is not None else current_app.config.get("MFA_KEY", "")
    if not key:
        raise secrets_at_rest.KeyMissing(
            "PROG_TRACKER_MFA_KEY is not set; run `prog-tracker init` or set it in the environment"
        )
    return key


def seal_secret(user_id: str, secret: str, key: str | None = None) -> str:
    """The TOTP secret encrypted for the users table, bound to its user."""
    return secrets_at_rest.seal(_key(key), PURPOSE, secret, user_id)


def unseal_secret(user_id: str, stored: str, key: str | None = None) -> str:
    """The plain TOTP secret of a stored value; SecretUnreadable when it does not decrypt."""
    return secrets_at_rest.unseal(_key(key), PURPOSE, stored, user_id)


def readable_secret(user_id: str, stored: str | None) -> str | None:
    """The plain secret, or None when there is none or it does not decrypt (logged)."""
    if not stored:
        return None
    try:
        return unseal_secret(user_id, stored)
    except (secrets_at_rest.SecretUnreadable, secrets_at_rest.KeyMissing):
        # MFA is misconfigured for this user: refuse their codes rather than fail the
        # request. The id only: no secret, no name in the log.
        log.warning(
            "TOTP secret of user %s does not decrypt (MFA key wrong or missing, or row altered)",
            user_id,
        )
        return None


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code equals code (allowing one step of drift), or None."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int((now if now is not None else time.time()) // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def accept_code(user, code: str, secret: str | None = None) -> bool:
    """Check code for user and burn its time step so it cannot be replayed."""
    secret = secret or user.totp_secret
    # No readable secret accepts no code: an empty one would make codes anyone can compute.
    step = matching_step(secret, code) if secret else None
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True
