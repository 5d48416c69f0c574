"""The retention schedule on the hand-built cases of retention_world (answers written here)."""

import datetime as dt
import json
import os
import re

import pytest
from sqlalchemy import select

from prog_tracker.aftercare.labels import NEED_LABELS
from prog_tracker.aftercare.models import NEED_CODES, Contact, ContactVersion, Outcome
from prog_tracker.auth.models import AuthSession
from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.config import retention_schedule
from prog_tracker.core.audit import AuditEvent, verify_chain
from prog_tracker.extensions import db
from prog_tracker.notifications.models import PushSubscription
from prog_tracker.participants.models import Participant, ReleaseDateChange
from prog_tracker.partners.models import Referral
from prog_tracker.privacy.retention import apply_retention
from prog_tracker.privacy.retention_due import closing_days
from prog_tracker.release.models import ReleasePlanItem, StatusChange
from prog_tracker.workshops.models import Attendance, AttendanceHistory
from tests.conftest import TEST_KEYS
from tests.privacy.retention_world import SECRETS, TODAY, build

# What the default schedule changes on 1 June 2030, worked out in retention_world.
EXPECTED = {
    ("case_notes", "contact"): 3,  # old, expired, recent
    ("case_notes", "contact_version"): 1,
    ("case_notes", "outcome"): 2,  # old, recent
    ("case_notes", "referral"): 2,  # old's and recent's reasons (expired's has none)
    ("case_notes", "release_plan_item"): 1,
    ("case_notes", "status_change"): 1,
    ("case_notes", "release_date_change"): 1,
    ("case_notes", "attendance"): 1,  # old's; held's stays
    ("case_notes", "attendance_history"): 1,
    ("case_notes", "assessment"): 1,
    ("case_notes", "certificate"): 1,
    ("identity", "participant"): 2,  # old, expired
    ("sessions", "auth_session"): 1,
    ("devices", "push_subscription"): 1,
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture
def world(make):
    """The hand-built cases."""
    return build(make)


def _snapshot() -> dict:
    """Every row of every table, to compare the whole database before and after."""
    db.session.expire_all()
    with db.session.no_autoflush:
        return {
            table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables
        }


def _fresh(model, record_id):
    """A record read again from the database."""
    db.session.expire_all()
    return db.session.get(model, record_id)


def test_closing_days_follow_the_definition(world):
    p = world.people
    closed = closing_days([person.id for person in p.values()], TODAY)
    assert closed == {
        p["old"].id: dt.date(2021, 3, 1),  # consent withdrawn: the latest event
        p["expired"].id: dt.date(2016, 1, 31),  # the follow-up schedule's last day
        p["recent"].id: dt.date(2026, 1, 31),
        p["fresh"].id: dt.date(2030, 1, 31),
        # returned and held people are filtered by status before; their dates still count
        p["returned"].id: dt.date(2016, 1, 31),
        p["held"].id: p["held"].created_at.date(),  # no dated event: its entry day
    }  # "referred" (accepted referral) and "consenting" (active consent) are open


def test_each_step_counts_what_the_schedule_says(world):
    report = apply_retention(TODAY)
    assert report.counts == EXPECTED


def test_an_old_closed_case_is_anonymised_keeping_ids_dates_and_kinds(world):
    old = world.people["old"]
    before = _fresh(Participant, old.id)
    kept = {
        name: getattr(before, name)
        for name in ("id", "facility_id", "sex", "status", "actual_release_date", "created_at")
    }
    version_before = before.version
    apply_retention(TODAY)
    after = _fresh(Participant, old.id)
    assert (after.given_name, after.family_name, after.other_names) == ("", "", None)
    assert after.date_of_birth == dt.date(1985, 1, 1)  # the year only
    assert after.prison_number == old.id and after.search_text == ""
    assert after.anonymised_at is not None and after.version == version_before + 1
    assert {name: getattr(after, name) for name in kept} == kept
    contact = _fresh(Contact, world.records["old_contact"].id)
    # The checklist's code stays (a kind, in the exports); the typed need goes.
    assert (contact.summary, contact.location, contact.needs) == (None, None, ["housing"])
    assert (contact.mode, contact.occurred_at) == (
        "visit",
        dt.datetime(2019, 1, 30, 9, tzinfo=dt.UTC),
    )
    version = db.session.scalar(
        select(ContactVersion).where(ContactVersion.contact_id == contact.id)
    )
    assert (version.summary, version.needs, version.version) == (None, ["housing"], 1)
    referral = _fresh(Referral, world.records["old_referral"].id)
    assert (referral.reason, referral.status) == (None, "closed")
    certificate = _fresh(Certificate, world.records["certificate"].id)
    # The holder's own document stays verifiable; only the revocation's free text goes.
    assert certificate.revoked_reason is None and certificate.holder_name.startswith("Ainur")
    for model, column in (
        (Outcome, Outcome.note),
        (ReleasePlanItem, ReleasePlanItem.note),
        (StatusChange, StatusChange.note),
        (ReleaseDateChange, ReleaseDateChange.reason),
        (Attendance, Attendance.note),
        (Assessment, Assessment.note),
    ):
        assert db.session.scalars(select(column).where(model.participant_id == old.id)).all() == [
            None
        ], model
    assert db.session.scalars(select(AttendanceHistory.note)).all() == [None]


def test_a_case_closed_within_the_identity_period_keeps_the_name_loses_the_notes(world):
    recent = world.people["recent"]
    apply_retention(TODAY)
    after = _fresh(Participant, recent.id)
    assert (after.given_name, after.anonymised_at) == ("Recent", None)
    assert _fresh(Contact, world.records["recent_contact"].id).summary is None
    notes = db.session.scalars(select(Outcome.note).where(Outcome.participant_id == recent.id))
    assert notes.all() == [None]


@pytest.mark.parametrize("name", ["fresh", "referred", "consenting", "returned", "held"])
def test_open_recent_or_custody_cases_are_left_alone(world, name):
    person = world.people[name]
    apply_retention(TODAY)
    after = _fresh(Participant, person.id)
    assert after.given_name == name.title() and after.anonymised_at is None
    texts = [
        *db.session.scalars(select(Contact.summary).where(Contact.participant_id == person.id)),
        *db.session.scalars(select(Attendance.note).where(Attendance.participant_id == person.id)),
    ]
    assert texts and all(texts)  # every one still there


def test_a_later_run_day_reaches_the_recent_case(world):
    # 31 January 2026 + 6 years: due from 1 February 2032.
    assert apply_retention(dt.date(2032, 1, 31)).counts[("identity", "participant")] == 2
    assert apply_retention(dt.date(2032, 2, 1)).counts[("identity", "participant")] == 1


def test_dry_run_changes_nothing_and_counts_the_same(world):
    before = _snapshot()
    report = apply_retention(TODAY, dry_run=True)
    assert _snapshot() == before  # no row changed, deleted or audited
    assert report.counts == EXPECTED
    assert "dry run" in report.lines()[0] and "would change" in report.lines()[1]


def test_a_second_run_changes_nothing(world):
    apply_retention(TODAY)
    before = _snapshot()
    again = apply_retention(TODAY)
    assert set(again.counts.values()) == {0}
    assert _snapshot() == before


def test_small_batches_give_the_same_result(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION", {**app.config["RETENTION"], "batch_size": 1})
    assert apply_retention(TODAY).counts == EXPECTED
    assert set(apply_retention(TODAY).counts.values()) == {0}


def test_audit_events_hold_ids_only(world):
    first = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0
    apply_retention(TODAY)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > first)).all()
    assert {e.action for e in events} == {"retention.anonymise", "retention.delete"}
    text = json.dumps([[e.actor_id, e.action, e.entity, e.entity_ids] for e in events])
    assert not [secret for secret in SECRETS if secret.lower() in text.lower()]
    assert all(UUID.match(i) for e in events for i in e.entity_ids)
    people = [e for e in events if e.entity == "participant"]
    assert [sorted(e.entity_ids) for e in people] == [
        sorted([world.people["old"].id, world.people["expired"].id])
    ]
    assert sum(len(e.entity_ids) for e in events) == sum(EXPECTED.values())
    assert verify_chain(TEST_KEYS["AUDIT_KEY"])[1] is None


