"""HTML pages for release: the participant page's Release section and its actions
(custody.py), a person's release plan (plan.py) and the releases ahead (ahead.py).

One blueprint; the route modules attach to it (the domain's register() imports
them, so this package imports none of them); custody.py's context processor gives
every template the release labels and the Release section's data.
"""

from flask import Blueprint

bp = Blueprint("release", __name__)
