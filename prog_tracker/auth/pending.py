"""The sign-in page's second step: whose password was right a moment ago, and until when.

An account with two-step sign-in gives its password first, then the code. Between
the two, the Flask session (signed, so the browser cannot change it) holds only
the account's id and a deadline a few minutes away, never the password; no
sign-in session exists until the code is right. The state goes on success, on
expiry, and whenever the sign-in page is opened afresh.
"""

import time

from flask import session

PENDING_KEY = "mfa_pending"
# Long enough to open the authenticator app; short enough not to linger.
PENDING_SECONDS = 300


def _now() -> float:
    """Seconds since the epoch (a function, so tests can move the clock)."""
    return time.time()


def hold(user_id: str) -> None:
    """Remember that user_id gave the right password; the code is asked for next."""
    session[PENDING_KEY] = {"user": user_id, "until": _now() + PENDING_SECONDS}


def held_user_id() -> str | None:
    """The account waiting for its code, or None (an expired state is dropped)."""
    state = session.get(PENDING_KEY)
    if not isinstance(state, dict):
        return None
    until = state.get("until")
    if not isinstance(until, int | float) or until < _now():
        release()
        return None
    user_id = state.get("user")
    return user_id if isinstance(user_id, str) else None


def release() -> None:
    """Forget the waiting account (signed in, expired, or starting again)."""
    session.pop(PENDING_KEY, None)
