"""The demo database: every role can sign in and finds realistic work to do."""

import pytest
from sqlalchemy import func, select

from prog_tracker.aftercare.caseload import caseload
from prog_tracker.aftercare.models import Contact, ContactVersion, Outcome
from prog_tracker.auth.models import User
from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.release.followups import participant_follow_ups
from prog_tracker.release.models import ReleaseEpisode
from prog_tracker.release.plans import releases_ahead
from prog_tracker.seed.demo import DEMO_PASSWORD, build_demo
from prog_tracker.workshops.models import Attendance, Cohort, Enrolment

pytestmark = [pytest.mark.own_database, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo, built once for this module: (app, printed lines)."""
    lines: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROG_TRACKER_INSTANCE_PATH", str(tmp_path_factory.mktemp("demo")))
        app = build_demo(mfa=False, echo=lines.append)
    return app, lines


def test_demo_has_workshops_in_each_country_and_every_role_signs_in(demo):
    app, lines = demo
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
    signed_in = ("admin", "supervisor.kz", "officer.tn", "instructor.ug")
    for username in (*signed_in, "caseworker.kz", "caseworker.tn", "caseworker.ug"):
        response = client.post(
            "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, username
        client.delete_cookie("pt_session")
    assert any("MFA" in line or "Two-step" in line for line in lines)
    assert any("caseworker.tn" in line for line in lines)


@pytest.mark.parametrize("country", ["KZ", "TN", "UG"])
def test_demo_shows_release_and_aftercare_in_each_country(demo, country):
    app, _ = demo
    with app.app_context():
        facility = db.session.scalar(select(Facility).where(Facility.country == country))
        people = list(
            db.session.scalars(select(Participant).where(Participant.facility_id == facility.id))
        )
        ids = [p.id for p in people]
        released = [p for p in people if p.status == "released"]
        assert _count(Contact, Contact.participant_id.in_([p.id for p in released])) >= 10
        statuses = {r["status"] for p in released for r in participant_follow_ups(p)}
        assert {"met", "missed", "due", "overdue", "upcoming"} <= statuses
        assert _count(Outcome, Outcome.participant_id.in_(ids)) >= 1
        assert _count(ContactVersion, ContactVersion.contact_id.in_(_contacts_of(ids))) >= 1
        episodes = select(func.count(ReleaseEpisode.id)).group_by(ReleaseEpisode.participant_id)
        assert max(db.session.scalars(episodes.where(ReleaseEpisode.participant_id.in_(ids)))) >= 2
        for status in ("pending", "declined", "accepted"):
            assert _count(Referral, Referral.participant_id.in_(ids), Referral.status == status)
        officer = _user(f"officer.{country.lower()}")
        progress = [row["progress"] for row in releases_ahead(officer)]
        assert any(0 < p["done"] < p["total"] for p in progress)
        db.session.remove()


@pytest.mark.parametrize("country", ["KZ", "TN", "UG"])
def test_demo_caseload_is_urgent_and_leaves_out_withdrawn_consent(demo, country):
    app, _ = demo
    with app.app_context():
        caseworker = _user(f"caseworker.{country.lower()}")
        rows = caseload(caseworker)
        assert rows and all(row["assigned_to_me"] for row in rows)
        assert any(row["overdue"] for row in rows)
        withdrawn = set(
            db.session.scalars(
                select(Consent.participant_id).where(
                    Consent.organisation_id == caseworker.organisation_id,
                    Consent.withdrawn_on.is_not(None),
                )
            )
        )
        accepted = set(
            db.session.scalars(
                select(Referral.participant_id).where(
                    Referral.organisation_id == caseworker.organisation_id,
                    Referral.status == "accepted",
                )
            )
        )
        assert withdrawn & accepted  # only the withdrawal keeps them off the caseload
        assert not withdrawn & {row["participant"].id for row in rows}
        db.session.remove()


def _count(model, *criteria) -> int:
    """How many rows of model match the criteria."""
    return db.session.scalar(select(func.count(model.id)).where(*criteria))


def _contacts_of(participant_ids):
    """A subquery of the ids of these people's contacts."""
    return select(Contact.id).where(Contact.participant_id.in_(participant_ids))


def _user(username: str) -> User:
    """The demo account with this username."""
    return db.session.scalar(select(User).where(User.username == username))
