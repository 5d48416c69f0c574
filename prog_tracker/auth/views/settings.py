"""One's own settings page: language, display name, field devices and API tokens."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.auth import scopes, services
from prog_tracker.auth.schemas import SettingsSchema, TokenCreateSchema
from prog_tracker.auth.views import bp
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import form_data, form_id, keep_form_errors, load_form, render_form
from prog_tracker.core.i18n import LOCALES, forget_locale, remember_locale
from prog_tracker.devices import services as devices


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Language and display name; links to password and MFA; API tokens."""
    values = {"locale": g.user.locale, "display_name": g.user.display_name}
    if request.method == "GET":
        return _settings_page(values)
    submitted = form_data(("locale", "display_name"))
    try:
        data = load_form(SettingsSchema(), submitted)
    except ApiError as err:
        return _settings_page(submitted, err)
    data.setdefault("locale", None)
    services.update_own_settings(g.user, data)
    flash(_("Your settings are saved."), "success")
    response = redirect(url_for("auth.settings"))
    # The settings page and the switcher say the same thing: the latest choice holds.
    if g.user.locale:
        remember_locale(response, g.user.locale)
    else:
        forget_locale(response)  # "Same as my browser"
    return response


def _settings_page(values: dict, err: ApiError | None = None, token_values=None):
    """The settings page: profile form, security links, devices and the API token section."""
    new_token = {"scope": scopes.DEFAULT_SCOPE, "expires_in_days": scopes.DEFAULT_DAYS}
    return render_form(
        "auth/settings.html",
        {**values, **(token_values or new_token)},
        err,
        locales=LOCALES,
        tokens=services.own_tokens(g.user),
        my_devices=devices.own_devices(g.user),
        scope_options=scopes.scope_choices(g.user),
        scope_labels=scopes.SCOPE_LABELS,
        max_days=scopes.MAX_DAYS,
    )


@bp.route("/settings/tokens", methods=["POST"])
def create_token():
    """Create an API token from the settings page; its secret is shown this once."""
    submitted = form_data(("name", "scope", "expires_in_days"))
    days = submitted.get("expires_in_days")
    if days is not None and days.strip().isdigit():
        submitted["expires_in_days"] = int(days)
    try:
        data = load_form(TokenCreateSchema(), submitted)
        via_token = g.get("api_token") is not None
        row, raw = services.create_api_token(
            g.user, data["name"], data["scope"], data["expires_in_days"], via_token, form_id()
        )
    except ApiError as err:
        keep_form_errors(err)
        profile = {"locale": g.user.locale, "display_name": g.user.display_name}
        return _settings_page(profile, err, submitted)
    label = scopes.SCOPE_LABELS[row.scope]
    return render_template("auth/token_created.html", token=row, secret=raw, scope_label=label)


@bp.route("/settings/tokens/<token_id>/revoke", methods=["POST"])
def revoke_token(token_id):
    """Revoke one of one's own API tokens."""
    services.revoke_api_token(g.user, token_id)
    flash(_("The token is revoked: it no longer works."), "success")
    return redirect(url_for("auth.settings", _anchor="api-tokens"))
