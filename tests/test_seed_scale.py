"""`prog-tracker seed-scale`: synthetic data in every table, and the benchmark caseworker."""

import os
import re
import sqlite3
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from prog_tracker import scale
from prog_tracker.aftercare.models import Contact, ContactVersion, FollowUp, Outcome
from prog_tracker.auth.models import User
from prog_tracker.certification.models import (
    Assessment,
    Certificate,
    Qualification,
    Skill,
    qualification_skills,
)
from prog_tracker.cli import main
from prog_tracker.core import policy
from prog_tracker.core.text import search_blob
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant, ReleaseDateChange
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.release.models import ReleaseEpisode, ReleasePlanItem, StatusChange
from prog_tracker.workshops.models import (
    Attendance,
    AttendanceHistory,
    Cohort,
    Enrolment,
    Trade,
    WorkshopSession,
    cohort_instructors,
)

TABLES = (
    Facility,
    Organisation,
    User,
    Participant,
    ReleaseDateChange,
    Trade,
    Skill,
    Qualification,
    qualification_skills,
    Cohort,
    cohort_instructors,
    Enrolment,
    WorkshopSession,
    Attendance,
    AttendanceHistory,
    Assessment,
    Certificate,
    StatusChange,
    ReleaseEpisode,
    ReleasePlanItem,
    Referral,
    Consent,
    Contact,
    ContactVersion,
    FollowUp,
    Outcome,
)
SMALL = 200


def _count(table, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(table).where(*where))


def _bench_user(username=scale.BENCH_USERNAME) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _visible_ids(user) -> set[str]:
    return set(
        db.session.scalars(policy.visible_participants(user).with_only_columns(Participant.id))
    )


def test_every_table_gets_rows_and_the_numbers_fit_together(app):
    summary = scale.seed_scale(SMALL, seed=7)
    for table in TABLES:
        name = getattr(table, "__tablename__", getattr(table, "name", None))
        assert _count(table) > 0, name
        assert summary["written"][name] == _count(table), name
    assert _count(Participant) == SMALL
    # About ten contacts per person, five follow-ups per release episode.
    assert 0.8 * 10 * SMALL <= _count(Contact) <= 1.2 * 10 * SMALL
    assert _count(FollowUp) == 5 * _count(ReleaseEpisode)
    assert {kind for (kind,) in db.session.execute(select(Organisation.kind))} >= {
        "ngo",
        "employer",
    }
    assert {c for (c,) in db.session.execute(select(Facility.country))} == {"KZ", "TN", "UG"}
    assert {r for (r,) in db.session.execute(select(User.role))} == {
        "admin",
        "supervisor",
        "officer",
        "instructor",
        "caseworker",
    }
    statuses = {s for (s,) in db.session.execute(select(Referral.status))}
    assert statuses == {"pending", "accepted", "declined", "closed"}
    assert _count(Consent, Consent.withdrawn_on.is_not(None)) > 0
    assert _count(Consent, Consent.expires_on < date.today()) > 0


def test_the_bench_caseworker_sees_exactly_fifty_and_not_the_others_of_their_organisation(app):
    scale.seed_scale(SMALL, seed=7)
    caseworker = _bench_user()
    assert caseworker.role == "caseworker"
    visible = _visible_ids(caseworker)
    assert len(visible) == 50 == scale.bench_scope_size(scale.BENCH_USERNAME)
    referred = set(
        db.session.scalars(
            select(Referral.participant_id).where(
                Referral.organisation_id == caseworker.organisation_id
            )
        )
    )
    hidden = referred - visible
    assert len(hidden) == 13
    # Those left out: a pending, closed or declined referral, or consent not active.
    for person_id in hidden:
        referral = db.session.scalar(select(Referral).where(Referral.participant_id == person_id))
        consents = db.session.scalars(
            select(Consent).where(
                Consent.participant_id == person_id,
                Consent.organisation_id == caseworker.organisation_id,
            )
        ).all()
        active = [c for c in consents if c.withdrawn_on is None and not _expired(c)]
        assert referral.status != "accepted" or not active
    # The 50 are released people with an accepted referral, half assigned to the bench caseworker.
    people = db.session.scalars(select(Participant).where(Participant.id.in_(visible))).all()
    assert {p.status for p in people} == {"released"}
    mine = _count(Referral, Referral.assigned_caseworker_id == caseworker.id)
    assert 20 <= mine <= 35


