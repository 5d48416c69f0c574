"""Assessments, certificates (four eyes), revocation and public verification."""

from datetime import date, timedelta

import pytest

from prog_tracker.certification.certificates import new_code, normalise_code
from prog_tracker.core.dates import today_at


@pytest.fixture
def course(make, api_as):
    """A cohort whose qualification needs two skills; one enrolled person; the staff."""
    facility = make.facility(public_name="Almaty Skills Centre", name="Colony UK-161/2")
    trade = make.trade(name="Carpentry")
    skills = [make.skill(trade, title=t) for t in ("Measuring", "Joints")]
    qualification = make.qualification(trade, skills=skills, title="Carpenter", level="2")
    instructor = make.user("instructor", facility=facility)
    cohort = make.cohort(
        facility, instructors=[instructor], trade=trade, qualification_id=qualification.id
    )
    person = make.participant(facility=facility, given_name="Әлия", family_name="Нұрғалиева")
    make.enrolment(cohort, person)
    return {
        "facility": facility,
        "skills": skills,
        "qualification": qualification,
        "instructor": instructor,
        "cohort": cohort,
        "person": person,
        "instructor_api": api_as(instructor),
        "supervisor_api": api_as("supervisor", country=facility.country),
    }


def _assess(course, skill, result="competent", api=None, **extra):
    body = {
        "participant_id": course["person"].id,
        "skill_id": skill.id,
        "cohort_id": course["cohort"].id,
        "result": result,
        "assessed_on": date.today().isoformat(),
        **extra,
    }
    return (api or course["instructor_api"]).post("/assessments", json=body)


def _issue(course, api=None):
    body = {"participant_id": course["person"].id, "qualification_id": course["qualification"].id}
    return (api or course["supervisor_api"]).post("/certificates", json=body)


def _code(response):
    return response.get_json()["error"]["code"]


def test_an_instructor_records_assessments_of_enrolled_people(course):
    response = _assess(course, course["skills"][0], note="Accurate to 1 mm")
    assert response.status_code == 201
    body = response.get_json()
    assert body["assessor_id"] == course["instructor"].id and body["result"] == "competent"


def test_assessment_refusals(course, make, api_as):
    other_trade_skill = make.skill()
    response = _assess(course, other_trade_skill)
    assert response.status_code == 422 and _code(response) == "skill_not_in_trade"
    stranger = make.participant(facility=course["facility"])
    response = _assess(course, course["skills"][0], participant_id=stranger.id)
    assert response.status_code == 422 and _code(response) == "not_enrolled"
    future = (date.today() + timedelta(days=2)).isoformat()
    response = _assess(course, course["skills"][0], assessed_on=future)
    assert response.status_code == 422 and _code(response) == "assessed_on_out_of_range"
    colleague = api_as("instructor", facility=course["facility"])
    assert _assess(course, course["skills"][0], api=colleague).status_code == 404
    officer = api_as("officer", facility=course["facility"])
    assert _assess(course, course["skills"][0], api=officer).status_code == 403


def test_a_certificate_needs_every_skill_competent(course):
    _assess(course, course["skills"][0])
    _assess(course, course["skills"][1], result="not_yet_competent")
    response = _issue(course)
    assert response.status_code == 422 and _code(response) == "requirements_not_met"
    assert response.get_json()["missing_skill_ids"] == [course["skills"][1].id]
    _assess(course, course["skills"][1])
    issued = _issue(course)
    assert issued.status_code == 201, issued.get_json()
    body = issued.get_json()
    assert body["status"] == "valid" and normalise_code(body["code"]) == body["code"]
    assert body["holder_name"] == "Әлия Нұрғалиева" and len(body["assessment_ids"]) == 2
    again = _issue(course)
    assert again.status_code == 422 and _code(again) == "already_certified"


def test_four_eyes_even_for_an_admin(course, make, api_as):
    admin = make.user("admin")
    admin_api = api_as(admin)
    course["cohort"].instructors.append(admin)  # the admin also taught and assessed
    assert _assess(course, course["skills"][0], api=admin_api).status_code == 201
    _assess(course, course["skills"][1])
    refused = _issue(course, api=admin_api)
    assert refused.status_code == 422 and _code(refused) == "four_eyes_required"
    assert refused.get_json()["own_assessed_skill_ids"] == [course["skills"][0].id]
    # Once someone else has also found the skill competent, that one counts.
    _assess(course, course["skills"][0])
    assert _issue(course, api=admin_api).status_code == 201


