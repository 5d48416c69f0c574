"""Permission-matrix rows for the officer's release pages: release, return to custody,
transfer, the release plan, releases ahead, referrals and consents.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). Routes that change
a record get a fresh one per call, in the state they need, through the body
callable: `world.custody_participant` (as tests/matrix/release.py does for the
API), `world.referral` and `world.consent` (as tests/matrix/partners.py does).
The plan item is `world.release_plan_item` from tests/matrix/release.py: owned
by the world's organisation, whose caseworker follows the person.
"""

import itertools

from tests.matrix.release import factory as _factory
from tests.matrix.release import person_in_custody as _in_custody
from tests.matrix.release import release_body as _release_form
from tests.matrix.release import return_body as _return_form
from tests.matrix.release import today as _today

_n = itertools.count(1)

# Records of world.participant (in custody, no referral): officers of the
# facility and admins act, supervisors read, instructors never receive release
# plans, referrals or consents, and the world's caseworker does not see the person.
PERSON_PAGE = (302, 200, 200, 200, 404, 404)
PERSON_POST = (400, 302, 403, 302, 404, 404)
# A fresh person enrolled in the instructor's cohort: the instructor sees them
# (403, not 404); the caseworker does not.
CUSTODY_POST = (400, 302, 403, 302, 403, 404)
# Records of the world's organisation: its caseworker acts on them too.
PARTNER_RECORD_POST = (400, 302, 403, 302, 404, 302)


def _transfer_form(w) -> dict:
    """Transfer a fresh person in custody to another KZ facility today."""
    w.custody_participant = _in_custody(w)
    return {"facility_id": w.pages_destination.id, "on": _today(w)}


def _new_organisation(w) -> str:
    """A fresh partner organisation's id (one open referral per person and organisation)."""
    return _factory().organisation(country="KZ", name=f"Matrix NGO {next(_n)}").id


def _referral_form(w) -> dict:
    """Refer the world's participant to a new organisation."""
    return {"organisation_id": _new_organisation(w), "reason": "Housing after release"}


def _consent_form(w) -> dict:
    """A signed consent of the world's participant for a new organisation, given today."""
    return {"organisation_id": _new_organisation(w), "method": "signed", "given_on": _today(w)}


def _accepted_referral(w) -> dict:
    """Close a fresh person's referral accepted by the world's caseworker."""
    make = _factory()
    person = make.participant(facility=w.facility)
    w.referral = make.referral(
        person, w.organisation, status="accepted", assigned_caseworker_id=w.users["caseworker"].id
    )
    return {}


def _active_consent(w) -> dict:
    """Withdraw, today, the active consent of a fresh person referred to the world's
    organisation (its caseworkers see consents of people referred to them)."""
    make = _factory()
    person = make.participant(facility=w.facility)
    make.referral(person, w.organisation)
    w.consent = make.consent(person, w.organisation)
    return {"withdrawn_on": _today(w)}


def extend(make, world) -> None:
    """A second KZ facility to transfer people to."""
    world.pages_destination = make.facility(country="KZ")


ROWS: dict = {
    ("POST", "/participants/<custody_participant_id>/release"): (_release_form, CUSTODY_POST),
    ("POST", "/participants/<custody_participant_id>/return-to-custody"): (
        _return_form,
        CUSTODY_POST,
    ),
    ("POST", "/participants/<custody_participant_id>/transfer"): (_transfer_form, CUSTODY_POST),
    ("GET", "/participants/<participant_id>/release-plan"): (None, PERSON_PAGE),
    ("POST", "/release-plan-items/<release_plan_item_id>"): (
        {"status": "in_progress", "note": "Hostel contacted"},
        PARTNER_RECORD_POST,
    ),
    # Officers, supervisors and admins plan releases; the others are refused.
    ("GET", "/releases"): (None, (302, 200, 200, 200, 403, 403)),
    ("GET", "/participants/<participant_id>/referrals"): (None, PERSON_PAGE),
    ("POST", "/participants/<participant_id>/referrals"): (_referral_form, PERSON_POST),
    ("POST", "/participants/<participant_id>/consents"): (_consent_form, PERSON_POST),
    ("POST", "/referrals/<referral_id>/close"): (_accepted_referral, PARTNER_RECORD_POST),
    ("POST", "/consents/<consent_id>/withdraw"): (_active_consent, PARTNER_RECORD_POST),
}
