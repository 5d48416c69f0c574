"""HTML pages for partners: a person's referrals and consents (person.py, the officer's
side) and the caseworker's referral inbox (inbox.py, a blueprint of its own).

Two blueprints, `partners` and `referral_inbox`, kept apart so every endpoint
keeps its name; register() imports the route modules and attaches both. person.py's
context processor gives every template the referral and consent labels and the
participant page's summary.
"""

from flask import Blueprint

bp = Blueprint("partners", __name__)
