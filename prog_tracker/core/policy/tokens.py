"""What an API token may do (SPEC §4): the scope of a bearer request, decided here.

A token is for an integration or a field device talking to the JSON API: it
never opens the server's pages (a page such as the two-step set-up would
otherwise hand a read-only token a secret to plant), and never manages the
second factor. Within the API a scope only narrows what the user may do:
`read` reads, `sync` adds what a field device writes, `full` is everything.
"""

from prog_tracker.core.policy.actions import may

__all__ = ["may_hold_token", "token_allows"]

READ, SYNC, FULL = "read", "sync", "full"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What a field device writes besides reading: its outbox, and where reminders go.
SYNC_ENDPOINTS = frozenset(
    {"sync_api.push", "push_api.create_subscription", "push_api.delete_subscription"}
)
# The second factor is set up with a password sign-in only.
SESSION_ONLY_ENDPOINTS = frozenset({"auth_api.mfa_setup", "auth_api.mfa_confirm"})
API_PREFIX = "/api/"


def token_allows(scope: str, method: str, endpoint: str | None, path: str) -> bool:
    """True when a bearer token of this scope may make this request."""
    if not path.startswith(API_PREFIX) or endpoint in SESSION_ONLY_ENDPOINTS:
        return False
    # No endpoint: the URL matched nothing, so the answer is a 404/405 anyway.
    if scope == FULL or method in SAFE_METHODS or endpoint is None:
        return True
    return scope == SYNC and endpoint in SYNC_ENDPOINTS


def may_hold_token(user, scope: str) -> bool:
    """True when the user's role may be given a token of this scope (full: admins and
    supervisors)."""
    return scope != FULL or may(user, "api_token.create_full")