def _expired(consent) -> bool:
    return consent.expires_on is not None and consent.expires_on < date.today()


def test_names_are_written_in_latin_cyrillic_and_arabic_and_found_folded(app):
    scale.seed_scale(SMALL, seed=7)
    people = db.session.scalars(select(Participant)).all()
    names = " ".join(p.given_name + " " + p.family_name for p in people)
    for script in (r"[A-Za-z]", r"[\u0400-\u04FF]", r"[\u0600-\u06FF]"):
        assert re.search(script, names), script
    for person in people:
        expected = search_blob(
            person.given_name, person.family_name, person.other_names, person.prison_number
        )
        assert person.search_text == expected


def test_certificates_are_issued_by_someone_who_assessed_none_of_their_skills(app):
    scale.seed_scale(SMALL, seed=7)
    for certificate in db.session.scalars(select(Certificate)):
        assessors = set(
            db.session.scalars(
                select(Assessment.assessor_id).where(Assessment.id.in_(certificate.assessment_ids))
            )
        )
        assert assessors and certificate.issued_by_id not in assessors


def _snapshot() -> tuple:
    participants = db.session.execute(
        select(Participant.id, Participant.given_name, Participant.status).order_by(Participant.id)
    ).all()
    contacts = db.session.execute(
        select(Contact.id, Contact.occurred_at, Contact.mode).order_by(Contact.id)
    ).all()
    referrals = db.session.execute(select(Referral.id, Referral.status).order_by(Referral.id)).all()
    return participants, contacts, referrals


def test_same_seed_same_data_other_seed_other_data(app):
    today = date.today()
    scale.seed_scale(SMALL, seed=11, today=today)
    first = _snapshot()
    db.session.rollback()
    scale.seed_scale(SMALL, seed=11, today=today)
    assert _snapshot() == first
    db.session.rollback()
    scale.seed_scale(SMALL, seed=12, today=today)
    assert _snapshot()[0] != first[0]


def test_refuses_a_database_with_people_unless_appending(app):
    with pytest.raises(scale.ScaleError, match="at least"):
        scale.seed_scale(50)
    scale.seed_scale(SMALL, seed=7)
    with pytest.raises(scale.ScaleError, match="already holds 200 participants"):
        scale.seed_scale(SMALL, seed=7)
    summary = scale.seed_scale(SMALL, seed=7, append=True)
    assert _count(Participant) == 2 * SMALL
    assert summary["bench_username"] == "bench.caseworker2"
    assert len(_visible_ids(_bench_user())) == 50
    assert len(_visible_ids(_bench_user("bench.caseworker2"))) == 50


@pytest.mark.own_database
def test_command_seeds_commits_and_keeps_the_audit_chain_intact(tmp_path, monkeypatch):
    for key in ("SECRET_KEY", "AUDIT_KEY", "ENV", "DATABASE_URL"):
        monkeypatch.delenv("PROG_TRACKER_" + key, raising=False)
    monkeypatch.setenv("PROG_TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PROG_TRACKER_DATABASE_URL", f"sqlite:///{tmp_path}/pt.db")

    def run(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    umask = os.umask(0o022)  # the CLI tightens the umask of the process it runs in
    try:
        assert run("init").exit_code == 0
        seeded = run("seed-scale", "--participants", str(SMALL))
        again = run("seed-scale", "--participants", str(SMALL))
        verified = run("audit", "verify")
    finally:
        os.umask(umask)
    assert seeded.exit_code == 0, seeded.output
    assert "bench.caseworker (Jol Reintegration Centre, 50 people in scope)" in seeded.output
    assert again.exit_code == 2 and "already holds 200 participants" in again.output
    assert verified.exit_code == 0, verified.output
    # The planner's statistics were refreshed after the bulk load.
    with sqlite3.connect(tmp_path / "pt.db") as connection:
        analysed = {row[0] for row in connection.execute("SELECT tbl FROM sqlite_stat1")}
    assert {"contacts", "follow_ups", "referrals", "consents"} <= analysed
