"""Certification pages: public verification, issuing, revoking, lists and the catalogue."""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from prog_tracker.certification import certificates
from prog_tracker.certification.models import Certificate, Qualification, Skill
from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.workshops.models import Trade

FIXED_CODE = "7Q2K-9XMD-4HT0-BV31"
IMPRISONMENT_WORDS = re.compile(r"prison|inmate|custody", re.IGNORECASE)


@pytest.fixture
def course(make):
    """A carpentry cohort whose qualification needs two skills; one enrolled person."""
    facility = make.facility(name="Colony UK-161/2", public_name="Almaty Skills Centre")
    trade = make.trade(name="Carpentry")
    measuring = make.skill(trade, code="CARP-01", title="Measuring")
    joints = make.skill(trade, code="CARP-02", title="Joints")
    qualification = make.qualification(
        trade, skills=[measuring, joints], title="Carpenter", level="2"
    )
    instructor = make.user("instructor", facility=facility)
    cohort = make.cohort(
        facility, instructors=[instructor], trade=trade, qualification_id=qualification.id
    )
    person = make.participant(
        facility=facility, given_name="Aliya", family_name="Nurgalieva", prison_number="UK-0042"
    )
    make.enrolment(cohort, person)
    return SimpleNamespace(
        facility=facility,
        trade=trade,
        measuring=measuring,
        joints=joints,
        qualification=qualification,
        instructor=instructor,
        cohort=cohort,
        person=person,
        supervisor=make.user("supervisor", country=facility.country),
    )


def _assess(make, course, *skills, assessor=None):
    """Competent assessments of skills (by the instructor unless said otherwise)."""
    for skill in skills:
        make.assessment(course.cohort, course.person, skill, assessor or course.instructor)


def _certify(make, course, code=None) -> Certificate:
    """Issue the course's certificate through the service (optionally with a known code)."""
    _assess(make, course, course.measuring, course.joints)
    certificate = certificates.issue_certificate(
        course.supervisor,
        {"participant_id": course.person.id, "qualification_id": course.qualification.id},
    )
    if code:
        certificate.code = code
        db.session.commit()
    return certificate


def _events(action):
    """Audit events of one action, oldest first."""
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def _text(response) -> str:
    return response.get_data(as_text=True)


def _issue_url(course) -> str:
    return f"/participants/{course.person.id}/certificates/new"


# Public verification


def test_verify_page_shows_a_valid_certificate_without_revealing_imprisonment(client, make, course):
    certificate = _certify(make, course)
    response = client.get(f"/verify/{certificate.code}")
    assert response.status_code == 200
    page = _text(response)
    assert "cert-status" not in page  # the public page has its own big badge
    assert "verify-status-valid" in page and ">Valid<" in page
    for shown in ("Aliya Nurgalieva", "Carpenter", "Carpentry", "Almaty Skills Centre"):
        assert shown in page
    assert f'datetime="{certificate.issued_on.isoformat()}"' in page
    assert certificate.code in page
    assert "UK-0042" not in page and "Colony" not in page
    assert not IMPRISONMENT_WORDS.search(page)
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert response.headers["Cache-Control"] == "no-store"
    assert _events("certificate.verify")[-1].entity_ids == [certificate.id]


def test_verify_page_says_revoked_and_keeps_the_reason_private(client, make, course):
    certificate = _certify(make, course)
    certificates.revoke_certificate(course.supervisor, certificate, "Assessment found invalid")
    page = _text(client.get(f"/verify/{certificate.code}"))
    assert "verify-status-revoked" in page and ">Revoked<" in page
    assert "not valid" in page and ">Valid<" not in page
    assert "Assessment found invalid" not in page
    assert not IMPRISONMENT_WORDS.search(page)


@pytest.mark.parametrize(
    "typed",
    ["7q2k-9xmd-4ht0-bv31", "7Q2K9XMD4HT0BV31", "7q2k 9xmd 4hto bv3i", "7Q2K-9XMD-4HTO-BV3l"],
)
def test_a_typed_code_is_normalised(client, make, course, typed):
    _certify(make, course, code=FIXED_CODE)
    direct = client.get(f"/verify/{typed}")
    assert direct.status_code == 200 and "Aliya Nurgalieva" in _text(direct)
    via_form = client.get("/verify", query_string={"code": typed})
    assert via_form.status_code == 302
    assert via_form.headers["Location"].endswith(f"/verify/{FIXED_CODE}")