def test_ended_sessions_and_deactivated_users_devices_are_deleted(world):
    apply_retention(TODAY)
    sessions = db.session.scalars(select(AuthSession.expires_at)).all()
    assert sessions == [dt.datetime(2030, 5, 30, tzinfo=dt.UTC)]
    left = set(db.session.scalars(select(PushSubscription.id)))
    assert left == {world.records[f"subscription_{n}"].id for n in (1, 2)}


def test_steps_switched_off_change_nothing(world, app, monkeypatch):
    off = retention_schedule(
        {
            "case_notes_years": None,
            "identity_years": None,
            "ended_sessions_days": None,
            "deactivated_user_days": None,
        }
    )
    monkeypatch.setitem(app.config, "RETENTION", off)
    before = _snapshot()
    assert apply_retention(TODAY).counts == {}
    assert _snapshot() == before


def test_without_birth_year_the_date_of_birth_goes(world, app, monkeypatch):
    schedule = {**app.config["RETENTION"], "keep_birth_year": False}
    monkeypatch.setitem(app.config, "RETENTION", schedule)
    apply_retention(TODAY)
    assert _fresh(Participant, world.people["old"].id).date_of_birth is None


def test_the_schedule_merges_overrides_and_refuses_bad_ones():
    assert retention_schedule('{"identity_years": 10}')["identity_years"] == 10
    assert retention_schedule({"batch_size": 0})["batch_size"] == 1
    assert retention_schedule({})["case_notes_years"] == 2
    for bad in (
        "not json",
        '{"unknown": 1}',
        {"identity_years": -1},
        {"identity_years": "ten"},
        {"case_notes_years": 7, "identity_years": 6},  # notes would outlive the name
        {"case_notes_years": None},  # identity on, notes off
        {"keep_birth_year": "yes"},
        [],
    ):
        with pytest.raises(RuntimeError):
            retention_schedule(bad)


