"""`prog-tracker seed-scale`: synthetic data in every table, and the benchmark caseworker."""

import datetime as dt
import os
import re
import sqlite3
from collections import Counter, defaultdict
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import distinct, func, inspect, select

from prog_tracker.aftercare.models import Contact, ContactVersion, Outcome
from prog_tracker.auth.models import User
from prog_tracker.certification.certificates import normalise_code
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
from prog_tracker.release.models import FollowUp, ReleaseEpisode, ReleasePlanItem, StatusChange
from prog_tracker.seed import scale
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


def test_rows_per_person_come_in_national_proportions(app):
    scale.seed_scale(SMALL, seed=7)
    per_person = {
        table.__tablename__: _count(table) / SMALL
        for table in (Enrolment, Attendance, Assessment, Contact)
    }
    # About one enrolment, thirty rolls, five assessments and ten contacts per person.
    assert 0.7 <= per_person["enrolments"] <= 1.3, per_person
    assert 20 <= per_person["attendance"] <= 40, per_person
    assert 3 <= per_person["assessments"] <= 7, per_person
    assert 8 <= per_person["contacts"] <= 12, per_person
    planned = db.session.scalar(select(func.count(distinct(ReleasePlanItem.participant_id))))
    assert _count(ReleasePlanItem) == 9 * planned > 0
    released = _count(Participant, Participant.actual_release_date.is_not(None))
    assert _count(ReleaseEpisode) > released > SMALL / 3


def test_histories_give_every_indicator_something_to_count(app):
    scale.seed_scale(SMALL, seed=7)
    ended = dict(
        db.session.execute(select(Enrolment.status, func.count()).group_by(Enrolment.status)).all()
    )
    assert ended.keys() >= {"completed", "withdrawn", "enrolled"}
    assert ended["completed"] > 3 * ended["withdrawn"]
    reasons = set(db.session.scalars(select(Enrolment.status_reason).distinct()))
    assert {"released", None} < reasons and len(reasons) >= 4
    rolls = set(db.session.scalars(select(Attendance.status).distinct()))
    assert rolls >= {"present", "late", "excused", "absent", "sick"}
    results = set(db.session.scalars(select(Assessment.result).distinct()))
    assert results == {"competent", "not_yet_competent"}
    assert _count(Certificate) > 0
    assert _count(Contact, Contact.mode == "attempt_failed") > 0
    assert _count(Outcome, Outcome.uses_trained_skill.is_(True)) > 0
    assert _count(Outcome, Outcome.uses_trained_skill.is_(False)) > 0
    assert _count(Outcome, Outcome.employment == "unemployed") > 0


def test_every_release_and_return_is_in_the_status_history(app):
    scale.seed_scale(SMALL, seed=7)
    episodes = db.session.execute(
        select(
            ReleaseEpisode.participant_id, ReleaseEpisode.released_on, ReleaseEpisode.returned_on
        )
    ).all()
    changes = set(
        db.session.execute(
            select(StatusChange.participant_id, StatusChange.kind, StatusChange.occurred_on)
        ).all()
    )
    for person, out, back in episodes:
        assert (person, "released", out) in changes
        assert back is None or (person, "returned_to_custody", back) in changes
    kinds = [kind for _, kind, _ in changes]
    assert kinds.count("released") == len(episodes)
    assert kinds.count("returned_to_custody") == sum(1 for *_, back in episodes if back)
    twice = Counter(person for person, _, _ in episodes)
    assert 0 < sum(1 for n in twice.values() if n == 2) < len(twice) / 4
    # Some come back within a year of release: the return-to-custody indicator counts them.
    assert any(back and (back - out).days <= 365 for _, out, back in episodes)


def test_release_plans_and_referrals_were_ready_for_some_releases_and_late_for_others(app):
    scale.seed_scale(SMALL, seed=7)
    last = dict(
        db.session.execute(
            select(ReleaseEpisode.participant_id, func.max(ReleaseEpisode.released_on)).group_by(
                ReleaseEpisode.participant_id
            )
        ).all()
    )
    ready = defaultdict(lambda: True)
    late = 0
    for item in db.session.scalars(select(ReleasePlanItem)):
        out = last.get(item.participant_id)
        if out is None or not 0 < (out - item.due_date).days <= 90:
            continue  # a plan for a release still to come
        done = item.status == "not_needed" or (item.status == "done" and item.completed_on <= out)
        ready[item.participant_id] &= done
        late += item.status == "done" and item.completed_on > out
    assert 0.25 < sum(ready.values()) / len(ready) < 0.75
    assert late > 0
    answered = db.session.execute(
        select(Referral.responded_at, Participant.actual_release_date)
        .join(Participant, Participant.id == Referral.participant_id)
        .where(Referral.status == "accepted", Participant.actual_release_date.is_not(None))
    ).all()
    before = sum(1 for at, out in answered if at.date() < out)
    assert 0 < before < len(answered)


