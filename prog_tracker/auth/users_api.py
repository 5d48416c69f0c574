"""JSON routes for user administration (admins only)."""

from flask import g
from flask_smorest import Blueprint

from prog_tracker.auth import admin_services
from prog_tracker.auth.models import User
from prog_tracker.auth.schemas import (
    PasswordResetSchema,
    UserCreateSchema,
    UserPatchSchema,
    UserSchema,
)
from prog_tracker.core import policy
from prog_tracker.core.errors import register_representer
from prog_tracker.core.pagination import page_of
from prog_tracker.core.schemas import ListQuerySchema, page_schema

blp = Blueprint(
    "users_api", __name__, url_prefix="/api/v1/users", description="User administration"
)


UserPageSchema = page_schema(UserSchema, "UserPage")
register_representer(User, UserSchema().dump)


@blp.route("", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, UserPageSchema)
def list_users(_args):
    """Every user (admin)."""
    policy.require(g.user, "user.manage")
    return page_of(policy.managed_users(g.user))


@blp.route("", methods=["POST"])
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user(data):
    """Create a user with a temporary password."""
    policy.require(g.user, "user.manage")
    return admin_services.create_user(g.user, data)


def _load(user_id) -> User:
    """The user named in the path, for an admin."""
    policy.require(g.user, "user.manage")
    return policy.get_managed_user(g.user, user_id)


@blp.route("/<user_id>", methods=["GET"])
@blp.response(200, UserSchema)
def get_user(user_id):
    """One user."""
    return _load(user_id)


@blp.route("/<user_id>", methods=["PATCH"])
@blp.arguments(UserPatchSchema)
@blp.response(200, UserSchema)
def update_user(data, user_id):
    """Change a user; `active: false` ends their sessions."""
    return admin_services.update_user(g.user, _load(user_id), data)


@blp.route("/<user_id>/reset-password", methods=["POST"])
@blp.arguments(PasswordResetSchema)
@blp.response(200, UserSchema)
def reset_password(data, user_id):
    """Give a user a temporary password to replace at next sign-in."""
    user = _load(user_id)
    admin_services.reset_password(g.user, user, data["password"])
    return user


@blp.route("/<user_id>/reset-mfa", methods=["POST"])
@blp.response(200, UserSchema)
def reset_mfa(user_id):
    """Clear a user's second factor."""
    user = _load(user_id)
    admin_services.reset_mfa(g.user, user)
    return user
