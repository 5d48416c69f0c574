"""Permission-matrix rows for the certification pages.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)).
"""

import itertools

_n = itertools.count(1)

PUBLIC = (200, 200, 200, 200, 200, 200)
ADMIN_PAGE = (302, 200, 403, 403, 403, 403)
ADMIN_POST = (400, 302, 403, 403, 403, 403)
# Lists leave out what is out of scope: the caseworker sees an empty list.
SIGNED_IN_LIST = (302, 200, 200, 200, 200, 200)
# The world's certificate belongs to the participant in the instructor's cohort.
CERTIFICATE_READ = (302, 200, 200, 200, 200, 404)
# One skill for the whole cohort: everyone who sees the cohort reads it; its
# instructors and admins sign it off.
COHORT_SKILL_PAGE = (302, 200, 200, 200, 200, 404)
COHORT_SKILL_POST = (400, 302, 403, 403, 302, 404)


def _sign_off(w) -> dict:
    """The world's skill signed off today for the world's participant, on a fresh form."""
    import uuid

    from prog_tracker.core.dates import today_at

    return {
        "form_id": str(uuid.uuid4()),
        "participant_id": w.participant.id,
        "assessed_on": today_at(w.facility).isoformat(),
    }


def _fresh_qualification(w) -> dict:
    """A new qualification of the world's skill, which the instructor assessed competent.

    Each role's call gets its own qualification, so admin and supervisor both
    issue (302) and nobody meets `already_certified`.
    """
    from tests.factories import Factory

    make = Factory()
    make.assessment(w.cohort, w.participant, w.skill, w.users["instructor"])
    qualification = make.qualification(w.trade, skills=[w.skill], title=f"Q{next(_n)}")
    return {"qualification_id": qualification.id}


ROWS: dict = {
    ("GET", "/cohorts/<cohort_id>/skills/<skill_id>"): (None, COHORT_SKILL_PAGE),
    ("POST", "/cohorts/<cohort_id>/skills/<skill_id>"): (_sign_off, COHORT_SKILL_POST),
    # Public verification (<code> is the code of the world's certificate).
    ("GET", "/verify"): (None, PUBLIC),
    ("GET", "/verify/<code>"): (None, PUBLIC),
    # Certificates
    ("GET", "/certificates"): (None, SIGNED_IN_LIST),
    ("GET", "/certificates/<certificate_id>"): (None, CERTIFICATE_READ),
    # The admin revokes first; the supervisor then meets the rule (already revoked).
    ("POST", "/certificates/<certificate_id>/revoke"): (
        {"reason": "Issued in error"},
        (400, 302, 422, 403, 403, 404),
    ),
    ("GET", "/participants/<participant_id>/certificates/new"): (
        None,
        (302, 200, 200, 403, 403, 404),
    ),
    ("POST", "/participants/<participant_id>/certificates/new"): (
        _fresh_qualification,
        (400, 302, 302, 403, 403, 404),
    ),
    # Catalogue (admin only)
    ("GET", "/admin/trades"): (None, ADMIN_PAGE),
    ("GET", "/admin/trades/new"): (None, ADMIN_PAGE),
    ("POST", "/admin/trades/new"): (lambda w: {"name": f"Trade P{next(_n)}"}, ADMIN_POST),
    ("GET", "/admin/trades/<trade_id>"): (None, ADMIN_PAGE),
    ("POST", "/admin/trades/<trade_id>"): (lambda w: {"name": f"Trade R{next(_n)}"}, ADMIN_POST),
    ("GET", "/admin/skills"): (None, ADMIN_PAGE),
    ("GET", "/admin/skills/new"): (None, ADMIN_PAGE),
    ("POST", "/admin/skills/new"): (
        lambda w: {"trade_id": w.trade.id, "code": f"P-{next(_n)}", "title": "Joinery"},
        ADMIN_POST,
    ),
    ("GET", "/admin/skills/<skill_id>"): (None, ADMIN_PAGE),
    ("POST", "/admin/skills/<skill_id>"): (
        lambda w: {"code": w.skill.code, "title": "Renamed"},
        ADMIN_POST,
    ),
    ("GET", "/admin/qualifications"): (None, ADMIN_PAGE),
    ("GET", "/admin/qualifications/new"): (None, ADMIN_PAGE),
    ("POST", "/admin/qualifications/new"): (
        lambda w: {
            "trade_id": w.trade.id,
            "title": "Joiner",
            "level": "2",
            "skill_ids": w.skill.id,
        },
        ADMIN_POST,
    ),
    ("GET", "/admin/qualifications/<qualification_id>"): (None, ADMIN_PAGE),
    ("POST", "/admin/qualifications/<qualification_id>"): (
        lambda w: {"title": "Joiner", "level": "3", "skill_ids": w.skill.id},
        ADMIN_POST,
    ),
}
