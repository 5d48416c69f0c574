"""A small hand-built programme whose indicators were worked out by hand (see test_indicators).

Period under test: 2026-01-01 … 2026-06-30. Facilities A and B are in Kazakhstan
(Asia/Almaty, UTC+5), C in Tunisia (Africa/Tunis, UTC+1). People are p1…p13;
the comments give what each record is there to test.
"""

import datetime as dt
from dataclasses import dataclass, field

from prog_tracker.certification.models import Certificate
from prog_tracker.extensions import db
from prog_tracker.release.followups import refresh_met
from prog_tracker.release.models import ReleaseEpisode, StatusChange

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
PERIOD = "from=2026-01-01&to=2026-06-30"
ON_REGISTER = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)


def utc(*parts) -> dt.datetime:
    """An aware UTC time."""
    return dt.datetime(*parts, tzinfo=dt.UTC)


@dataclass
class World:
    """What the tests look up: facilities, trades, organisation, people by number."""

    make: object
    a: object = None
    b: object = None
    c: object = None
    welding: object = None
    tailoring: object = None
    partner: object = None
    caseworker: object = None
    admin: object = None
    people: dict = field(default_factory=dict)

    def person(self, n: int, facility=None, **kwargs):
        """Participant pN, on the register since mid-2024, male unless told."""
        kwargs.setdefault("sex", "male")
        self.people[n] = self.make.participant(
            facility=facility or self.a, created_at=ON_REGISTER, **kwargs
        )
        return self.people[n]


def build(make) -> World:
    """The whole programme."""
    w = World(make)
    w.a = make.facility("KZ", timezone="Asia/Almaty")
    w.b = make.facility("KZ", timezone="Asia/Almaty")
    w.c = make.facility("TN", timezone="Africa/Tunis")
    w.welding, w.tailoring = make.trade(name="Welding"), make.trade(name="Tailoring")
    w.partner = make.organisation("KZ")
    w.caseworker = make.user("caseworker", organisation_id=w.partner.id)
    w.admin = make.user("admin")
    _people(w)
    _workshops(w)
    _releases(w)
    _after_release(w)
    return w


def _people(w: World) -> None:
    """p1…p13; p9 is the only one in Tunisia, p12 the only one at facility B."""
    w.person(1, sex="female")
    for n in (2, 3, 5, 6, 10, 11, 13):
        w.person(n)
    w.person(4, expected_release_date=dt.date(2026, 9, 28))  # to + 90: counted ahead
    w.person(7, expected_release_date=dt.date(2026, 6, 30))  # on `to` itself: not ahead
    w.person(8, expected_release_date=dt.date(2026, 9, 29))  # one day too late
    w.person(9, facility=w.c)
    w.person(12, facility=w.b)


def _workshops(w: World) -> None:
    """Cohorts, enrolments, sessions, attendance, assessments and certificates."""
    make, p = w.make, w.people
    welding_a = make.cohort(
        w.a, trade=w.welding, start_date=dt.date(2025, 12, 1), end_date=dt.date(2026, 3, 31)
    )
    tailoring_a = make.cohort(
        w.a, trade=w.tailoring, start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 5, 31)
    )
    welding_c = make.cohort(
        w.c, trade=w.welding, start_date=dt.date(2026, 1, 10), end_date=dt.date(2026, 4, 1)
    )
    day = dt.date
    ended = {
        # (cohort, person, status, reason, enrolled_on, ended_on)
        1: (welding_a, 1, "completed", None, day(2025, 12, 1), day(2026, 3, 31)),
        2: (welding_a, 2, "withdrawn", "own_request", day(2025, 12, 1), day(2026, 2, 10)),
        3: (welding_a, 3, "withdrawn", "released", day(2025, 12, 1), day(2026, 1, 20)),
        4: (welding_a, 4, "enrolled", None, day(2026, 1, 5), None),
        6: (welding_a, 6, "completed", None, day(2025, 12, 1), day(2025, 12, 20)),
        7: (tailoring_a, 1, "withdrawn", "transferred", day(2026, 2, 1), day(2026, 3, 1)),
        8: (tailoring_a, 7, "completed", None, day(2026, 2, 1), day(2026, 7, 5)),
        9: (tailoring_a, 8, "withdrawn", "security", day(2026, 2, 1), day(2026, 6, 30)),
        10: (welding_c, 9, "completed", None, day(2026, 1, 10), day(2026, 4, 1)),
    }
    for cohort, n, status, reason, enrolled_on, ended_on in ended.values():
        make.enrolment(
            cohort, p[n], status, status_reason=reason, enrolled_on=enrolled_on, ended_on=ended_on
        )
    make.enrolment(welding_a, p[5], "waitlisted")  # waiting is not taking part
    _attendance(w, welding_a, tailoring_a)
    _assessments_and_certificates(w, welding_a, welding_c)


