"""The language switcher on every page: POST /language, signed in or not.

It works without JavaScript: a form posts the chosen code here, and the
answer sends the browser back to the page it came from, now in that language.
"""

from flask import flash, g, redirect, request
from flask_babel import gettext as _

from prog_tracker.auth import services
from prog_tracker.auth.schemas import SettingsSchema
from prog_tracker.auth.views import language_bp as bp
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import load_form
from prog_tracker.core.i18n import is_offered, remember_locale
from prog_tracker.core.navigation import safe_next
from prog_tracker.core.security import public


@bp.route("/language", methods=["POST"])
@public  # the sign-in page has the switcher too; CSRF is still checked for everyone
def set_language():
    """Switch the interface language, remember it, and go back to the page."""
    code = (request.form.get("locale") or "").strip()
    back = redirect(safe_next(request.form.get("next")))
    if not is_offered(code):
        flash(_("That language is not available."), "error")
        return back
    try:
        _save_for_account(code)
    except ApiError:
        # Refused by the schema before anything was changed: nothing to roll back.
        flash(_("That language is not available."), "error")
        return back
    remember_locale(back, code)
    return back


def _save_for_account(code: str) -> None:
    """Store the choice as the user's language setting, as the settings page does."""
    user = g.get("user")
    auth_session = g.get("auth_session")
    # A session still owing its two-step set-up may not change the account
    # (security.py holds it to the set-up pages); the cookie still applies.
    if user is None or (auth_session is not None and not auth_session.fully_signed_in):
        return
    # The settings page's schema, so the rule for a valid language holds in one place.
    services.update_own_settings(user, load_form(SettingsSchema(), {"locale": code}))
