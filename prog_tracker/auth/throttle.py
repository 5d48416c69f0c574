"""Throttling of failed sign-ins, shared by the JSON and HTML sign-in routes.

Three moving windows count failed attempts only: per address, per (account,
address) and per account. The per-account window is what stops a password
being guessed from many addresses, but it would also let anyone lock a real
user out; so a browser that has signed in to the account before (it holds
a signed "known device" cookie naming the account) is exempt from it and
only meets the windows keyed on its own address.
"""

import hashlib
import hmac

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from prog_tracker.extensions import client_address, limiter

DEVICE_COOKIE = "pt_device"
DEVICE_DAYS = 180
# A shared tablet may be used by a few people; remember this many accounts.
DEVICE_ACCOUNTS = 10


def _attempted_username() -> str:
    """The username of the sign-in attempt being made, folded."""
    data = request.get_json(silent=True) if request.is_json else request.form
    username = data.get("username") if hasattr(data, "get") else None
    return str(username or "").strip().lower()[:200]


def account_tag(username: str) -> str:
    """A keyed digest of a username: rate-limit keys and cookies hold no names."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, username.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def login_account_key() -> str:
    """Rate-limit key for one account, whatever address the attempts come from."""
    return "login-account:" + account_tag(_attempted_username())


def login_account_address_key() -> str:
    """Rate-limit key for one account tried from one address."""
    return f"login-account-address:{account_tag(_attempted_username())}:{client_address()}"


def _serializer() -> URLSafeTimedSerializer:
    """Signs the known-device cookie with the app's secret key."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _device_tags() -> list[str]:
    """The account tags the request's known-device cookie vouches for."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or len(raw) > 2000:
        return []
    try:
        tags = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return []
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def from_known_device() -> bool:
    """True when this browser signed in to the attempted account before."""
    return account_tag(_attempted_username()) in _device_tags()


def remember_device(response, username: str) -> None:
    """After a successful sign-in: mark this browser as known for the account."""
    tag = account_tag(username)
    others = [t for t in _device_tags() if t != tag]
    tags = [*others[-(DEVICE_ACCOUNTS - 1) :], tag]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(tags),
        httponly=True,
        samesite="Lax",
        secure=current_app.config["AUTH_COOKIE_SECURE"],
        path="/",
        max_age=DEVICE_DAYS * 86400,
    )


def failed_sign_in(response) -> bool:
    """Only failed attempts count, so a flood of them cannot lock out a real user for long."""
    return response.status_code == 401


def _configured(key):
    """A limit read from the config at request time (tests and operators may change it)."""
    return lambda: current_app.config[key]


def login_limits(view):
    """Throttle failed sign-ins per account, per (account, address) and per address."""
    # Shared limits: the JSON and the HTML sign-in count against the same buckets.
    view = limiter.shared_limit(
        _configured("LOGIN_LIMIT_PER_ACCOUNT"),
        scope="login-account",
        key_func=login_account_key,
        deduct_when=failed_sign_in,
        exempt_when=from_known_device,
    )(view)
    view = limiter.shared_limit(
        _configured("LOGIN_LIMIT_PER_ACCOUNT_ADDRESS"),
        scope="login-account-address",
        key_func=login_account_address_key,
        deduct_when=failed_sign_in,
    )(view)
    return limiter.shared_limit(
        _configured("LOGIN_LIMIT_PER_ADDRESS"), scope="login-address", deduct_when=failed_sign_in
    )(view)