def _attendance(w: World, welding_a, tailoring_a) -> None:
    """Six records in the period (three present or late), one before it."""
    make, p = w.make, w.people
    instructor = make.user("instructor", facility=w.a)
    rolls = [
        (welding_a, dt.date(2026, 1, 15), {1: "present", 2: "late", 4: "absent", 3: "excused"}),
        (welding_a, dt.date(2025, 12, 15), {1: "present"}),
        (tailoring_a, dt.date(2026, 3, 1), {7: "sick", 8: "present"}),
    ]
    from prog_tracker.workshops.models import Attendance

    for cohort, day, roll in rolls:
        session = make.session(cohort, date=day)
        for n, status in roll.items():
            db.session.add(
                Attendance(
                    session_id=session.id,
                    participant_id=p[n].id,
                    status=status,
                    recorded_by_id=instructor.id,
                )
            )
    db.session.commit()


def _assessments_and_certificates(w: World, welding_a, welding_c) -> None:
    """Two assessments in the period; one valid certificate in it, one revoked, one before."""
    make, p = w.make, w.people
    instructor = make.user("instructor", facility=w.a)
    skill = make.skill(w.welding)
    qualification = make.qualification(w.welding, skills=[skill])
    for n, result, day in (
        (1, "competent", dt.date(2026, 3, 15)),
        (2, "not_yet_competent", dt.date(2026, 2, 1)),
        (1, "competent", dt.date(2025, 12, 31)),
    ):
        make.assessment(welding_a, p[n], skill, instructor, result=result, assessed_on=day)
    for n, facility, day, status in (
        (1, w.a, dt.date(2026, 4, 1), "valid"),
        (9, w.c, dt.date(2026, 4, 5), "revoked"),
        (6, w.a, dt.date(2025, 12, 31), "valid"),
    ):
        db.session.add(
            Certificate(
                participant_id=p[n].id,
                qualification_id=qualification.id,
                code=f"TEST-{n}-{day.isoformat()}",
                issued_on=day,
                issued_by_id=w.admin.id,
                status=status,
                holder_name="Holder",
                issuer_facility_id=facility.id,
                assessment_ids=[],
            )
        )
    db.session.commit()


def _release(w: World, n: int, released_on, returned_on=None) -> ReleaseEpisode:
    """An episode of pN with its status history (no follow-up schedule)."""
    person = w.people[n]
    episode = w.make.episode(person, released_on, returned_on=returned_on, schedule=False)
    changes = [("released", released_on)] + (
        [("returned_to_custody", returned_on)] * bool(returned_on)
    )
    for kind, day in changes:
        db.session.add(
            StatusChange(
                participant_id=person.id, kind=kind, occurred_on=day, recorded_by_id=w.admin.id
            )
        )
    person.status = "returned_to_custody" if returned_on else "released"
    db.session.commit()
    return episode


