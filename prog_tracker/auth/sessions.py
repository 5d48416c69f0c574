"""Server-side sessions and bearer tokens: the cookie holds only a random token."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, request
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from prog_tracker.auth import scopes
from prog_tracker.auth.models import ApiToken, AuthSession, User
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db

# last_seen_at is written at most this often, to spare a write per request.
TOUCH_EVERY = timedelta(seconds=60)
# Sent with every sign-out (SPEC §11): the browser drops the origin's cache and cookies.
# Not "storage": the field app's encrypted store stays for the same user's next sign-in.
CLEAR_SITE_DATA = '"cache", "cookies"'


def token_hash(token: str) -> str:
    """SHA-256 of a random token (tokens are long, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, fully_signed_in: bool) -> tuple[AuthSession, str]:
    """Create a session row for user; returns (row, raw token for the cookie)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    hours = current_app.config["SESSION_ABSOLUTE_HOURS"]
    row = AuthSession(
        token_hash=token_hash(token),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=hours),
        fully_signed_in=fully_signed_in,
        csrf_token=secrets.token_urlsafe(32),
    )
    db.session.add(row)
    return row, token


def rotate_session(row: AuthSession) -> str:
    """Give a session a new token (after MFA), so an earlier cookie stops working."""
    token = secrets.token_urlsafe(32)
    row.token_hash = token_hash(token)
    return token


def revoke_session(row: AuthSession) -> None:
    """End one session for good."""
    row.revoked_at = utcnow()


def revoke_user_sessions(user_id: str, keep_id: str | None = None) -> None:
    """End every open session of a user (optionally all but one)."""
    query = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep_id:
        query = query.where(AuthSession.id != keep_id)
    db.session.execute(query.values(revoked_at=utcnow()))


def revoke_device_sessions(device_id: str, **_signal) -> None:
    """End every open session signed in from a device (it was revoked)."""
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.device_id == device_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user_tokens(user_id: str) -> None:
    """Revoke every live API token of a user."""
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def end_user_access(user_id: str, keep_session_id: str | None = None) -> None:
    """End a user's sessions (but keep_session_id) and tokens: credentials or scope changed."""
    revoke_user_sessions(user_id, keep_id=keep_session_id)
    revoke_user_tokens(user_id)


def session_from_cookie() -> AuthSession | None:
    """The live session named by the request's cookie, if any."""
    token = request.cookies.get(current_app.config["AUTH_COOKIE_NAME"])
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(select(AuthSession).where(AuthSession.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if now >= row.expires_at or now - row.last_seen_at >= idle:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return row


def token_from_header() -> ApiToken | None:
    """The live API token named by an Authorization: Bearer header, if any."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    raw = header[len("Bearer ") :].strip()
    if not raw or len(raw) > 200:
        return None
    # One query for the token and its user: this runs on every API request.
    query = select(ApiToken).options(joinedload(ApiToken.user))
    row = db.session.scalar(query.where(ApiToken.token_hash == token_hash(raw)))
    # An expired token is treated exactly like an unknown one.
    if row is None or row.revoked_at is not None or row.expired:
        return None
    return row if token_user_fit(row.user) else None


def token_user_fit(user: User) -> bool:
    """Tokens work only for active users who owe no password change or MFA set-up."""
    if not user.active or user.must_change_password:
        return False
    from prog_tracker.core import policy  # the policy module imports the auth models

    return user.mfa_enabled or not policy.requires_mfa(user)


def load_request_user() -> User | None:
    """Flask-Login request loader: bearer token first, then the session cookie."""
    g.auth_session = None
    if g.get("token_out_of_scope"):
        return None  # already refused: an error page rendered after it finds nobody
    g.api_token = token_from_header()
    if g.api_token is not None:
        require_token_scope(g.api_token)
        return g.api_token.user
    g.auth_session = session_from_cookie()
    return g.auth_session.user if g.auth_session else None


def require_token_scope(row: ApiToken) -> None:
    """Refuse (403) a request outside the token's scope: the one place scopes are enforced."""
    from prog_tracker.core import policy  # the policy module imports the auth models

    if policy.token_allows(row.scope, request.method, request.endpoint, request.path):
        return
    g.token_out_of_scope = True
    g.api_token = None
    raise scopes.refusal(row.scope)


def new_api_token(user: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """Create an API token of a scope, ending in days; returns (row, raw token shown once)."""
    raw = "ptk_" + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=token_hash(raw),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(row)
    return row, raw


def set_session_cookie(response, token: str) -> None:
    """Attach the session cookie with the hardened attributes."""
    cfg = current_app.config
    response.set_cookie(
        cfg["AUTH_COOKIE_NAME"],
        token,
        httponly=True,
        samesite="Lax",
        secure=cfg["AUTH_COOKIE_SECURE"],
        path="/",
        max_age=int(cfg["SESSION_ABSOLUTE_HOURS"]) * 3600,
    )


def clear_session_cookie(response) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(current_app.config["AUTH_COOKIE_NAME"], path="/")
