"""Throttling of password guesses: failed sign-ins and wrong current passwords.

Sign-in (JSON and HTML) and the password change (JSON, bearer or session, and
HTML) count against the same buckets.

Three moving windows count failed attempts only: per address, per (account,
address) and per account. The per-account window is what stops a password
being guessed from many addresses, but it would also let anyone lock a real
user out; so a browser that has signed in to the account before (it holds
a signed "known device" cookie naming the account) is exempt from it and
only meets the windows keyed on its own address.
"""

import hashlib
import hmac

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from prog_tracker.auth import pending
from prog_tracker.auth.models import User
from prog_tracker.extensions import client_address, db, limiter

DEVICE_COOKIE = "pt_device"
DEVICE_DAYS = 180
# A shared tablet may be used by a few people; remember this many accounts.
DEVICE_ACCOUNTS = 10


def _attempted_username() -> str:
    """The username of the sign-in attempt being made, folded: the one typed, or on the
    page's second step (a code alone) the account whose password was right."""
    if not request.is_json and request.form.get("step") == "code":
        # The code step's bucket is the waiting account's, whatever username is sent
        # with it: a name added to the form must not move the guesses to another bucket.
        username = _waiting_username()
    else:
        data = request.get_json(silent=True) if request.is_json else request.form
        username = data.get("username") if hasattr(data, "get") else None
        if not username and not request.is_json:
            username = _waiting_username()
    return str(username or "").strip().lower()[:200]


def _waiting_username() -> str | None:
    """The username of the account waiting for its code on the sign-in page, if any."""
    user_id = pending.held_user_id()
    user = db.session.get(User, user_id) if user_id else None
    return user.username if user is not None else None


def account_tag(username: str) -> str:
    """A keyed digest of a username: rate-limit keys and cookies hold no names."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, username.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def _signed_in_username() -> str:
    """The username of the signed-in user whose current password is being checked."""
    user = g.get("user")
    return user.username.strip().lower() if user is not None else ""


def _account_keys(username_of):
    """Rate-limit key functions for one account, and for one account from one address."""

    def account() -> str:
        return "login-account:" + account_tag(username_of())

    def account_address() -> str:
        return f"login-account-address:{account_tag(username_of())}:{client_address()}"

    return account, account_address


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


def _known_device_for(username_of):
    """A check: has this browser signed in to the account named by username_of before?"""
    return lambda: account_tag(username_of()) in _device_tags()


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


def failed_password_check(_response) -> bool:
    """True when this request checked a current password and it was wrong."""
    return bool(g.get("password_check_failed"))


def count_failed_password_check() -> None:
    """Note that the current password given was wrong: the throttle counts it."""
    g.password_check_failed = True


def _configured(key):
    """A limit read from the config at request time (tests and operators may change it)."""
    return lambda: current_app.config[key]


def _guess_limits(view, username_of, failed):
    """Throttle failed password guesses per account, per (account, address) and per address."""
    account, account_address = _account_keys(username_of)
    # Shared limits: every place a password is checked counts against the same buckets.
    view = limiter.shared_limit(
        _configured("LOGIN_LIMIT_PER_ACCOUNT"),
        scope="login-account",
        key_func=account,
        deduct_when=failed,
        exempt_when=_known_device_for(username_of),
    )(view)
    view = limiter.shared_limit(
        _configured("LOGIN_LIMIT_PER_ACCOUNT_ADDRESS"),
        scope="login-account-address",
        key_func=account_address,
        deduct_when=failed,
    )(view)
    return limiter.shared_limit(
        _configured("LOGIN_LIMIT_PER_ADDRESS"), scope="login-address", deduct_when=failed
    )(view)


def login_limits(view):
    """Throttle failed sign-ins (JSON and HTML alike)."""
    return _guess_limits(view, _attempted_username, failed_sign_in)


def password_check_limits(view):
    """Throttle wrong current passwords given to change a password, as sign-ins are.

    The same buckets as sign-in: someone holding a session or a token gains no
    extra guesses by trying the current password here instead of at sign-in.
    """
    return _guess_limits(view, _signed_in_username, failed_password_check)
