"""Throttling of failed sign-ins, shared by the JSON and HTML sign-in routes."""

from flask import current_app, request

from prog_tracker.extensions import limiter


def login_account_key() -> str:
    """Rate-limit key for one account, whatever address the attempts come from."""
    data = request.get_json(silent=True) if request.is_json else request.form
    username = data.get("username") if isinstance(data, dict) or hasattr(data, "get") else None
    return "login-account:" + str(username or "").strip().lower()[:200]


def failed_sign_in(response) -> bool:
    """Only failed attempts count, so a flood of them cannot lock out a real user for long."""
    return response.status_code == 401


def _configured(key):
    """A limit read from the config at request time (tests and operators may change it)."""
    return lambda: current_app.config[key]


def login_limits(view):
    """Throttle failed sign-ins per account and per address (moving windows of minutes)."""
    # Shared limits: the JSON and the HTML sign-in count against the same buckets.
    view = limiter.shared_limit(
        _configured("LOGIN_LIMIT_PER_ACCOUNT"),
        scope="login-account",
        key_func=login_account_key,
        deduct_when=failed_sign_in,
    )(view)
    return limiter.shared_limit(
        _configured("LOGIN_LIMIT_PER_ADDRESS"), scope="login-address", deduct_when=failed_sign_in
    )(view)
