"""Hand-built records of two people for the subject access tests.

Both are in one facility, cohort, session and partner organisation, with one
record of every kind each; free text carries MINE or THEIRS so a leak of the
second person's records into the first one's export is found by searching.
"""

import datetime as dt
import io
import json
import unicodedata
import zipfile

import pypdf
import pytest
from sqlalchemy import select

from prog_tracker.aftercare.models import ContactVersion
from prog_tracker.certification.certificates import new_code
from prog_tracker.certification.models import Certificate
from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.participants.models import ReleaseDateChange
from prog_tracker.privacy import subject_export
from prog_tracker.release.models import StatusChange
from prog_tracker.workshops.models import Attendance, AttendanceHistory

KAZAKH_GIVEN, KAZAKH_FAMILY = "Әлия", "Қасымқызы"
ARABIC_GIVEN, ARABIC_FAMILY = "محمد", "بن علي الطرابلسي"
RELEASED_ON = dt.date(2026, 3, 2)


def records_of(make, world, person, tag: str) -> dict:
    """One record of every kind about person; free text carries tag to find it later."""
    officer, instructor, caseworker = world["officer"], world["instructor"], world["caseworker"]
    made = {}
    made["date_change"] = make._save(
        ReleaseDateChange(
            participant_id=person.id,
            new_date=dt.date(2026, 3, 1),
            reason=f"Sentence recalculated {tag}",
            changed_by_id=officer.id,
        )
    )
    made["status_change"] = make._save(
        StatusChange(
            participant_id=person.id,
            kind="released",
            occurred_on=RELEASED_ON,
            to_facility_id=world["facility"].id,
            note=f"Collected by family {tag}",
            recorded_by_id=officer.id,
        )
    )
    made["episode"] = make.episode(person, RELEASED_ON)  # with its follow-up schedule
    made["plan_item"] = make.plan_item(
        person, kind="housing", owner_organisation_id=world["organisation"].id, note=f"Hostel {tag}"
    )
    made["enrolment"] = make.enrolment(world["cohort"], person)
    made["attendance"] = make._save(
        Attendance(
            session_id=world["session"].id,
            participant_id=person.id,
            status="late",
            note=f"Bus was late {tag}",
            recorded_by_id=instructor.id,
        )
    )
    made["attendance_history"] = make._save(
        AttendanceHistory(
            attendance_id=made["attendance"].id,
            status="absent",
            recorded_at=utcnow() - dt.timedelta(hours=2),
            recorded_by_id=instructor.id,
            version=1,
            replaced_by_id=instructor.id,
        )
    )
    made["assessment"] = make.assessment(
        world["cohort"], person, world["skill"], instructor, note=f"Clean joints {tag}"
    )
    made["certificate"] = make._save(
        Certificate(
            participant_id=person.id,
            qualification_id=world["qualification"].id,
            code=new_code(),
            issued_on=dt.date(2026, 2, 20),
            issued_by_id=world["admin"].id,
            holder_name=f"{person.given_name} {person.family_name}",
            issuer_facility_id=world["facility"].id,
            assessment_ids=[made["assessment"].id],
        )
    )
    made["referral"] = make.referral(
        person,
        world["organisation"],
        status="accepted",
        reason=f"Needs work {tag}",
        assigned_caseworker_id=caseworker.id,
        referred_by=officer.id,
    )
    made["consent"] = make.consent(
        person,
        world["organisation"],
        given_on=dt.date(2026, 2, 1),
        method="thumbprint",
        wording_locale="ru",
        recorded_by=officer.id,
    )
    made["contact"] = make.contact(
        person,
        caseworker,
        occurred_at=dt.datetime(2026, 3, 8, 6, 30, tzinfo=dt.UTC),
        location=f"Hostel kitchen {tag}",
        summary=f"Started at the workshop {tag}",
        needs=["work", "documents"],
    )
    made["contact_version"] = make._save(
        ContactVersion(
            contact_id=made["contact"].id,
            version=1,
            occurred_at=dt.datetime(2026, 3, 5, 6, 0, tzinfo=dt.UTC),
            mode="phone",
            summary=f"First draft {tag}",
            needs=["work"],
            written_by_id=caseworker.id,
            written_at=dt.datetime(2026, 3, 5, 7, 0, tzinfo=dt.UTC),
        )
    )
    made["outcome"] = make.outcome(
        person,
        caseworker,
        observed_on=dt.date(2026, 4, 1),
        employment="self_employed",
        uses_trained_skill=True,
        housing="temporary",
        note=f"Own stall {tag}",
    )
    return made


@pytest.fixture(name="world")
def world_fixture(make):
    """Two people with records of every kind in one facility, cohort and organisation."""
    facility = make.facility(country="KZ", name="Colony 7", timezone="Asia/Almaty")
    organisation = make.organisation(country="KZ", name="Hope Partners")
    trade = make.trade(name="Joinery for export")
    skill = make.skill(trade, code="J-1", title="Dovetail joints")
    qualification = make.qualification(trade, skills=[skill], title="Joiner", level="2")
    instructor = make.user("instructor", facility=facility, display_name="Instructor Arman")
    world = {
        "facility": facility,
        "organisation": organisation,
        "skill": skill,
        "qualification": qualification,
        "admin": make.user("admin", display_name="Admin Dana"),
        "officer": make.user("officer", facility=facility, display_name="Officer Saule"),
        "instructor": instructor,
        "caseworker": make.user(
            "caseworker", organisation=organisation, display_name="Caseworker Ruslan"
        ),
        "cohort": make.cohort(
            facility, instructors=[instructor], trade=trade, qualification_id=qualification.id
        ),
    }
    world["session"] = make.session(world["cohort"], date=dt.date(2026, 2, 10), topic="Joints")
    world["person"] = make.participant(
        facility=facility,
        prison_number="KZ-7-0001",
        given_name=KAZAKH_GIVEN,
        family_name=KAZAKH_FAMILY,
        other_names="Aliya",
        preferred_language="ru",
        status="released",
        expected_release_date=dt.date(2026, 3, 1),
        actual_release_date=RELEASED_ON,
    )
    world["other"] = make.participant(
        facility=facility,
        prison_number="KZ-7-0002",
        given_name="Бауыржан",
        family_name="Other-Person",
        status="released",
    )
    world["mine"] = records_of(make, world, world["person"], "MINE")
    world["theirs"] = records_of(make, world, world["other"], "THEIRS")
    return world


def open_zip(archive: bytes) -> dict:
    """The ZIP's members: subject.json parsed, the PDF's text, README.txt."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        assert sorted(zipped.namelist()) == ["README.txt", "subject.json", "subject.pdf"]
        pdf = zipped.read("subject.pdf")
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        text = "\n".join(page.extract_text() for page in reader.pages)
        return {
            "raw": {name: zipped.read(name) for name in zipped.namelist()},
            "json": json.loads(zipped.read("subject.json").decode("utf-8")),
            "pdf_text": unicodedata.normalize("NFKC", text),
            "readme": zipped.read("README.txt").decode("utf-8"),
        }


def export(person) -> dict:
    return open_zip(subject_export.build_subject_zip(person))


def last_event():
    """The newest audit event."""
    return db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
