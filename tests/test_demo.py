"""The demo database: every role can sign in and finds realistic work to do."""

import pytest
from sqlalchemy import func, select

from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.demo import DEMO_PASSWORD, build_demo
from prog_tracker.extensions import db
from prog_tracker.workshops.models import Attendance, Cohort, Enrolment

pytestmark = [pytest.mark.own_database, pytest.mark.slow]


def test_demo_has_workshops_in_each_country_and_every_role_signs_in(tmp_path, monkeypatch):
    monkeypatch.setenv("PROG_TRACKER_INSTANCE_PATH", str(tmp_path))
    lines = []
    app = build_demo(mfa=False, echo=lines.append)
    with app.app_context():
        countries = db.session.execute(
            select(Cohort.facility_id, func.count()).group_by(Cohort.facility_id)
        ).all()
        assert len(countries) == 3
        assert db.session.scalar(select(func.count(Attendance.id))) > 50
        assert db.session.scalar(select(func.count(Assessment.id))) > 20
        assert db.session.scalar(select(func.count(Certificate.id))) >= 3
        waitlisted = select(func.count(Enrolment.id)).where(Enrolment.status == "waitlisted")
        assert db.session.scalar(waitlisted) >= 1
        db.session.remove()
    client = app.test_client()
    for username in ("admin", "supervisor.kz", "officer.tn", "instructor.ug", "caseworker.kz"):
        response = client.post(
            "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, username
        client.delete_cookie("pt_session")
    assert any("MFA" in line or "Two-step" in line for line in lines)
