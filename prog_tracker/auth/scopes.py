"""API token scopes and lifetimes: what a bearer token may do, and for how long.

A scope only narrows: a token never does more than its user may. `read` is
GET/HEAD; `sync` adds what a field device writes (its sync outbox and where
its reminders go); `full` is everything the user may do. The policy decides
(core/policy/tokens.py); the check runs where bearer tokens are authenticated
(sessions.load_request_user), not per route.
"""

from flask_babel import lazy_gettext as _l

from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError, forbidden

READ, SYNC, FULL = policy.tokens.READ, policy.tokens.SYNC, policy.tokens.FULL
SCOPES = (READ, SYNC, FULL)
# Least privilege: an integration that writes says so when its token is made.
DEFAULT_SCOPE = READ
DEFAULT_DAYS = 90
# A year at most: a forgotten token ends within a year of being made.
MAX_DAYS = 365
SCOPE_LABELS = {
    READ: _l("Read only"),
    SYNC: _l("Read and sync (field devices)"),
    FULL: _l("Full: everything you may do"),
}


def refusal(scope: str) -> ApiError:
    """The 403 for a request outside a token's scope, naming the scope."""
    return forbidden(
        _l("This API token's scope is “%(scope)s”: it does not allow this request.", scope=scope)
    )


def widest_scope(user) -> str:
    """The widest scope the user's role may be given."""
    return FULL if policy.may_hold_token(user, FULL) else SYNC


def scope_choices(user) -> list[tuple[str, str]]:
    """(scope, label) pairs the settings page offers this user."""
    return [(scope, SCOPE_LABELS[scope]) for scope in SCOPES if policy.may_hold_token(user, scope)]