def test_plans_and_follow_ups_follow_the_configured_templates(app, monkeypatch):
    monkeypatch.setitem(app.config, "RELEASE_PLAN_TEMPLATE", {"housing": 45, "transport": 2})
    monkeypatch.setitem(app.config, "FOLLOW_UP_SCHEDULE", [(14, 2), (60, 10)])
    scale.seed_scale(SMALL, seed=7)
    kinds = set(db.session.scalars(select(ReleasePlanItem.kind).distinct()))
    assert kinds == {"housing", "transport"}
    schedule = set(db.session.execute(select(FollowUp.offset_days, FollowUp.window_days)))
    assert schedule == {(14, 2), (60, 10)}


def test_values_read_back_as_the_models_write_them(app):
    scale.seed_scale(SMALL, seed=7)
    contact = db.session.scalars(select(Contact).limit(1)).one()
    assert contact.occurred_at.tzinfo is dt.UTC and isinstance(contact.needs, list)
    enrolment = db.session.scalars(select(Enrolment).where(Enrolment.status == "completed")).first()
    assert isinstance(enrolment.ended_on, dt.date) and enrolment.version == 2
    certificate = db.session.scalars(select(Certificate).limit(1)).one()
    assert normalise_code(certificate.code) == certificate.code
    assert len(certificate.assessment_ids) in (3, 5)
    outcome = db.session.scalars(select(Outcome).where(Outcome.returned_to_custody)).first()
    assert outcome.returned_to_custody is True and outcome.uses_trained_skill is None


def test_the_indexes_dropped_for_the_load_are_all_back(app):
    inspector = inspect(db.session.connection())
    before = {t: sorted(i["name"] for i in inspector.get_indexes(t)) for t in _names(TABLES)}
    scale.seed_scale(SMALL, seed=7)
    inspector = inspect(db.session.connection())
    after = {t: sorted(i["name"] for i in inspector.get_indexes(t)) for t in _names(TABLES)}
    assert after == before


def _names(tables) -> list[str]:
    return [getattr(t, "__tablename__", getattr(t, "name", None)) for t in tables]


@pytest.mark.slow
def test_at_ten_thousand_people_there_are_transfers_waiting_lists_and_revocations(app):
    scale.seed_scale(10_000, seed=7)
    assert _count(Facility) == 6
    assert _count(StatusChange, StatusChange.kind == "transferred") > 0
    assert _count(Enrolment, Enrolment.status_reason == "transferred") > 0
    assert _count(Enrolment, Enrolment.status == "waitlisted") > 0
    assert _count(Certificate, Certificate.status == "revoked") > 0
    assert 20 <= _count(Attendance) / 10_000 <= 40
    assert 3 <= _count(Assessment) / 10_000 <= 7


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
        # Names and number folded apart, as the participants service writes them.
        assert person.search_text == search_blob(
            person.given_name, person.family_name, person.other_names
        )
        assert person.number_search_text == search_blob(person.prison_number)


def test_certificates_are_issued_by_someone_who_assessed_none_of_their_skills(app):
    scale.seed_scale(SMALL, seed=7)
    for certificate in db.session.scalars(select(Certificate)):
        evidence = db.session.execute(
            select(Assessment.assessor_id, Assessment.assessed_on, Assessment.result).where(
                Assessment.id.in_(certificate.assessment_ids)
            )
        ).all()
        assert evidence and certificate.issued_by_id not in {who for who, _, _ in evidence}
        assert {result for _, _, result in evidence} == {"competent"}
        assert certificate.issued_on > max(day for _, day, _ in evidence)


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
        # The load ran under a rollback journal; the write-ahead log is back on.
        (journal,) = connection.execute("PRAGMA journal_mode").fetchone()
    assert {"contacts", "follow_ups", "referrals", "consents"} <= analysed
    assert journal == "wal"


def test_each_follow_up_keeps_the_contact_that_meets_it(app):
    from prog_tracker.release.followups import follow_ups_of, refresh_met

    scale.seed_scale(SMALL, seed=5)
    met = select(func.count()).where(FollowUp.met_contact_id.is_not(None))
    assert db.session.scalar(met) > 0
    followed = db.session.scalars(select(FollowUp.participant_id).distinct().limit(40)).all()
    stored, kept = {}, {}
    for participant in (db.session.get(Participant, pid) for pid in followed):
        stored.update({f.id: f.met_contact_id for f in follow_ups_of(participant)})
        refresh_met(participant)  # what the services would keep
        kept.update({f.id: f.met_contact_id for f in follow_ups_of(participant)})
    assert stored == kept and any(stored.values())