def test_verify_form_page(client):
    response = client.get("/verify")
    assert response.status_code == 200
    page = _text(response)
    assert 'method="get"' in page and 'name="code"' in page and 'for="f-code"' in page
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert not IMPRISONMENT_WORDS.search(page)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Type the code printed"), ("   ", "Type the code printed"), ("ABC-12", "not a")],
)
def test_an_empty_or_malformed_code_shows_the_form_again(client, typed, message):
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 422
    page = _text(response)
    assert message in page and 'id="f-code-error"' in page and 'aria-invalid="true"' in page
    if typed.strip():
        assert f'value="{typed}"' in page


def test_an_unknown_code_is_the_plain_not_found_page(client, make, course):
    _certify(make, course, code=FIXED_CODE)
    near_miss = client.get("/verify/7Q2K-9XMD-4HT0-BV32")  # one character off
    unknown = client.get(f"/verify/{certificates.new_code()}")
    garbage = client.get("/verify/not-a-code")
    any_missing_page = client.get("/no-such-page")
    assert {r.status_code for r in (near_miss, unknown, garbage, any_missing_page)} == {404}
    assert _text(near_miss) == _text(unknown) == _text(garbage) == _text(any_missing_page)
    assert "noindex" in near_miss.headers["X-Robots-Tag"]


def test_verification_pages_work_for_signed_in_users(client, make, course, signin):
    certificate = _certify(make, course)
    signin(client, make.user("officer", facility=course.facility))
    response = client.get(f"/verify/{certificate.code}")
    assert response.status_code == 200 and "Aliya Nurgalieva" in _text(response)
    assert client.get("/verify").status_code == 200


def test_verify_page_is_rate_limited(app, client, make, course, monkeypatch):
    certificate = _certify(make, course)
    monkeypatch.setitem(app.config, "VERIFY_LIMIT", "2 per minute")
    statuses = [client.get(f"/verify/{certificate.code}").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = client.get(f"/verify/{certificate.code}")
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert "Aliya" not in _text(limited)


# Issuing


def test_supervisor_issues_a_certificate_through_the_page(client, make, course, signin):
    _assess(make, course, course.measuring, course.joints)
    csrf = signin(client, course.supervisor)
    form = client.get(_issue_url(course))
    assert form.status_code == 200
    assert "Carpenter (level 2, Carpentry)" in _text(form)
    assert _events("participant.read")[-1].entity_ids == [course.person.id]
    response = client.post(
        _issue_url(course),
        data={"csrf_token": csrf, "qualification_id": course.qualification.id},
    )
    assert response.status_code == 302
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.participant_id == course.person.id)
    )
    assert response.headers["Location"].endswith(f"/certificates/{certificate.id}")
    assert certificate.issued_by_id == course.supervisor.id
    page = _text(client.get(response.headers["Location"]))
    assert "The certificate is issued." in page and certificate.code in page


def test_flash_messages_carry_no_names(client, make, course, signin):
    _assess(make, course, course.measuring, course.joints)
    csrf = signin(client, course.supervisor)
    client.post(
        _issue_url(course),
        data={"csrf_token": csrf, "qualification_id": course.qualification.id},
    )
    with client.session_transaction() as session:
        flashes = " ".join(message for _category, message in session.get("_flashes", []))
    assert flashes and "Aliya" not in flashes and "Nurgalieva" not in flashes


def test_missing_skills_are_listed_by_title(client, make, course, signin):
    _assess(make, course, course.measuring)
    csrf = signin(client, course.supervisor)
    response = client.post(
        _issue_url(course),
        data={"csrf_token": csrf, "qualification_id": course.qualification.id},
    )
    assert response.status_code == 422
    page = _text(response)
    assert "not assessed competent yet" in page
    assert "Joints" in page and "Measuring" not in page
    assert db.session.scalar(select(Certificate.id)) is None


