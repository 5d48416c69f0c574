"""A hand-built set of cases for the retention tests, with the right answers in comments.

Run day: 1 June 2030. Default schedule: free text 2 years after a case closed
(cut-off 1 June 2028), identity 6 years after (cut-off 1 June 2024); ended
sessions 90 days (cut-off 3 March 2030); deactivated users' devices 30 days
(cut-off 2 May 2030). The follow-up schedule ends 395 days after a release
(+365 ± 30).
"""

import datetime as dt
from dataclasses import dataclass, field

from prog_tracker.aftercare.models import ContactVersion
from prog_tracker.auth.models import AuthSession
from prog_tracker.certification.models import Certificate
from prog_tracker.extensions import db
from prog_tracker.notifications.models import PushSubscription
from prog_tracker.participants.models import ReleaseDateChange
from prog_tracker.release.models import StatusChange
from prog_tracker.workshops.models import Attendance, AttendanceHistory

TODAY = dt.date(2030, 6, 1)
# Every free text and name the world holds: none may appear in an audit event.
SECRETS = (
    "Zhaksylykova",
    "Ainur",
    "Aika",
    "KZ-1001",
    "north gate",
    "court ruling",
    "needs housing",
    "sister's flat",
    "cousin's address",
    "Almaty market",
    "first draft",
    "bakery",
    "hostel on Abay",
    "late bus",
    "was unwell",
    "good welds",
    "issued in error",
)


def utc(*parts) -> dt.datetime:
    """An aware UTC time."""
    return dt.datetime(*parts, tzinfo=dt.UTC)


@dataclass
class World:
    """The records the tests look at, by name."""

    make: object
    people: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)


def build(make) -> World:
    """Every case of the retention rule, each built to test one part of it."""
    w = World(make)
    w.facility = make.facility("KZ", timezone="Asia/Almaty")
    w.partner = make.organisation("KZ")
    w.caseworker = make.user("caseworker", organisation_id=w.partner.id)
    w.admin = make.user("admin")
    _old(w)
    _expired(w)
    _recent(w)
    for name, released_on in (("fresh", dt.date(2029, 1, 1)), ("referred", dt.date(2015, 1, 1))):
        _released(w, name, released_on, summary=f"{name} summary")
    # Closed 31 January 2030 (schedule end): within both periods, nothing is due.
    # "referred": an accepted referral is an open case, however old.
    make.referral(w.people["referred"], w.partner, "accepted", **_dated(2015, 1, 2))
    # Consent given in 2014, never withdrawn, no expiry: still active, the case is open.
    consenting = _released(w, "consenting", dt.date(2015, 1, 1), summary="consenting summary")
    make.consent(consenting, w.partner, given_on=dt.date(2014, 12, 1))
    # Released in 2015, back inside in 2016: returned people never qualify.
    returned = _released(w, "returned", dt.date(2015, 1, 1), summary="returned summary")
    w.records["returned_episode"].returned_on = dt.date(2016, 1, 1)
    returned.status = "returned_to_custody"
    # Never released: notes from 2015 stay while the person is held.
    held = w.people["held"] = make.participant(w.facility, given_name="Held", status="in_custody")
    _attend(w, held, "held note")
    _sessions_and_devices(w)
    db.session.commit()
    return w


def _dated(*day) -> dict:
    """A referral made and answered on day (the factory's default is now)."""
    return {"created_at": utc(*day), "responded_at": utc(*day) + dt.timedelta(days=1)}


def _released(w: World, name: str, released_on, summary=None, **kwargs):
    """A released person with an episode, its follow-up schedule and one contact."""
    person = w.people[name] = w.make.participant(
        w.facility, given_name=kwargs.pop("given_name", name.title()), status="released", **kwargs
    )
    person.actual_release_date = released_on
    w.records[f"{name}_episode"] = w.make.episode(person, released_on)
    moment = utc(released_on.year, released_on.month, released_on.day + 20, 9)
    w.records[f"{name}_contact"] = w.make.contact(
        person, w.caseworker, occurred_at=moment, summary=summary
    )
    return person


def _old(w: World) -> None:
    """Released January 2019; consent withdrawn 1 March 2021, the latest event: the case
    closed that day, more than 6 years before the run. Everything is anonymised."""
    make = w.make
    old = _released(
        w,
        "old",
        dt.date(2019, 1, 10),
        given_name="Ainur",
        family_name="Zhaksylykova",
        other_names="Aika",
        prison_number="KZ-1001",
        date_of_birth=dt.date(1985, 7, 14),
    )
    contact = w.records["old_contact"]
    contact.summary, contact.location, contact.needs = (
        "At her sister's flat",
        "Almaty market",
        ["housing", "cousin's address"],
    )
    db.session.add(
        ContactVersion(
            contact_id=contact.id,
            version=1,
            occurred_at=contact.occurred_at,
            mode="visit",
            summary="first draft",
            needs=["housing"],
            written_by_id=w.caseworker.id,
            written_at=utc(2019, 1, 31),
        )
    )
    db.session.add(
        StatusChange(
            participant_id=old.id,
            kind="released",
            occurred_on=dt.date(2019, 1, 10),
            note="left by the north gate",
            recorded_by_id=w.admin.id,
        )
    )
    db.session.add(
        ReleaseDateChange(
            participant_id=old.id,
            previous_date=dt.date(2019, 3, 1),
            new_date=dt.date(2019, 1, 10),
            reason="court ruling",
            changed_by_id=w.admin.id,
        )
    )
    w.records["old_referral"] = make.referral(
        old,
        w.partner,
        "closed",
        reason="needs housing",
        closed_at=utc(2020, 6, 1),
        **_dated(2018, 11, 1),
    )
    make.consent(old, w.partner, given_on=dt.date(2018, 12, 1), withdrawn_on=dt.date(2021, 3, 1))
    make.outcome(old, w.caseworker, observed_on=dt.date(2019, 6, 1), note="bakery job")
    make.plan_item(old, "housing", status="done", note="hostel on Abay street")
    _attend(w, old, "late bus", earlier="was unwell")
    _certificate(w, old)


