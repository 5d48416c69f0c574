"""A small random world around two people, for the merge tests (hypothesis draws it)."""

import datetime as dt

from hypothesis import strategies as st

from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.release.followups import refresh_met
from prog_tracker.release.models import PLAN_KINDS
from prog_tracker.workshops.models import Attendance

ENROLMENT_STATUSES = ("waitlisted", "enrolled", "completed", "withdrawn")
REFERRAL_STATUSES = ("pending", "accepted", "declined", "closed")


def build(data, make, facility, people, admin, caseworker):
    """Records of each kind for each person, often on the same session, cohort,
    organisation or plan kind so that double lines happen."""
    today = dt.date.today()
    cohorts = [make.cohort(facility) for _ in range(2)]
    sessions = [make.session(c, date=today - dt.timedelta(days=i)) for i, c in enumerate(cohorts)]
    organisations = [make.organisation(), make.organisation()]
    trade_skill = make.skill()
    for person in people:
        for cohort in cohorts:
            status = data.draw(st.sampled_from((None, *ENROLMENT_STATUSES)))
            if status:
                make.enrolment(cohort, person, status=status)
        for session in data.draw(st.lists(st.sampled_from(sessions), unique=True, max_size=2)):
            minutes = data.draw(st.integers(0, 3))
            make._save(
                Attendance(
                    session_id=session.id,
                    participant_id=person.id,
                    status=data.draw(st.sampled_from(("present", "absent", "late"))),
                    recorded_at=utcnow() - dt.timedelta(minutes=minutes),
                    recorded_by_id=admin.id,
                )
            )
        if data.draw(st.booleans()):
            make.assessment(cohorts[0], person, trade_skill, admin)
        for kind in data.draw(st.lists(st.sampled_from(PLAN_KINDS[:3]), unique=True, max_size=2)):
            make.plan_item(person, kind=kind)
        for organisation in organisations:
            status = data.draw(st.sampled_from((None, *REFERRAL_STATUSES)))
            if status:
                make.referral(person, organisation, status=status)
            if data.draw(st.booleans()):
                make.consent(person, organisation)
        if data.draw(st.booleans()):
            released = today - dt.timedelta(days=data.draw(st.integers(5, 60)))
            make.episode(person, released_on=released)
            make.contact(person, caseworker, occurred_at=utcnow() - dt.timedelta(days=3))
            make.outcome(person, caseworker)
    for person in people:
        # The factories store rows directly: judge the follow-ups as the services would.
        refresh_met(person)
    db.session.commit()
