"""What happens to each kind of record, and to double lines (SPEC §12)."""

import datetime as dt

from sqlalchemy import select

from prog_tracker.certification.certificates import new_code, verification
from prog_tracker.certification.models import Certificate
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.merges import services
from prog_tracker.partners.models import Referral
from prog_tracker.release.models import FollowUp, ReleaseEpisode, ReleasePlanItem
from prog_tracker.workshops.models import Attendance, AttendanceHistory, Enrolment
from tests.merges.conftest import differences, every_table


def _attend(make, session, person, recorder, minutes_ago):
    return make._save(
        Attendance(
            session_id=session.id,
            participant_id=person.id,
            status="present",
            recorded_at=utcnow() - dt.timedelta(minutes=minutes_ago),
            recorded_by_id=recorder.id,
        )
    )


def _merge_and_undo(pair, check):
    """Merge pair.source into pair.into, run check, undo, and show nothing is left over."""
    before = every_table()
    merge = services.merge_participants(pair.admin, pair.source, pair.into)
    db.session.expire_all()
    check()
    services.undo_merge(pair.admin, merge.id)
    db.session.expire_all()
    assert differences(before, every_table()) == {}


def test_one_attendance_line_per_session_the_latest_recording_stays(make, pair):
    session = make.session(make.cohort(pair.facility))
    older = _attend(make, session, pair.into, pair.admin, minutes_ago=30)
    newer = _attend(make, session, pair.source, pair.admin, minutes_ago=5)
    history = make._save(
        AttendanceHistory(
            attendance_id=older.id,
            status="absent",
            recorded_at=utcnow() - dt.timedelta(hours=1),
            recorded_by_id=pair.admin.id,
            version=1,
            replaced_at=utcnow() - dt.timedelta(minutes=30),
            replaced_by_id=pair.admin.id,
        )
    )
    older_id, newer_id, history_id = older.id, newer.id, history.id

    def check():
        lines = db.session.scalars(select(Attendance).where(Attendance.session_id == session.id))
        assert [(a.id, a.participant_id) for a in lines] == [(newer_id, pair.into.id)]
        assert db.session.get(AttendanceHistory, history_id) is None
        assert db.session.get(Attendance, older_id) is None

    _merge_and_undo(pair, check)


def test_an_enrolled_place_beats_a_waitlisted_one_in_one_cohort(make, pair):
    cohort = make.cohort(pair.facility)
    waiting = make.enrolment(cohort, pair.into, status="waitlisted")
    placed = make.enrolment(cohort, pair.source, status="enrolled")
    ended = make.enrolment(make.cohort(pair.facility), pair.source, status="withdrawn")
    waiting_id, placed_id, ended_id = waiting.id, placed.id, ended.id

    def check():
        rows = db.session.scalars(select(Enrolment).where(Enrolment.participant_id == pair.into.id))
        assert {e.id for e in rows} == {placed_id, ended_id}
        assert db.session.get(Enrolment, waiting_id) is None

    _merge_and_undo(pair, check)


def test_one_open_referral_per_organisation_the_other_is_closed(make, pair):
    ngo = make.organisation()
    mine = make.referral(pair.into, ngo, status="accepted")
    theirs = make.referral(pair.source, ngo, status="pending")

    def check():
        assert db.session.get(Referral, mine.id).status == "accepted"
        closed = db.session.get(Referral, theirs.id)
        assert (closed.status, closed.participant_id) == ("closed", pair.into.id)

    _merge_and_undo(pair, check)


def test_one_plan_item_per_kind_the_last_changed_stays(make, pair):
    older = make.plan_item(pair.into, kind="housing")
    newer = make.plan_item(pair.source, kind="housing", note="newer")
    other = make.plan_item(pair.source, kind="employment")
    older_id, newer_id, other_id = older.id, newer.id, other.id

    def check():
        items = db.session.scalars(
            select(ReleasePlanItem).where(ReleasePlanItem.participant_id == pair.into.id)
        )
        assert {i.id for i in items} == {newer_id, other_id}
        assert db.session.get(ReleasePlanItem, older_id) is None

    _merge_and_undo(pair, check)


def test_certificates_stay_valid_and_belong_to_the_survivor(make, pair):
    qualification = make.qualification()
    certificate = make._save(
        Certificate(
            participant_id=pair.source.id,
            qualification_id=qualification.id,
            code=new_code(),
            issued_on=dt.date.today(),
            issued_by_id=pair.admin.id,
            holder_name="Dana Ermek",
            issuer_facility_id=pair.facility.id,
            assessment_ids=[],
        )
    )

    def check():
        assert db.session.get(Certificate, certificate.id).participant_id == pair.into.id
        assert verification(certificate.code)["status"] == "valid"

    _merge_and_undo(pair, check)


def test_episodes_move_and_follow_ups_are_judged_with_every_contact(make, pair):
    caseworker = make.user("caseworker")
    released = dt.date.today() - dt.timedelta(days=8)
    episode = make.episode(pair.into, released_on=released)
    # The visit was logged on the other record: once merged, it meets the survivor's follow-up.
    contact = make.contact(pair.source, caseworker, occurred_at=utcnow() - dt.timedelta(days=1))
    other = make.episode(pair.source, released_on=released - dt.timedelta(days=400))

    def check():
        first = db.session.scalar(
            select(FollowUp).where(FollowUp.episode_id == episode.id, FollowUp.sequence == 1)
        )
        assert first.met_contact_id == contact.id
        assert db.session.get(ReleaseEpisode, other.id).participant_id == pair.into.id

    _merge_and_undo(pair, check)
