"""User administration by admins: create, change, deactivate, reset."""

from flask_babel import lazy_gettext as _l

from prog_tracker.auth.models import User
from prog_tracker.auth.services import check_user_scope_fields, find_user, set_password
from prog_tracker.auth.sessions import end_user_access
from prog_tracker.core import audit, creates, policy
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.errors import validation_error
from prog_tracker.core.localised import country_name, with_country
from prog_tracker.core.pagination import paginate
from prog_tracker.devices import services as devices
from prog_tracker.extensions import db

SCOPE_FIELDS = ("role", "facility_id", "organisation_id", "country")
# Users per page of the admin's list (the JSON list takes ?limit instead).
PAGE_SIZE = 50


def users_page(actor: User, offset: int) -> tuple[list[User], str | None]:
    """One page of the users the admin manages, in the JSON list's order, and the next cursor."""
    return paginate(db.session, policy.managed_users(actor), PAGE_SIZE, offset)


def scope_choices(actor: User) -> tuple[list, list]:
    """(id, "name (country)") of the facilities and of the organisations a user may be given."""
    facilities = db.session.scalars(policy.visible_facilities(actor))
    organisations = db.session.scalars(policy.visible_organisations(actor))
    return (
        [(f.id, f"{f.name} ({country_name(f.country)})") for f in facilities],
        [(o.id, with_country(o)) for o in organisations],
    )


@creates.replayable("user", "user.create")
def create_user(actor: User | None, data: dict) -> User:
    """Create a user after checking the username and the role's scope."""
    claim = creates.claim(actor, "user", data, "user.create")
    if claim.earlier is not None:
        return claim.earlier  # before the username check, which its own user would fail
    if find_user(data["username"]) is not None:
        raise validation_error({"username": [_l("This username is taken.")]})
    errors = check_user_scope_fields(*(data.get(k) for k in SCOPE_FIELDS))
    if errors:
        raise validation_error(errors)
    password = data.pop("password")
    user = User(**data)
    set_password(user, password, field="password")
    # Someone else chose this password, so the user replaces it at first sign-in.
    user.must_change_password = actor is not None
    claim.keep(user)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", "user", [user.id], actor_id=actor.id if actor else None)
    db.session.commit()
    return user


def update_user(actor: User, user: User, data: dict) -> User:
    """Change a user; deactivation ends every session of theirs at once and revokes
    their field devices (each erases itself at its next sync)."""
    check_version(user, data.pop("version", None))
    renamed = "username" in data and data["username"].lower() != user.username.lower()
    if renamed and find_user(data["username"]) is not None:
        raise validation_error({"username": [_l("This username is taken.")]})
    merged = {k: data.get(k, getattr(user, k)) for k in SCOPE_FIELDS}
    errors = check_user_scope_fields(*(merged[k] for k in SCOPE_FIELDS))
    if errors:
        raise validation_error(errors)
    if data.get("active") is False and user.id == actor.id:
        raise validation_error(
            {"active": [_l("You cannot deactivate yourself.")]}, code="cannot_deactivate_self"
        )
    scope_changed = any(k in data and data[k] != getattr(user, k) for k in SCOPE_FIELDS)
    for key, value in data.items():
        setattr(user, key, value)
    if data.get("active") is False or scope_changed:
        end_user_access(user.id)
    if data.get("active") is False:
        devices.revoke_user_devices(actor, user.id)
    audit.record("user.update", "user", [user.id], actor_id=actor.id)
    commit_or_conflict(user)
    return user


def reset_password(actor: User, user: User, password: str) -> None:
    """Set a temporary password the user must replace at the next sign-in."""
    set_password(user, password, field="password")
    user.must_change_password = True
    end_user_access(user.id)
    audit.record("user.password_reset", "user", [user.id], actor_id=actor.id)
    db.session.commit()


def reset_mfa(actor: User, user: User) -> None:
    """Clear a user's second factor; they set it up again at the next sign-in."""
    user.totp_secret = None
    user.mfa_confirmed_at = None
    user.totp_last_step = None
    end_user_access(user.id)
    audit.record("user.mfa_reset", "user", [user.id], actor_id=actor.id)
    db.session.commit()