def _attend(w: World, person, note: str, earlier: str | None = None) -> None:
    """Attendance at a 2018 session with a note (and a replaced value with another)."""
    make = w.make
    cohort = w.records.get("cohort") or make.cohort(
        w.facility, start_date=dt.date(2018, 1, 1), end_date=dt.date(2018, 6, 30)
    )
    w.records["cohort"] = cohort
    session = w.records.get("session") or make.session(cohort, date=dt.date(2018, 3, 1))
    w.records["session"] = session
    make.enrolment(cohort, person, "completed", ended_on=dt.date(2018, 6, 30))
    row = Attendance(
        session_id=session.id,
        participant_id=person.id,
        status="present",
        note=note,
        recorded_by_id=w.admin.id,
    )
    db.session.add(row)
    db.session.flush()
    if earlier:
        db.session.add(
            AttendanceHistory(
                attendance_id=row.id,
                status="sick",
                note=earlier,
                recorded_at=utc(2018, 3, 1, 8),
                recorded_by_id=w.admin.id,
                version=1,
                replaced_by_id=w.admin.id,
            )
        )


def _certificate(w: World, person) -> None:
    """A competent assessment with a note and a revoked certificate with a reason."""
    make = w.make
    skill = make.skill()
    qualification = make.qualification(skills=[skill])
    make.assessment(
        w.records["cohort"],
        person,
        skill,
        w.admin,
        assessed_on=dt.date(2018, 5, 1),
        note="good welds",
    )
    w.records["certificate"] = make._save(
        Certificate(
            participant_id=person.id,
            qualification_id=qualification.id,
            code="RETN-TEST-0001-0001",
            issued_on=dt.date(2018, 7, 1),
            issued_by_id=w.admin.id,
            status="revoked",
            revoked_reason="issued in error",
            holder_name="Ainur Aika Zhaksylykova",
            issuer_facility_id=w.facility.id,
            assessment_ids=[],
        )
    )


def _expired(w: World) -> None:
    """Released 1 January 2015; consent expired 1 January 2016, referral closed: the case
    closed at the schedule's end, 31 January 2016. Everything is anonymised."""
    expired = _released(w, "expired", dt.date(2015, 1, 1), summary="expired summary")
    w.make.referral(expired, w.partner, "closed", closed_at=utc(2015, 6, 1), **_dated(2014, 11, 1))
    w.make.consent(
        expired, w.partner, given_on=dt.date(2014, 12, 1), expires_on=dt.date(2016, 1, 1)
    )


def _recent(w: World) -> None:
    """Released 1 January 2025, schedule over 31 January 2026: closed less than 6 years
    but more than 2 years ago. Free text blanked, the name kept."""
    recent = _released(w, "recent", dt.date(2025, 1, 1), summary="recent summary")
    w.make.referral(recent, w.partner, "declined", reason="recent reason", **_dated(2024, 12, 1))
    w.make.outcome(recent, w.caseworker, observed_on=dt.date(2025, 3, 1), note="recent note")


def _sessions_and_devices(w: World) -> None:
    """Sessions that ended on 1 January (deleted) and 30 May 2030 (kept); push
    subscriptions of a user deactivated in 2029 (deleted), one deactivated on 20 May
    2030 (kept) and an active user (kept)."""
    for n, expires in ((1, utc(2030, 1, 1)), (2, utc(2030, 5, 30))):
        db.session.add(
            AuthSession(
                token_hash=f"{n:064d}",
                user_id=w.admin.id,
                created_at=expires - dt.timedelta(hours=12),
                last_seen_at=expires - dt.timedelta(hours=12),
                expires_at=expires,
                csrf_token="x" * 32,
            )
        )
    gone = w.make.user("caseworker", active=False, updated_at=utc(2029, 1, 1))
    lately = w.make.user("caseworker", active=False, updated_at=utc(2030, 5, 20))
    for n, user in enumerate((gone, lately, w.caseworker)):
        subscription = PushSubscription(
            user_id=user.id, endpoint=f"https://push.example/{n}", p256dh="k" * 20, auth="a" * 8
        )
        db.session.add(subscription)
        db.session.flush()
        w.records[f"subscription_{n}"] = subscription
