"""Demo workshops: trades, cohorts with rolls and sign-offs, and some certificates.

Everything goes through the services, so the demo obeys the same rules as users.
"""

from datetime import timedelta

from prog_tracker.core.dates import today_at
from prog_tracker.seed.demo.names import (
    QUALIFICATION_TITLES,
    SKILL_TITLES,
    TRADE_NAMES,
    cohort_titles,
)

# trade -> (qualification title, level, [(skill code, title)])
CATALOGUE = {
    "Furniture-making": (
        "Bench joiner",
        "1",
        [
            ("FUR-01", "Reads a cutting list and measures accurately"),
            ("FUR-02", "Cuts and planes timber to size"),
            ("FUR-03", "Makes mortise-and-tenon joints"),
            ("FUR-04", "Finishes and varnishes a piece"),
        ],
    ),
    "Tailoring": (
        "Garment maker",
        "1",
        [
            ("TAI-01", "Takes body measurements"),
            ("TAI-02", "Cuts fabric from a pattern"),
            ("TAI-03", "Sews straight and curved seams"),
        ],
    ),
    "Welding": (
        "Arc welder",
        "2",
        [
            ("WEL-01", "Works safely with welding equipment"),
            ("WEL-02", "Makes a butt weld in flat position"),
            ("WEL-03", "Makes a fillet weld"),
        ],
    ),
}
# The trade each country's demo cohort teaches.
COHORT_TRADES = {"kz": "Furniture-making", "tn": "Tailoring", "ug": "Welding"}
ROLL = ("present", "present", "late", "present", "absent", "sick", "present", "excused")


def seed_workshops(users, facilities) -> None:
    """Create the catalogue, then one running cohort per facility with its history."""
    by_name = {u.username: u for u in users}
    qualifications = _seed_catalogue(by_name["admin"])
    for key, trade_name in COHORT_TRADES.items():
        _seed_cohort(
            facility=facilities[key],
            officer=by_name[f"officer.{key}"],
            instructor=by_name[f"instructor.{key}"],
            supervisor=by_name["supervisor"],
            qualification=qualifications[trade_name],
        )


def _seed_catalogue(admin) -> dict:
    """Trades, skills and qualifications; returns trade name -> qualification."""
    from prog_tracker.certification.services import create_qualification, create_skill
    from prog_tracker.workshops.services import create_trade

    qualifications = {}
    for trade_name, (title, level, skills) in CATALOGUE.items():
        trade = create_trade(admin, {"name": trade_name, "names": TRADE_NAMES[trade_name]})
        skill_ids = [
            create_skill(
                admin,
                {"trade_id": trade.id, "code": code, "title": text, "titles": SKILL_TITLES[code]},
            ).id
            for code, text in skills
        ]
        qualifications[trade_name] = create_qualification(
            admin,
            {
                "trade_id": trade.id,
                "title": title,
                "titles": QUALIFICATION_TITLES[title],
                "level": level,
                "skill_ids": skill_ids,
            },
        )
    return qualifications


def _seed_cohort(facility, officer, instructor, supervisor, qualification) -> None:
    """A cohort half-way through: enrolments, a waitlist, rolls, sign-offs, certificates."""
    from sqlalchemy import select

    from prog_tracker.extensions import db
    from prog_tracker.participants.models import Participant
    from prog_tracker.workshops.enrolments import enrol_participant
    from prog_tracker.workshops.services import create_cohort

    today = today_at(facility)
    cohort = create_cohort(
        officer,
        {
            "trade_id": qualification.trade_id,
            "facility_id": facility.id,
            "title": f"{qualification.trade.name}, {today.year} intake",
            "titles": cohort_titles(qualification.trade.names, today.year),
            "instructor_ids": [instructor.id],
            "start_date": today - timedelta(days=42),
            "end_date": today + timedelta(days=48),
            "capacity": 6,
            "qualification_id": qualification.id,
        },
    )
    people = db.session.scalars(
        select(Participant)
        .where(Participant.facility_id == facility.id)
        .order_by(Participant.prison_number)
        .limit(7)
    ).all()
    for person in people:  # the seventh goes to the waitlist
        enrol_participant(instructor, cohort, person.id)
    enrolled = people[:6]
    _seed_rolls(instructor, cohort, enrolled, today)
    _seed_sign_offs(instructor, supervisor, cohort, qualification, enrolled, today)


def _seed_rolls(instructor, cohort, enrolled, today) -> None:
    """A session a week since the start, each with its roll; today's (roll not yet
    taken, so the demo opens on the instructor's daily task); one next week."""
    from prog_tracker.workshops.attendance import create_session, record_attendance

    topics = ("Safety and tools", "Measuring", "Cutting", "Joining", "Finishing", "Practice")
    for week, topic in enumerate(topics):
        day = cohort.start_date + timedelta(days=7 * week)
        session = create_session(instructor, cohort, {"date": day, "topic": topic})
        records = [
            {"participant_id": p.id, "status": ROLL[(week + i) % len(ROLL)]}
            for i, p in enumerate(enrolled)
        ]
        record_attendance(instructor, session, records)
    create_session(instructor, cohort, {"date": today, "topic": "Practice pieces"})
    create_session(instructor, cohort, {"date": today + timedelta(days=7), "topic": "Review"})


def _seed_sign_offs(instructor, supervisor, cohort, qualification, enrolled, today) -> None:
    """Every skill for the first three (two certified), some skills for the next two."""
    from prog_tracker.certification.certificates import issue_certificate
    from prog_tracker.certification.services import record_assessment

    for index, person in enumerate(enrolled[:5]):
        skills = qualification.skills if index < 3 else qualification.skills[:2]
        for offset, skill in enumerate(skills):
            record_assessment(
                instructor,
                {
                    "participant_id": person.id,
                    "skill_id": skill.id,
                    "cohort_id": cohort.id,
                    "result": "competent" if index != 4 or offset else "not_yet_competent",
                    "assessed_on": today - timedelta(days=20 - offset * 3),
                },
            )
    for person in enrolled[:2]:
        issue_certificate(
            supervisor, {"participant_id": person.id, "qualification_id": qualification.id}
        )