def test_only_supervisors_and_admins_issue(course, api_as):
    for skill in course["skills"]:
        _assess(course, skill)
    officer = api_as("officer", facility=course["facility"])
    assert _issue(course, api=officer).status_code == 403
    assert _issue(course, api=course["instructor_api"]).status_code == 403
    elsewhere = api_as("supervisor", country="UG")
    assert _issue(course, api=elsewhere).status_code == 404


def _certified(course):
    for skill in course["skills"]:
        _assess(course, skill)
    return _issue(course).get_json()


def test_verification_shows_the_public_name_and_nothing_of_prison(course, client):
    certificate = _certified(course)
    typed = certificate["code"].lower().replace("-", "").replace("0", "o")
    response = client.get(f"/api/v1/verify/{typed}")
    assert response.status_code == 200
    body = response.get_json()
    assert body == {
        "holder_name": "Әлия Нұрғалиева",
        "qualification": "Carpenter",
        "level": "2",
        "trade": "Carpentry",
        "issued_on": today_at(course["facility"]).isoformat(),
        "issuer": "Almaty Skills Centre",
        "status": "valid",
        "code": certificate["code"],
    }
    text = response.get_data(as_text=True)
    assert "Colony" not in text and course["person"].prison_number not in text


def test_unknown_and_malformed_codes_are_a_plain_404(client):
    for code in (new_code(), "nonsense", "A" * 70):
        response = client.get(f"/api/v1/verify/{code}")
        assert response.status_code == 404 and _code(response) == "not_found"


def test_verification_is_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_LIMIT", "3 per minute")
    statuses = [client.get(f"/api/v1/verify/{new_code()}").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_revocation_keeps_the_record_with_its_reason(course, client, api_as):
    certificate = _certified(course)
    url = f"/certificates/{certificate['id']}/revoke"
    blank = course["supervisor_api"].post(url, json={"reason": "  "})
    assert blank.status_code == 422
    officer = api_as("officer", facility=course["facility"])
    assert officer.post(url, json={"reason": "Fraud"}).status_code == 403
    revoked = course["supervisor_api"].post(url, json={"reason": "Issued in error"})
    assert revoked.status_code == 200
    assert (revoked.get_json()["status"], revoked.get_json()["revoked_reason"]) == (
        "revoked",
        "Issued in error",
    )
    assert client.get(f"/api/v1/verify/{certificate['code']}").get_json()["status"] == "revoked"
    again = course["supervisor_api"].post(url, json={"reason": "Again"})
    assert again.status_code == 422 and _code(again) == "already_revoked"
    # A revoked certificate no longer blocks a new one.
    assert _issue(course).status_code == 201


def test_certificate_pdf_carries_the_verify_url(course, app):
    import io

    from pypdf import PdfReader

    certificate = _certified(course)
    response = course["supervisor_api"].get(f"/certificates/{certificate['id']}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert certificate["code"] in text and "Almaty Skills Centre" in text
    assert "Colony" not in text


def test_catalogue_is_admin_only_and_qualifications_keep_to_one_trade(api_as, make):
    admin, officer = api_as("admin"), api_as("officer")
    trade = admin.post("/trades", json={"name": "Tailoring"}).get_json()
    assert officer.post("/trades", json={"name": "Welding"}).status_code == 403
    duplicate = admin.post("/trades", json={"name": "tailoring"})
    assert duplicate.status_code == 422
    skill = admin.post(
        "/skills", json={"trade_id": trade["id"], "code": "TL-01", "title": "Hemming"}
    ).get_json()
    clash = admin.post("/skills", json={"trade_id": trade["id"], "code": "TL-01", "title": "X"})
    assert clash.status_code == 422
    foreign = make.skill()
    mixed = admin.post(
        "/qualifications",
        json={
            "trade_id": trade["id"],
            "title": "Tailor",
            "level": "1",
            "skill_ids": [skill["id"], foreign.id],
        },
    )
    assert mixed.status_code == 422 and "skill_ids" in mixed.get_json()["error"]["fields"]
    made = admin.post(
        "/qualifications",
        json={"trade_id": trade["id"], "title": "Tailor", "level": "1", "skill_ids": [skill["id"]]},
    )
    assert made.status_code == 201 and made.get_json()["skill_ids"] == [skill["id"]]