def test_four_eyes_refuses_an_admin_who_assessed_a_counted_skill(client, make, course, signin):
    admin = make.user("admin")
    _assess(make, course, course.measuring)
    _assess(make, course, course.joints, assessor=admin)
    csrf = signin(client, admin)
    response = client.post(
        _issue_url(course),
        data={"csrf_token": csrf, "qualification_id": course.qualification.id},
    )
    assert response.status_code == 422
    page = _text(response)
    assert "Someone else must issue this certificate" in page
    assert "Joints" in page and "Measuring" not in page
    # Someone who assessed nothing may issue it.
    other = client.application.test_client()
    other_csrf = signin(other, course.supervisor)
    issued = other.post(
        _issue_url(course),
        data={"csrf_token": other_csrf, "qualification_id": course.qualification.id},
    )
    assert issued.status_code == 302


def test_a_second_certificate_is_refused(client, make, course, signin):
    _certify(make, course)
    csrf = signin(client, course.supervisor)
    response = client.post(
        _issue_url(course),
        data={"csrf_token": csrf, "qualification_id": course.qualification.id},
    )
    assert response.status_code == 422
    assert "Already certified" in _text(response)


def test_issuing_needs_a_qualification_and_keeps_the_choice(client, make, course, signin):
    csrf = signin(client, course.supervisor)
    response = client.post(_issue_url(course), data={"csrf_token": csrf, "qualification_id": ""})
    assert response.status_code == 422
    assert 'id="f-qualification_id-error"' in _text(response)


def test_officers_and_instructors_may_not_issue(client, make, course, signin):
    _assess(make, course, course.measuring, course.joints)
    csrf = signin(client, make.user("officer", facility=course.facility))
    assert client.get(_issue_url(course)).status_code == 403
    response = client.post(
        _issue_url(course),
        data={"csrf_token": csrf, "qualification_id": course.qualification.id},
    )
    assert response.status_code == 403
    assert db.session.scalar(select(Certificate.id)) is None


# Reading and revoking


