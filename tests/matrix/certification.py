"""Permission-matrix rows for the certification API: skills, qualifications,
assessments, certificates and public verification.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). The world's
certificate belongs to the world's participant, in the instructor's cohort;
`<code>` is its verification code.
"""

import itertools
from datetime import date

_n = itertools.count(1)

ALL_READ = (401, 200, 200, 200, 200, 200)
ADMIN_CREATE = (401, 201, 403, 403, 403, 403)
ADMIN_CHANGE = (401, 200, 403, 403, 403, 403)
# The cohort's records: caseworkers have no way in.
COHORT_READ = (401, 200, 200, 200, 200, 404)


def _certifiable_body(w) -> dict:
    """A person in the cohort whose skill the instructor assessed competent."""
    from tests.factories import Factory

    make = Factory()
    person = make.participant(facility=w.facility)
    make.enrolment(w.cohort, person)
    make.assessment(w.cohort, person, w.skill, w.users["instructor"])
    return {"participant_id": person.id, "qualification_id": w.qualification.id}


ROWS = {
    # Skills and qualifications (admin changes them, everyone reads them)
    ("GET", "/api/v1/skills"): (None, ALL_READ),
    ("POST", "/api/v1/skills"): (
        lambda w: {"trade_id": w.trade.id, "code": f"M-{next(_n)}", "title": "Joinery"},
        ADMIN_CREATE,
    ),
    ("GET", "/api/v1/skills/<skill_id>"): (None, ALL_READ),
    ("PATCH", "/api/v1/skills/<skill_id>"): ({"title": "Renamed"}, ADMIN_CHANGE),
    ("GET", "/api/v1/qualifications"): (None, ALL_READ),
    ("POST", "/api/v1/qualifications"): (
        lambda w: {
            "trade_id": w.trade.id,
            "title": "Joiner",
            "level": "2",
            "skill_ids": [w.skill.id],
        },
        ADMIN_CREATE,
    ),
    ("GET", "/api/v1/qualifications/<qualification_id>"): (None, ALL_READ),
    ("PATCH", "/api/v1/qualifications/<qualification_id>"): ({"level": "3"}, ADMIN_CHANGE),
    # Assessments and certificates
    ("GET", "/api/v1/assessments"): (None, ALL_READ),
    ("POST", "/api/v1/assessments"): (
        lambda w: {
            "participant_id": w.participant.id,
            "skill_id": w.skill.id,
            "cohort_id": w.cohort.id,
            "result": "competent",
            "assessed_on": date.today().isoformat(),
        },
        (401, 201, 403, 403, 201, 404),
    ),
    ("GET", "/api/v1/certificates"): (None, ALL_READ),
    ("POST", "/api/v1/certificates"): (_certifiable_body, (401, 201, 201, 403, 403, 404)),
    ("GET", "/api/v1/certificates/<certificate_id>"): (None, COHORT_READ),
    ("GET", "/api/v1/certificates/<certificate_id>/pdf"): (None, COHORT_READ),
    # The admin revokes first; the supervisor then meets the rule (already revoked).
    ("POST", "/api/v1/certificates/<certificate_id>/revoke"): (
        {"reason": "Issued in error"},
        (401, 200, 422, 403, 403, 404),
    ),
    ("GET", "/api/v1/verify/<code>"): (None, (200, 200, 200, 200, 200, 200)),
}