def test_certificate_holder_names_go_too_when_the_schedule_says_so(world, app, monkeypatch):
    schedule = {**app.config["RETENTION"], "keep_certificate_holder": False}
    monkeypatch.setitem(app.config, "RETENTION", schedule)
    expected = {**EXPECTED, ("identity", "certificate"): 1}
    assert apply_retention(TODAY, dry_run=True).counts == expected
    assert apply_retention(TODAY).counts == expected
    assert _fresh(Certificate, world.records["certificate"].id).holder_name == ""
    assert apply_retention(TODAY).counts[("identity", "certificate")] == 0


def test_the_command_prints_counts_only_and_its_dry_run_changes_nothing(world, app, monkeypatch):
    from prog_tracker.cli import main
    from prog_tracker.privacy import retention

    run_at = dt.datetime(2030, 6, 1, 12, tzinfo=dt.UTC)
    monkeypatch.setattr(retention, "utcnow", lambda: run_at)
    runner, umask = app.test_cli_runner(), os.umask(0o022)
    try:
        before = _snapshot()
        dry = runner.invoke(main, ["retention", "apply", "--dry-run"], catch_exceptions=False)
        assert dry.exit_code == 0, dry.output
        assert _snapshot() == before
        applied = runner.invoke(main, ["retention", "apply"], catch_exceptions=False)
        again = runner.invoke(main, ["retention", "apply"], catch_exceptions=False)
    finally:
        os.umask(umask)  # the command tightens the umask of the process it runs in
    lines = [line.split() for line in dry.output.splitlines()]
    assert dry.output.splitlines()[0] == "Retention as of 2030-06-01 (dry run: nothing changed)"
    assert ["identity", "participant", "2", "would", "change"] in lines
    assert ["case_notes", "contact", "3", "would", "change"] in lines
    assert ["identity", "participant", "2", "changed"] in [
        x.split() for x in applied.output.splitlines()
    ]
    assert {line.split()[2] for line in again.output.splitlines()[1:]} == {"0"}
    assert not [s for s in SECRETS if s in dry.output + applied.output]


def test_the_needs_kept_are_exactly_the_checklist_offered():
    """Retention keeps the codes the contact form offers; a label without a code (or a
    code without a label) would be blanked as free text, or shown raw."""
    assert list(NEED_LABELS) == list(NEED_CODES)
