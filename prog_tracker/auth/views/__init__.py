"""HTML pages of auth: signing in and out, one's own settings, the language switcher,
and user administration.

Three blueprints, as before the move, so every endpoint keeps its name
(`auth.*`, `language.set_language`, `admin_users.*`); their routes live in the
modules imported at the bottom.
"""

from flask import Blueprint

bp = Blueprint("auth", __name__)
language_bp = Blueprint("language", __name__)
admin_bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")
