"""HTML pages for user administration (admins only)."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from prog_tracker.auth import admin_services
from prog_tracker.auth.models import User
from prog_tracker.auth.schemas import PasswordResetSchema, UserCreateSchema, UserPatchSchema
from prog_tracker.auth.views import admin_bp as bp
from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import (
    form_data,
    form_id,
    keep_form_errors,
    load_form,
    load_patch,
    render_form,
)
from prog_tracker.core.pagination import decode_cursor
from prog_tracker.devices import services as devices

USER_FIELDS = ("display_name", "role", "facility_id", "organisation_id", "country", "locale")
CLEARABLE = ("facility_id", "organisation_id", "country", "locale")
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "supervisor": _l("Supervisor"),
    "officer": _l("Reintegration officer"),
    "instructor": _l("Workshop instructor"),
    "caseworker": _l("Caseworker"),
}


@bp.before_request
def admins_only():
    """Every page here is for admins; anyone else gets 403."""
    policy.require(g.user, "user.manage")


@bp.context_processor
def role_labels() -> dict:
    """Translated role names for this blueprint's templates."""
    return {"role_labels": ROLE_LABELS}


@bp.route("")
def list_users():
    """Every user with role, scope, active flag and two-step sign-in state."""
    offset = decode_cursor(request.args.get("cursor"))
    users, cursor = admin_services.users_page(g.user, offset)
    next_url = url_for(".list_users", cursor=cursor) if cursor else None
    return render_template(
        "admin/users.html",
        users=users,
        next_url=next_url,
        first_url=url_for(".list_users") if offset else None,
    )


@bp.route("/new", methods=["GET", "POST"])
def new_user():
    """Create a user with a temporary password."""
    if request.method == "GET":
        return _user_page(None, {})
    submitted = _upper_country(form_data(("username", "password", *USER_FIELDS)))
    try:
        data = load_form(UserCreateSchema(), {**submitted, "id": form_id()})
        user = admin_services.create_user(g.user, data)
    except ApiError as err:
        keep_form_errors(err)
        submitted.pop("password", None)  # never echo a password into the page
        return _user_page(None, submitted, err)
    flash(_("The user is created. They choose their own password at first sign-in."), "success")
    return redirect(url_for(".edit_user", user_id=user.id))


@bp.route("/<user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    """Change a user's name, role, scope, language or active flag."""
    user = policy.get_managed_user(g.user, user_id)
    if request.method == "GET":
        return _user_page(user, _values_of(user))
    submitted = _upper_country(form_data((*USER_FIELDS, "version")))
    # An unticked checkbox sends nothing; the form always means a value.
    submitted["active"] = "true" if request.form.get("active") else "false"
    try:
        data = load_patch(UserPatchSchema(), submitted, ("display_name", "role"), CLEARABLE)
        admin_services.update_user(g.user, user, data)
    except ApiError as err:
        keep_form_errors(err)
        values = {
            **submitted,
            "version": user.version if err.status == 409 else submitted.get("version"),
        }
        return _user_page(user, values, err)
    flash(_("The changes are saved."), "success")
    return redirect(url_for(".list_users"))


@bp.route("/<user_id>/reset-password", methods=["POST"])
def reset_password(user_id):
    """Give a user a temporary password; their sessions end."""
    user = policy.get_managed_user(g.user, user_id)
    try:
        data = load_form(PasswordResetSchema(), form_data(("password",)))
        admin_services.reset_password(g.user, user, data["password"])
    except ApiError as err:
        keep_form_errors(err)
        return _user_page(user, _values_of(user), err)
    flash(
        _("The temporary password is set. The user must replace it at the next sign-in."), "success"
    )
    return redirect(url_for(".edit_user", user_id=user.id))


@bp.route("/<user_id>/reset-mfa", methods=["POST"])
def reset_mfa(user_id):
    """Clear a user's second factor; they set it up again at the next sign-in."""
    user = policy.get_managed_user(g.user, user_id)
    admin_services.reset_mfa(g.user, user)
    flash(_("Two-step sign-in is reset. The user sets it up again at the next sign-in."), "success")
    return redirect(url_for(".edit_user", user_id=user.id))


def _user_page(user: User | None, values: dict, err=None):
    """Render the new-user or edit-user page."""
    conflict = _differences(user, values) if err is not None and err.status == 409 else {}
    facilities, organisations = admin_services.scope_choices(g.user)
    return render_form(
        "admin/user_form.html",
        values,
        err,
        user=user,
        conflict=conflict,
        role_options=list(ROLE_LABELS.items()),
        facility_options=facilities,
        organisation_options=organisations,
        device_count=devices.device_count(g.user, user.id) if user else 0,
    )


def _values_of(user: User) -> dict:
    """The edit form's values for a saved user."""
    values = {name: getattr(user, name) for name in USER_FIELDS}
    return {**values, "active": "true" if user.active else "false", "version": user.version}


def _differences(user: User, values: dict) -> dict:
    """Saved values that differ from what the admin typed, after a conflict."""
    saved = _values_of(user)
    return {
        name: saved[name]
        for name in (*USER_FIELDS, "active")
        if (saved[name] or "") != (values.get(name) or "")
    }


def _upper_country(submitted: dict) -> dict:
    """Accept country codes typed in lower case."""
    if submitted.get("country"):
        submitted["country"] = submitted["country"].strip().upper()
    return submitted