def _releases(w: World) -> None:
    """Six episodes: three released in the period, p11 released twice."""
    w.e1 = _release(w, 3, dt.date(2026, 1, 20))
    w.e2 = _release(w, 10, dt.date(2026, 2, 1))
    w.e3 = _release(w, 11, dt.date(2025, 3, 10), returned_on=dt.date(2025, 9, 1))
    w.e4 = _release(w, 11, dt.date(2026, 3, 15))
    w.e5 = _release(w, 12, dt.date(2025, 11, 30))
    w.e6 = _release(w, 13, dt.date(2025, 2, 1), returned_on=dt.date(2026, 2, 5))
    make, p = w.make, w.people
    # p3's plan was ready on release day; p10's last item was done two days late; p11 has none.
    make.plan_item(p[3], "housing", status="done", completed_on=dt.date(2026, 1, 10))
    make.plan_item(p[3], "employment", status="not_needed")
    make.plan_item(p[10], "housing", status="done", completed_on=dt.date(2026, 2, 3))
    # Accepted 20:00 UTC on 19 January is 01:00 on the 20th in Almaty: on release day.
    make.referral(p[3], w.partner, "accepted", responded_at=utc(2026, 1, 19, 20))
    # 20:00 UTC on 1 February is already 2 February in Almaty: after release day.
    make.referral(p[10], w.partner, "accepted", responded_at=utc(2026, 2, 1, 20))
    # Accepted before the first release, closed since: still accepted before the second.
    make.referral(p[11], w.partner, "closed", responded_at=utc(2025, 3, 1, 9))


def _after_release(w: World) -> None:
    """Contacts, follow-ups and outcomes."""
    make, p, cw = w.make, w.people, w.caseworker
    contacts = [
        (3, utc(2026, 1, 27, 18, 30), "visit"),  # 23:30 on day 7 in Almaty: within 7 days
        (3, utc(2026, 2, 26, 18), "phone"),  # 23:00 on the last day of the 30-day window
        (10, utc(2026, 2, 3, 9), "attempt_failed"),  # failed attempts never count
        (10, utc(2026, 2, 8, 19, 30), "visit"),  # 00:30 on 9 Feb in Almaty: day 8
        (10, utc(2026, 3, 1, 9), "attempt_failed"),
        (11, utc(2026, 3, 16, 9), "phone"),
        (11, utc(2026, 3, 25, 19, 10), "visit"),  # 00:10 on 26 March: a day after the window
    ]
    for n, moment, mode in contacts:
        make.contact(p[n], cw, occurred_at=moment, mode=mode)
    for episode, offset, window in (
        (w.e1, 7, 3),  # closes 30 Jan: met on the 27th
        (w.e1, 30, 7),  # closes 26 Feb: met on its last day
        (w.e1, 180, 14),  # closes in August: not in the period
        (w.e2, 7, 3),  # closes 11 Feb: met on the 9th (local)
        (w.e2, 30, 7),  # closes 10 March: only a failed attempt
        (w.e4, 7, 3),  # closes 25 March: contacts on the 16th and 26th miss it
    ):
        make.follow_up(episode, sequence=offset, offset_days=offset, window_days=window)
    for n in (3, 10, 11):  # as the contact and release services do after their changes
        refresh_met(p[n])
    db.session.commit()
    outcomes = [
        (3, dt.date(2026, 5, 15), "employed_formal", True),  # 3-month mark 20 April, +25 days
        (10, dt.date(2026, 6, 5), "unemployed", None),  # mark 1 May, +35 days: outside
        (11, dt.date(2026, 6, 1), "unemployed", None),  # mark 15 June, -14 days
        (12, dt.date(2026, 3, 30), "self_employed", False),  # mark 28 Feb, +30: the edge
        (12, dt.date(2026, 6, 10), "employed_informal", None),  # 6-month mark 30 May
        (11, dt.date(2026, 3, 1), "unemployed", None),  # 12-month mark of e3: 10 March
    ]
    for n, day, employment, skill in outcomes:
        make.outcome(p[n], cw, observed_on=day, employment=employment, uses_trained_skill=skill)
