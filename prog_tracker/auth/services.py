"""Sign-in, MFA, passwords, tokens and user administration: the rules."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from prog_tracker.auth import mfa, scopes
from prog_tracker.auth.models import ROLES, ApiToken, AuthSession, User
from prog_tracker.auth.passwords import (
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from prog_tracker.auth.sessions import end_user_access, rotate_session, start_session
from prog_tracker.auth.throttle import count_failed_password_check
from prog_tracker.core import audit, events, policy
from prog_tracker.core.errors import ApiError, forbidden, validation_error
from prog_tracker.core.models import utcnow
from prog_tracker.devices import services as devices
from prog_tracker.devices.services import Registered
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db


@dataclass
class SignIn:
    """The result of a successful password (and TOTP) check."""

    user: User
    session: AuthSession
    token: str
    # The field device the sign-in registered or re-used (JSON sign-in with X-Device-Id).
    device: Registered | None = None


@dataclass
class DeviceRequest:
    """The field device a JSON sign-in names: X-Device-Id and the optional label."""

    id: str
    label: str | None = None


def update_own_settings(user: User, data: dict) -> None:
    """Save what users change about themselves (language, display name), already validated."""
    # Only these fields: the schemas of every entry point allow no others, and this
    # keeps a future field from becoming self-editable by accident.
    for key in ("locale", "display_name"):
        if key in data:
            setattr(user, key, data[key])
    db.session.commit()


def find_user(username: str) -> User | None:
    """The user with this username, ignoring case."""
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def sign_in(
    username: str, password: str, totp: str | None, device: DeviceRequest | None = None
) -> SignIn:
    """Check credentials and open a session, or raise 401 (the JSON API's one step)."""
    return finish_sign_in(check_password(username, password), totp, device)


def check_password(username: str, password: str) -> User:
    """The active user with this username and password, or a 401 (audited)."""
    user = find_user(username)
    if not verify_password(user.password_hash if user else None, password) or not user.active:
        audit.record(
            "auth.login", "user", [user.id] if user else [], actor_id=None, outcome="denied"
        )
        db.session.commit()
        raise ApiError(401, "invalid_credentials", _l("Wrong username or password."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def pending_user(user_id: str | None) -> User:
    """The account whose password was checked a moment ago (the page's second step), or 401."""
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        raise ApiError(401, "invalid_credentials", _l("Wrong username or password."))
    return user


def finish_sign_in(user: User, totp: str | None, device: DeviceRequest | None = None) -> SignIn:
    """Open a session for a user whose password is right: with a confirmed second
    factor, only once the code is right too (a wrong one is a 401, audited). A full
    sign-in naming a field device registers or re-uses it (SPEC §11)."""
    # A confirmed second factor is always asked for, whatever the role list says.
    if user.mfa_enabled and not mfa.accept_code(user, totp or ""):
        audit.record("auth.mfa", "user", [user.id], actor_id=None, outcome="denied")
        db.session.commit()
        raise ApiError(
            401, "mfa_required", _l("Enter the current code from your authenticator app.")
        )
    from prog_tracker.core import policy  # the policy module imports the auth models

    fully = user.mfa_enabled or not policy.requires_mfa(user)
    # Only a sign-in that opens the app registers its device (no set-up step owed).
    wanted = device if fully and not user.must_change_password else None
    # Refused devices (another user's, revoked, wiped) are refused before any session exists.
    known = devices.check_sign_in_device(user.id, wanted.id) if wanted else None
    row, token = start_session(user, fully_signed_in=fully)
    registered = None
    if wanted:
        registered = devices.register_at_sign_in(user, row, known, wanted.id, wanted.label)
    audit.record("auth.login", "user", [user.id], actor_id=user.id)
    db.session.commit()
    return SignIn(user, row, token, registered)


def sign_out(row: AuthSession) -> None:
    """Revoke the current session; the browsers subscribed to reminders in it stop."""
    row.revoked_at = utcnow()
    events.session_ended.send(row.id)
    audit.record("auth.logout", "user", [row.user_id], actor_id=row.user_id)
    db.session.commit()


def begin_mfa_setup(user: User) -> dict:
    """Store a new unconfirmed TOTP secret and return what the app needs."""
    if user.mfa_enabled:
        raise ApiError(
            409,
            "conflict",
            _l("Two-step sign-in is already set up."),
            extra={"current": {"mfa_enabled": True}},
        )
    user.totp_secret = mfa.new_secret()
    user.totp_last_step = None
    db.session.commit()
    return {
        "secret": user.totp_secret,
        "otpauth_uri": mfa.provisioning_uri(user.totp_secret, user.username),
    }


def pending_mfa_setup(user: User) -> dict:
    """The unconfirmed secret being set up, made on first use."""
    if user.mfa_enabled or not user.totp_secret:
        return begin_mfa_setup(user)
    return {
        "secret": user.totp_secret,
        "otpauth_uri": mfa.provisioning_uri(user.totp_secret, user.username),
    }


def confirm_mfa(user: User, row: AuthSession | None, code: str) -> str | None:
    """Confirm the pending secret; completes and rotates the session. Returns the new token."""
    if user.mfa_enabled or not user.totp_secret:
        raise validation_error({"code": [_l("Start the set-up first.")]}, code="mfa_not_started")
    if not mfa.accept_code(user, code):
        raise validation_error({"code": [_l("That code is not right; try the next one.")]})
    user.mfa_confirmed_at = utcnow()
    token = None
    if row is not None:
        row.fully_signed_in = True
        token = rotate_session(row)
    audit.record("auth.mfa_confirm", "user", [user.id], actor_id=user.id)
    db.session.commit()
    return token


def change_password(user: User, row: AuthSession | None, current: str, new: str) -> None:
    """Change one's own password; ends every other session of the user."""
    if not verify_password(user.password_hash, current):
        count_failed_password_check()  # as slow to guess here as at sign-in
        raise validation_error({"current_password": [_l("This is not your current password.")]})
    set_password(user, new)
    user.must_change_password = False
    # Whoever knew the old password may have opened sessions or made tokens.
    end_user_access(user.id, keep_session_id=row.id if row else None)
    audit.record("auth.password_change", "user", [user.id], actor_id=user.id)
    db.session.commit()


def set_password(user: User, password: str, field="new_password") -> None:
    """Hash and store a password that meets the rules."""
    problems = password_problems(password)
    if problems:
        raise validation_error({field: problems})
    user.password_hash = hash_password(password)


def create_api_token(
    user: User,
    name: str,
    scope: str | None = None,
    days: int = scopes.DEFAULT_DAYS,
    via_token: bool = False,
    token_id: str | None = None,
) -> tuple[ApiToken, str]:
    """Issue an API token (scope None: the widest the user's role may hold).

    A replay (the same token_id, name, scope and days again) answers 409: the
    secret is kept only as a hash, so it cannot be shown a second time.
    """
    from prog_tracker.auth.sessions import new_api_token
    from prog_tracker.core import creates, policy  # the policy module imports the auth models

    if via_token:
        # A leaked token must not be able to outlive its expiry by minting more.
        raise forbidden(_l("Sign in with a password to create tokens."))
    # The API and the settings page always name a scope (default read); None is
    # for the server's own callers (scripts, benchmarks) acting for the user.
    scope = scope or scopes.widest_scope(user)
    if not policy.may_hold_token(user, scope):
        raise forbidden(_l("Your role may not create full tokens."))
    body = {"id": token_id, "name": name, "scope": scope, "expires_in_days": days}
    claim = creates.claim(user, "api_token", body, "auth.token_create")
    if claim.earlier is not None:
        raise _shown_once(claim.earlier)
    row, raw = new_api_token(user, name, scope, days)
    claim.keep(row)
    try:
        db.session.flush()
    except IntegrityError:
        earlier = creates.after_clash(user, "api_token", claim.body, "auth.token_create")
        if earlier is None:
            raise
        raise _shown_once(earlier) from None
    audit.record("auth.token_create", "api_token", [row.id], actor_id=user.id)
    db.session.commit()
    return row, raw


def _shown_once(token: ApiToken) -> ApiError:
    """The answer to a replayed token create: 409 with the token, never its secret again."""
    return ApiError(
        409,
        "conflict",
        _l(
            "This token was created by your first request, and its secret was shown in "
            "that answer only. If you did not copy it, revoke this token and create another."
        ),
        record=token,
    )


def own_tokens(user: User) -> list[ApiToken]:
    """The user's own live API tokens, oldest first (as the JSON list orders them)."""
    return list(db.session.scalars(policy.visible_tokens(user)))


def revoke_api_token(user: User, token_id: str) -> None:
    """Revoke one of the user's own tokens (admins: anyone's)."""
    from prog_tracker.core import policy

    row = policy.get_token(user, token_id)
    # DELETE is idempotent: revoking again keeps the first revocation time.
    row.revoked_at = row.revoked_at or utcnow()
    audit.record("auth.token_revoke", "api_token", [row.id], actor_id=user.id)
    db.session.commit()


def check_user_scope_fields(role, facility_id, organisation_id, country) -> dict:
    """Check that a role has the scope it needs; returns field errors."""
    errors = {}
    if role not in ROLES:
        errors["role"] = [_l("Not a known role.")]
    if role in ("officer", "instructor"):
        if not facility_id or db.session.get(Facility, facility_id) is None:
            errors["facility_id"] = [_l("Officers and instructors need an existing facility.")]
    elif facility_id:
        errors["facility_id"] = [_l("Only officers and instructors belong to a facility.")]
    if role == "caseworker":
        if not organisation_id or db.session.get(Organisation, organisation_id) is None:
            errors["organisation_id"] = [_l("Caseworkers need an existing organisation.")]
    elif organisation_id:
        errors["organisation_id"] = [_l("Only caseworkers belong to an organisation.")]
    if country and role != "supervisor":
        errors["country"] = [_l("Only supervisors have a country scope.")]
    return errors