def test_certificate_page_shows_code_link_and_pdf_and_is_audited(client, make, course, signin):
    certificate = _certify(make, course)
    signin(client, course.supervisor)
    response = client.get(f"/certificates/{certificate.id}")
    assert response.status_code == 200
    page = _text(response)
    assert certificate.code in page and f"/verify/{certificate.code}" in page
    assert f"/api/v1/certificates/{certificate.id}/pdf" in page
    assert course.supervisor.display_name in page  # issued by
    assert "Revoke certificate" in page
    assert _events("certificate.read")[-1].entity_ids == [certificate.id]
    pdf = client.get(f"/api/v1/certificates/{certificate.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"


def test_revoking_needs_a_reason_then_the_public_page_says_revoked(client, make, course, signin):
    certificate = _certify(make, course)
    csrf = signin(client, course.supervisor)
    url = f"/certificates/{certificate.id}/revoke"
    blank = client.post(url, data={"csrf_token": csrf, "reason": "  "})
    assert blank.status_code == 422
    assert 'id="f-reason-error"' in _text(blank)
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == "valid"
    done = client.post(url, data={"csrf_token": csrf, "reason": "Issued in error"})
    assert done.status_code == 302
    page = _text(client.get(done.headers["Location"]))
    assert "The certificate is revoked." in page and "Issued in error" in page
    assert "Revoke certificate" not in page
    again = client.post(url, data={"csrf_token": csrf, "reason": "Twice"})
    assert again.status_code == 422
    public = _text(client.application.test_client().get(f"/verify/{certificate.code}"))
    assert "verify-status-revoked" in public


def test_officer_sees_the_certificate_but_may_not_revoke(client, make, course, signin):
    certificate = _certify(make, course)
    csrf = signin(client, make.user("officer", facility=course.facility))
    page = _text(client.get(f"/certificates/{certificate.id}"))
    assert certificate.code in page
    assert "/revoke" not in page and "Revoke certificate" not in page
    response = client.post(
        f"/certificates/{certificate.id}/revoke", data={"csrf_token": csrf, "reason": "No"}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == "valid"


def test_certificates_out_of_scope_are_not_found(client, make, course, signin):
    certificate = _certify(make, course)
    signin(client, make.user("officer"))  # another facility
    assert client.get(f"/certificates/{certificate.id}").status_code == 404
    assert client.get("/certificates/not-an-id").status_code == 404
    assert certificate.code not in _text(client.get("/certificates"))


def test_certificate_list_is_newest_first_filtered_and_audited(client, make, course, signin):
    first = _certify(make, course)
    other = make.qualification(course.trade, skills=[course.measuring], title="Measurer")
    second = certificates.issue_certificate(
        course.supervisor, {"participant_id": course.person.id, "qualification_id": other.id}
    )
    certificates.revoke_certificate(course.supervisor, second, "Issued in error")
    signin(client, course.supervisor)
    page = _text(client.get("/certificates"))
    assert page.index(second.code) < page.index(first.code)
    assert set(_events("certificate.list")[-1].entity_ids) == {first.id, second.id}
    valid_only = _text(client.get("/certificates?status=valid"))
    assert first.code in valid_only and second.code not in valid_only
    assert _events("certificate.list")[-1].entity_ids == [first.id]
    assert client.get("/certificates?status=lost").status_code == 422


def test_the_json_list_orders_certificates_as_the_page_does(client, make, course, signin):
    first = _certify(make, course)
    other = make.qualification(course.trade, skills=[course.measuring], title="Measurer")
    second = certificates.issue_certificate(
        course.supervisor, {"participant_id": course.person.id, "qualification_id": other.id}
    )
    signin(client, course.supervisor)
    items = client.get("/api/v1/certificates").get_json()["items"]
    # Issued the same day: the later one first, as on the page (one service, one order).
    assert [c["id"] for c in items] == [second.id, first.id]


def test_participant_page_lists_certificates_and_offers_issuing(client, make, course, signin):
    certificate = _certify(make, course)
    signin(client, course.supervisor)
    page = _text(client.get(f"/participants/{course.person.id}"))
    assert f"/certificates/{certificate.id}" in page and "Carpenter" in page
    assert "Issue a certificate" in page
    officer_client = client.application.test_client()
    signin(officer_client, make.user("officer", facility=course.facility))
    page = _text(officer_client.get(f"/participants/{course.person.id}"))
    assert f"/certificates/{certificate.id}" in page
    assert "Issue a certificate" not in page


def test_navigation_links_by_role(client, make, signin):
    signin(client, make.user("admin"))
    page = _text(client.get("/certificates"))
    assert 'href="/certificates"' in page and 'href="/admin/trades"' in page
    officer_client = client.application.test_client()
    signin(officer_client, make.user("officer"))
    page = _text(officer_client.get("/certificates"))
    assert 'href="/certificates"' in page and 'href="/admin/trades"' not in page


# Catalogue


def test_admin_builds_the_catalogue_through_the_forms(client, make, signin):
    csrf = signin(client, make.user("admin"))
    assert client.get("/admin/trades/new").status_code == 200
    response = client.post("/admin/trades/new", data={"csrf_token": csrf, "name": "Tailoring"})
    assert response.status_code == 302
    trade = db.session.scalar(select(Trade).where(Trade.name == "Tailoring"))
    assert "Tailoring" in _text(client.get("/admin/trades"))

    assert client.get(f"/admin/skills/new?trade_id={trade.id}").status_code == 200
    response = client.post(
        "/admin/skills/new",
        data={"csrf_token": csrf, "trade_id": trade.id, "code": "TAIL-01", "title": "Hemming"},
    )
    assert response.status_code == 302
    skill = db.session.scalar(select(Skill).where(Skill.code == "TAIL-01"))
    assert skill.trade_id == trade.id
    assert "Hemming" in _text(client.get(f"/admin/skills?trade_id={trade.id}"))

    form = _text(client.get("/admin/qualifications/new"))
    assert f'value="{skill.id}"' in form and 'type="checkbox"' in form
    response = client.post(
        "/admin/qualifications/new",
        data={
            "csrf_token": csrf,
            "trade_id": trade.id,
            "title": "Tailor",
            "level": "1",
            "skill_ids": [skill.id],
        },
    )
    assert response.status_code == 302
    qualification = db.session.scalar(select(Qualification).where(Qualification.title == "Tailor"))
    assert qualification.skill_ids == [skill.id]
    assert "Tailor" in _text(client.get("/admin/qualifications"))


def test_admin_edits_catalogue_records(client, make, signin):
    trade = make.trade(name="Welding")
    skill = make.skill(trade, code="W-1", title="Tacking")
    extra = make.skill(trade, code="W-2", title="Butt welds")
    qualification = make.qualification(trade, skills=[skill], title="Welder", level="1")
    csrf = signin(client, make.user("admin"))
    assert 'value="Welding"' in _text(client.get(f"/admin/trades/{trade.id}"))
    response = client.post(
        f"/admin/trades/{trade.id}",
        data={"csrf_token": csrf, "name": "Metalwork", "version": trade.version},
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/skills/{skill.id}",
        data={"csrf_token": csrf, "code": "W-1", "title": "Tack welds", "version": skill.version},
    )
    assert response.status_code == 302
    page = _text(client.get(f"/admin/qualifications/{qualification.id}"))
    assert re.search(rf'value="{skill.id}"\s+checked', page)
    assert not re.search(rf'value="{extra.id}"\s+checked', page)
    response = client.post(
        f"/admin/qualifications/{qualification.id}",
        data={
            "csrf_token": csrf,
            "title": "Welder",
            "level": "2",
            "skill_ids": [skill.id, extra.id],
            "version": qualification.version,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Trade, trade.id).name == "Metalwork"
    assert db.session.get(Skill, skill.id).title == "Tack welds"
    saved = db.session.get(Qualification, qualification.id)
    assert (saved.level, saved.skill_ids) == ("2", sorted([skill.id, extra.id]))


def test_a_stale_trade_edit_shows_the_conflict_and_keeps_the_entry(client, make, signin):
    trade = make.trade(name="Baking")
    stale_version = trade.version
    trade.name = "Bakery"
    db.session.commit()
    csrf = signin(client, make.user("admin"))
    response = client.post(
        f"/admin/trades/{trade.id}",
        data={"csrf_token": csrf, "name": "Pastry", "version": stale_version},
    )
    assert response.status_code == 409
    page = _text(response)
    assert "Someone else saved this record" in page
    assert "Bakery" in page and 'value="Pastry"' in page
    assert f'name="version" value="{trade.version}"' in page


def test_a_qualification_refuses_skills_of_another_trade(client, make, signin):
    trade = make.trade(name="Plumbing")
    foreign = make.skill(make.trade(name="Masonry"), title="Bricklaying")
    csrf = signin(client, make.user("admin"))
    response = client.post(
        "/admin/qualifications/new",
        data={
            "csrf_token": csrf,
            "trade_id": trade.id,
            "title": "Plumber",
            "level": "1",
            "skill_ids": [foreign.id],
        },
    )
    assert response.status_code == 422
    page = _text(response)
    assert 'id="f-skill_ids-error"' in page and 'value="Plumber"' in page
    assert db.session.scalar(select(Qualification).where(Qualification.title == "Plumber")) is None
    none_ticked = client.post(
        "/admin/qualifications/new",
        data={"csrf_token": csrf, "trade_id": trade.id, "title": "Plumber", "level": "1"},
    )
    assert none_ticked.status_code == 422


def test_a_duplicate_skill_code_is_a_field_error(client, make, signin):
    trade = make.trade()
    make.skill(trade, code="DUP-1")
    csrf = signin(client, make.user("admin"))
    response = client.post(
        "/admin/skills/new",
        data={"csrf_token": csrf, "trade_id": trade.id, "code": "DUP-1", "title": "Again"},
    )
    assert response.status_code == 422
    assert 'id="f-code-error"' in _text(response) and 'value="Again"' in _text(response)


@pytest.mark.parametrize("role", ["supervisor", "officer", "instructor", "caseworker"])
def test_the_catalogue_is_for_admins_only(client, make, signin, role):
    trade = make.trade()
    csrf = signin(client, make.user(role))
    for url in ("/admin/trades", "/admin/skills", "/admin/qualifications", "/admin/trades/new"):
        assert client.get(url).status_code == 403
    assert client.get(f"/admin/trades/{trade.id}").status_code == 403
    response = client.post("/admin/trades/new", data={"csrf_token": csrf, "name": "Sneaky"})
    assert response.status_code == 403
    assert db.session.scalar(select(Trade).where(Trade.name == "Sneaky")) is None
