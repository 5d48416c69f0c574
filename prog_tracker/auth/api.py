"""JSON routes for sign-in, MFA, passwords and API tokens."""

from flask import after_this_request, g
from flask_smorest import Blueprint

from prog_tracker.auth import services
from prog_tracker.auth.models import ApiToken
from prog_tracker.auth.schemas import (
    LoginAnswerSchema,
    LoginSchema,
    MfaConfirmSchema,
    MfaSetupSchema,
    NewTokenSchema,
    PasswordChangeSchema,
    SessionInfoSchema,
    SettingsSchema,
    TokenCreateSchema,
    TokenInfoSchema,
)
from prog_tracker.auth.sessions import CLEAR_SITE_DATA, clear_session_cookie, set_session_cookie
from prog_tracker.auth.throttle import login_limits, password_check_limits, remember_device
from prog_tracker.core import policy
from prog_tracker.core.errors import register_representer
from prog_tracker.core.pagination import page_of
from prog_tracker.core.schemas import ListQuerySchema, page_schema
from prog_tracker.core.security import csrf_exempt_json, public
from prog_tracker.devices.headers import DEVICE_PARAMETER, requested_device_id
from prog_tracker.devices.services import device_policy

blp = Blueprint(
    "auth_api",
    __name__,
    url_prefix="/api/v1/auth",
    description="Sign-in, two-step verification and API tokens",
)
# A replayed token create answers 409 with the token as listed: never its secret.
register_representer(ApiToken, TokenInfoSchema().dump)


def session_info(user, auth_session) -> dict:
    """The body of login and /auth/me."""
    return {
        "user": user,
        "csrf_token": auth_session.csrf_token if auth_session else None,
        "mfa_setup_required": bool(auth_session and not auth_session.fully_signed_in),
        "password_change_required": user.must_change_password,
        "device_policy": device_policy(),
    }


def _device_request(data: dict) -> services.DeviceRequest | None:
    """The field device a sign-in names (X-Device-Id: 422 when not a UUID), or None."""
    device_id = requested_device_id()
    return services.DeviceRequest(device_id, data.get("device_label")) if device_id else None


@blp.route("/login", methods=["POST"])
@blp.arguments(LoginSchema)
@blp.response(200, LoginAnswerSchema)
@blp.doc(security=[], parameters=[DEVICE_PARAMETER])  # public: needs no credentials
@public
@csrf_exempt_json
@login_limits
def login(data):
    """Sign in with username, password and (for MFA users) a TOTP code.

    The field app sends its store's id in `X-Device-Id`: a full sign-in registers
    or re-uses that device and the answer holds it with its escrow `key`. Another
    user's device or a wiped one answers 409 (`device_other_user`, `device_wiped`),
    a revoked one 401 `device_revoked` with a `receipt_token`; no session opens.
    """
    device = _device_request(data)
    result = services.sign_in(data["username"], data["password"], data.get("totp"), device)
    previous = g.get("auth_session")
    if previous is not None and previous.id != result.session.id:
        services.sign_out(previous)  # this browser's earlier session: its cookie is replaced
    after_this_request(lambda response: _with_cookies(response, result))
    answer = session_info(result.user, result.session)
    if result.device is not None:
        answer["device"] = result.device.shown()
    return answer


def _with_cookies(response, result):
    """Attach the session and known-device cookies to a response."""
    set_session_cookie(response, result.token)
    remember_device(response, result.user.username)
    return response


def _with_session_cookie(response, token):
    """Attach a rotated session cookie to a response."""
    set_session_cookie(response, token)
    return response


@blp.route("/logout", methods=["POST"])
@blp.response(204)
def logout():
    """End the current session on the server."""
    if g.get("auth_session") is not None:
        services.sign_out(g.auth_session)

    @after_this_request
    def _clear(response):
        clear_session_cookie(response)
        response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


@blp.route("/me", methods=["GET"])
@blp.response(200, SessionInfoSchema)
def me():
    """Who is signed in, and the CSRF token to send with changes."""
    return session_info(g.user, g.get("auth_session"))


@blp.route("/me", methods=["PATCH"])
@blp.arguments(SettingsSchema)
@blp.response(200, SessionInfoSchema)
def update_me(data):
    """Change one's own language or display name."""
    services.update_own_settings(g.user, data)
    return session_info(g.user, g.get("auth_session"))


@blp.route("/mfa/setup", methods=["POST"])
@blp.response(200, MfaSetupSchema)
def mfa_setup():
    """Start TOTP set-up: a new secret to scan."""
    return services.begin_mfa_setup(g.user)


@blp.route("/mfa/confirm", methods=["POST"])
@blp.arguments(MfaConfirmSchema)
@blp.response(204)
def mfa_confirm(data):
    """Confirm TOTP with a first code; the session becomes fully signed in."""
    token = services.confirm_mfa(g.user, g.get("auth_session"), data["code"])
    if token:
        after_this_request(lambda response: _with_session_cookie(response, token))


@blp.route("/password", methods=["POST"])
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
@password_check_limits
def change_password(data):
    """Change one's own password; other sessions end."""
    services.change_password(
        g.user, g.get("auth_session"), data["current_password"], data["new_password"]
    )


@blp.route("/tokens", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, page_schema(TokenInfoSchema, "TokenPage"))
def list_tokens(_args):
    """The caller's live API tokens (never their secrets)."""
    return page_of(policy.visible_tokens(g.user))


@blp.route("/tokens", methods=["POST"])
@blp.arguments(TokenCreateSchema)
@blp.response(201, NewTokenSchema)
def create_token(data):
    """Create an API token; the secret is shown this once."""
    via_token = g.get("api_token") is not None
    row, raw = services.create_api_token(
        g.user, data["name"], data["scope"], data["expires_in_days"], via_token, data.get("id")
    )
    shown = ("id", "name", "scope", "created_at", "expires_at", "expired", "last_used_at")
    return {**{key: getattr(row, key) for key in shown}, "token": raw}


@blp.route("/tokens/<token_id>", methods=["DELETE"])
@blp.response(204)
def delete_token(token_id):
    """Revoke an API token."""
    services.revoke_api_token(g.user, token_id)
