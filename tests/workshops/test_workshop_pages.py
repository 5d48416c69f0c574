"""Workshop pages through the browser's eyes: cohorts, enrolment, sessions, rolls, skills."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from prog_tracker.certification.models import Assessment
from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.workshops.models import Attendance, AttendanceHistory, Enrolment
from tests.pages import inline_script


@pytest.fixture
def shop(make):
    """Facility A with an officer, an instructor teaching a cohort of 2 places, and a trade."""
    facility = make.facility()
    instructor = make.user("instructor", facility=facility)
    trade = make.trade()
    cohort = make.cohort(
        facility, instructors=[instructor], trade=trade, capacity=2, title="Joinery spring"
    )
    return {
        "facility": facility,
        "instructor": instructor,
        "officer": make.user("officer", facility=facility),
        "trade": trade,
        "cohort": cohort,
    }


def _text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def _latest_event(action: str) -> AuditEvent:
    """The newest audit event with this action."""
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())
    ).first()


def _enrolment(cohort, person) -> Enrolment:
    """The person's newest enrolment in cohort, read fresh."""
    db.session.expire_all()
    return db.session.scalars(
        select(Enrolment)
        .where(Enrolment.cohort_id == cohort.id, Enrolment.participant_id == person.id)
        .order_by(Enrolment.created_at.desc())
    ).first()


def _flashes(client) -> list[str]:
    """The flash messages shown on the next page."""
    page = _text(client.get("/cohorts"))
    return re.findall(r'class="flash flash-\w+" role="status">([^<]*)<', page)


# Cohort list and cohort page


def test_instructor_sees_only_the_cohorts_they_teach(client, make, signin, shop):
    other = make.cohort(shop["facility"], title="Tailoring autumn")
    signin(client, shop["instructor"])
    page = _text(client.get("/cohorts"))
    assert "Joinery spring" in page and "Tailoring autumn" not in page
    assert 'href="/cohorts"' in page  # the nav link
    assert "New cohort" not in page
    assert "0 of 2 places taken" in page
    assert client.get(f"/cohorts/{other.id}").status_code == 404
    assert client.get(f"/cohorts/{shop['cohort'].id}").status_code == 200
    assert client.get("/cohorts/not-a-uuid").status_code == 404


def test_officer_sees_the_facilitys_cohorts_and_the_new_button(client, make, signin, shop):
    elsewhere = make.cohort(make.facility(), title="Welding elsewhere")
    signin(client, shop["officer"])
    page = _text(client.get("/cohorts"))
    assert "Joinery spring" in page and "Welding elsewhere" not in page
    assert "New cohort" in page
    assert client.get(f"/cohorts/{elsewhere.id}").status_code == 404


def test_cohort_page_shows_roster_waitlist_ended_and_audits_the_people(client, make, signin, shop):
    cohort = shop["cohort"]
    people = [make.participant(facility=shop["facility"], family_name=f"Zh{n}") for n in "abcde"]
    make.enrolment(cohort, people[0])
    make.enrolment(cohort, people[1])
    make.enrolment(cohort, people[2], status="waitlisted")
    make.enrolment(cohort, people[3], status="waitlisted")
    make.enrolment(
        cohort, people[4], status="withdrawn", status_reason="health", ended_on=cohort.start_date
    )
    make.session(cohort, date=today_at(shop["facility"]), topic="Dovetail joints")
    signin(client, shop["instructor"])
    page = _text(client.get(f"/cohorts/{cohort.id}"))
    roster = page.split('id="roster"')[1].split('id="waitlist"')[0]
    waitlist = page.split('id="waitlist"')[1].split('id="ended"')[0]
    ended = page.split('id="ended"')[1].split('id="sessions"')[0]
    assert "Zha" in roster and "Zhb" in roster and "Skills checklist" in roster
    assert waitlist.index("Zhc") < waitlist.index("Zhd") and "<ol" in waitlist
    assert "Zhe" in ended and "Health" in ended and "<details" in page.split('id="ended"')[0][-60:]
    assert "Dovetail joints" in page and "Today" in page and "Take today's roll" in page
    assert "Plan a session" in page and "Enrol people" in page
    event = _latest_event("enrolment.list")
    assert sorted(event.entity_ids) == sorted(p.id for p in people)
    assert event.actor_id == shop["instructor"].id


def test_supervisor_sees_a_cohort_without_action_buttons(client, make, signin, shop):
    person = make.participant(facility=shop["facility"])
    make.enrolment(shop["cohort"], person)
    signin(client, make.user("supervisor", country="KZ"))
    page = _text(client.get(f"/cohorts/{shop['cohort'].id}"))
    assert person.family_name in page
    assert "Plan a session" not in page and "Enrol people" not in page
    assert "Withdraw" not in page and "Mark completed" not in page


# Opening a cohort


def _cohort_form(csrf, shop, **changes) -> dict:
    today = today_at(shop["facility"])
    return {
        "csrf_token": csrf,
        "trade_id": shop["trade"].id,
        "facility_id": shop["facility"].id,
        "title": "Evening joinery",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=30)).isoformat(),
        "capacity": "12",
        "instructor_ids": [shop["instructor"].id],
        "qualification_id": "",
        **changes,
    }


def test_officer_opens_a_cohort_through_the_form(client, make, signin, shop):
    csrf = signin(client, shop["officer"])
    form = _text(client.get("/cohorts/new"))
    assert shop["instructor"].display_name in form and shop["trade"].name in form
    response = client.post("/cohorts/new", data=_cohort_form(csrf, shop))
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "Evening joinery" in page and shop["instructor"].display_name in page
    assert "0 of 12 places taken" in page


def test_the_form_offers_qualifications_and_the_cohort_page_names_its_own(
    client, make, signin, shop
):
    # Qualifications are certification's: its template helpers supply them to these pages.
    qualification = make.qualification(shop["trade"], title="Joiner", level="2")
    signin(client, shop["officer"])
    form = _text(client.get("/cohorts/new"))
    assert f'value="{qualification.id}"' in form
    assert f"Joiner (level 2) — {shop['trade'].name}" in form
    assert "Joiner (level 2)" not in _text(client.get(f"/cohorts/{shop['cohort'].id}"))
    shop["cohort"].qualification_id = qualification.id
    db.session.commit()
    assert "Joiner (level 2)" in _text(client.get(f"/cohorts/{shop['cohort'].id}"))


def test_a_refused_cohort_keeps_what_was_typed(client, make, signin, shop):
    csrf = signin(client, shop["officer"])
    stranger = make.user("instructor", facility=make.facility())
    today = today_at(shop["facility"])
    response = client.post(
        "/cohorts/new",
        data=_cohort_form(
            csrf,
            shop,
            title="Typed title",
            end_date=(today - timedelta(days=1)).isoformat(),
            instructor_ids=[stranger.id],
        ),
    )
    assert response.status_code == 422
    page = _text(response)
    assert 'value="Typed title"' in page and 'value="12"' in page
    assert 'id="f-end_date-error"' in page and 'id="f-instructor_ids-error"' in page


def test_capacity_that_is_not_a_number_is_refused_on_the_form(client, signin, shop):
    csrf = signin(client, shop["officer"])
    response = client.post("/cohorts/new", data=_cohort_form(csrf, shop, capacity="many"))
    assert response.status_code == 422
    assert 'id="f-capacity-error"' in _text(response)


def test_instructors_and_supervisors_cannot_open_cohorts(client, make, signin, shop):
    csrf = signin(client, shop["instructor"])
    assert client.get("/cohorts/new").status_code == 403
    assert client.post("/cohorts/new", data=_cohort_form(csrf, shop)).status_code == 403


# Enrolment


def test_instructor_finds_and_enrols_a_person_in_custody(client, make, signin, shop):
    person = make.participant(
        facility=shop["facility"], given_name="Нурлан", family_name="Беков", prison_number="KZ-77"
    )
    csrf = signin(client, shop["instructor"])
    page = _text(client.get(f"/cohorts/{shop['cohort'].id}/enrol?q=nurlan"))
    assert "Беков, Нурлан" in page and "KZ-77" in page and "In custody" in page
    assert "1990-01-01" not in page and "Date of birth" not in page  # SPEC §3: no birth date
    event = _latest_event("participant.search")
    assert event.entity_ids == [person.id] and event.actor_id == shop["instructor"].id
    response = client.post(
        f"/cohorts/{shop['cohort'].id}/enrolments",
        data={"csrf_token": csrf, "participant_id": person.id, "q": "nurlan"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/enrol?q=nurlan")
    after = _text(client.get(response.headers["Location"]))
    assert "Enrolled." in after and "Нурлан" not in after.split("<main")[1].split("<form")[0]
    assert _enrolment(shop["cohort"], person).status == "enrolled"
    # Now enrolled: no second Enrol button for them.
    assert f'name="participant_id" value="{person.id}"' not in after


def test_a_released_person_is_not_listed_and_posting_them_is_refused(client, make, signin, shop):
    released = make.participant(facility=shop["facility"], family_name="Gone", status="released")
    csrf = signin(client, shop["instructor"])
    assert "Gone" not in _text(client.get(f"/cohorts/{shop['cohort'].id}/enrol?q=gone"))
    response = client.post(
        f"/cohorts/{shop['cohort'].id}/enrolments",
        data={"csrf_token": csrf, "participant_id": released.id, "q": "gone"},
    )
    assert response.status_code == 422
    page = _text(response)
    assert "Only people in custody can be enrolled." in page
    assert 'name="q" type="search"' in page and 'value="gone"' in page  # the search is kept
    assert _enrolment(shop["cohort"], released) is None


def test_a_person_of_another_facility_is_never_listed_nor_enrolled(client, make, signin, shop):
    make.participant(facility=shop["facility"], family_name="Samename")
    stranger = make.participant(facility=make.facility(), family_name="Samename")
    csrf = signin(client, shop["instructor"])
    page = _text(client.get(f"/cohorts/{shop['cohort'].id}/enrol?q=samename"))
    assert page.count("Samename,") == 1 and stranger.prison_number not in page
    assert stranger.id not in _latest_event("participant.search").entity_ids
    response = client.post(
        f"/cohorts/{shop['cohort'].id}/enrolments",
        data={"csrf_token": csrf, "participant_id": stranger.id, "q": "samename"},
    )
    assert response.status_code == 422
    assert "not held at the cohort's facility" in _text(response)
    assert _enrolment(shop["cohort"], stranger) is None


def test_a_full_cohort_waitlists(client, make, signin, shop):
    cohort = shop["cohort"]
    for _ in range(2):
        make.enrolment(cohort, make.participant(facility=shop["facility"]))
    person = make.participant(facility=shop["facility"])
    csrf = signin(client, shop["officer"])
    page = _text(client.get(f"/cohorts/{cohort.id}/enrol"))
    assert "The cohort is full" in page
    response = client.post(
        f"/cohorts/{cohort.id}/enrolments", data={"csrf_token": csrf, "participant_id": person.id}
    )
    assert response.status_code == 302
    assert "Added to the waitlist (the cohort is full)." in _flashes(client)
    assert _enrolment(cohort, person).status == "waitlisted"


def test_supervisor_cannot_search_or_enrol(client, make, signin, shop):
    person = make.participant(facility=shop["facility"])
    csrf = signin(client, make.user("supervisor", country="KZ"))
    assert client.get(f"/cohorts/{shop['cohort'].id}/enrol").status_code == 403
    response = client.post(
        f"/cohorts/{shop['cohort'].id}/enrolments",
        data={"csrf_token": csrf, "participant_id": person.id},
    )
    assert response.status_code == 403


# Changing enrolments


def test_withdrawal_needs_a_reason_and_promotes_the_first_waitlisted(client, make, signin, shop):
    cohort = shop["cohort"]
    leaving, staying = (make.participant(facility=shop["facility"]) for _ in range(2))
    first, second = (make.participant(facility=shop["facility"]) for _ in range(2))
    place = make.enrolment(cohort, leaving)
    make.enrolment(cohort, staying)
    make.enrolment(cohort, first, status="waitlisted")
    make.enrolment(cohort, second, status="waitlisted")
    csrf = signin(client, shop["instructor"])
    refused = client.post(
        f"/enrolments/{place.id}",
        data={"csrf_token": csrf, "status": "withdrawn", "status_reason": ""},
    )
    assert refused.status_code == 422
    page = _text(refused)
    assert "Say why the person is withdrawn." in page
    assert f'id="e-{place.id}-status_reason-error"' in page
    assert _enrolment(cohort, leaving).status == "enrolled"
    done = client.post(
        f"/enrolments/{place.id}",
        data={"csrf_token": csrf, "status": "withdrawn", "status_reason": "health"},
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/cohorts/{cohort.id}")
    flashes = _flashes(client)
    assert "Withdrawn from the cohort." in flashes
    assert not any(leaving.family_name in message for message in flashes)
    withdrawn = _enrolment(cohort, leaving)
    assert (withdrawn.status, withdrawn.status_reason) == ("withdrawn", "health")
    assert _enrolment(cohort, first).status == "enrolled"
    assert _enrolment(cohort, second).status == "waitlisted"


def test_a_stale_enrolment_form_is_refused_without_change(client, make, signin, shop):
    place = make.enrolment(shop["cohort"], make.participant(facility=shop["facility"]))
    csrf = signin(client, shop["officer"])
    response = client.post(
        f"/enrolments/{place.id}",
        data={"csrf_token": csrf, "status": "completed", "version": str(place.version + 5)},
    )
    assert response.status_code == 409
    assert "Someone changed this record" in _text(response)
    assert _enrolment(shop["cohort"], place.participant).status == "enrolled"


def test_an_enrolment_of_another_cohort_is_not_found(client, make, signin, shop):
    other = make.cohort(shop["facility"])
    place = make.enrolment(other, make.participant(facility=shop["facility"]))
    csrf = signin(client, shop["instructor"])
    response = client.post(
        f"/enrolments/{place.id}",
        data={"csrf_token": csrf, "status": "withdrawn", "status_reason": "health"},
    )
    assert response.status_code == 404


# Sessions


def test_a_session_defaults_to_today_and_must_fall_within_the_cohort(client, signin, shop):
    cohort = shop["cohort"]
    csrf = signin(client, shop["instructor"])
    form = _text(client.get(f"/cohorts/{cohort.id}/sessions/new"))
    assert f'value="{today_at(shop["facility"]).isoformat()}"' in form
    late = (cohort.end_date + timedelta(days=1)).isoformat()
    refused = client.post(
        f"/cohorts/{cohort.id}/sessions/new",
        data={"csrf_token": csrf, "date": late, "topic": "Too late"},
    )
    assert refused.status_code == 422
    page = _text(refused)
    assert "Sessions must fall within the cohort's dates." in page
    assert f'value="{late}"' in page and 'value="Too late"' in page
    assert 'id="f-date-error"' in page
    made = client.post(
        f"/cohorts/{cohort.id}/sessions/new",
        data={"csrf_token": csrf, "date": cohort.start_date.isoformat(), "topic": "Joints"},
    )
    assert made.status_code == 302 and "/sessions/" in made.headers["Location"]
    assert made.headers["Location"].endswith("/attendance")


def test_officers_do_not_plan_sessions(client, signin, shop):
    signin(client, shop["officer"])
    assert client.get(f"/cohorts/{shop['cohort'].id}/sessions/new").status_code == 403


# The attendance roll


def _roll_people(make, shop, n=2):
    """n enrolled people (named so the roll sorts them) and one waitlisted person."""
    people = [
        make.participant(facility=shop["facility"], family_name=name)
        for name in ("Yermek", "Abenov", "Kassym")[:n]
    ]
    for person in people:
        make.enrolment(shop["cohort"], person)
    waiting = make.participant(facility=shop["facility"], family_name="Waiting")
    make.enrolment(shop["cohort"], waiting, status="waitlisted")
    return people, waiting


def _checked(page: str, pid: str) -> str | None:
    """The status whose radio is checked for a person on the roll."""
    match = re.search(rf'name="status-{pid}" value="(\w+)" checked', page)
    return match.group(1) if match else None


def test_the_roll_saves_every_row_at_once_and_keeps_history(client, make, signin, shop):
    (yermek, abenov), _waiting = _roll_people(make, shop)
    session = make.session(shop["cohort"], date=today_at(shop["facility"]))
    csrf = signin(client, shop["instructor"])
    page = _text(client.get(f"/sessions/{session.id}/attendance"))
    assert page.index("Abenov") < page.index("Yermek") and "Waiting" not in page
    assert _checked(page, yermek.id) == "present" and _checked(page, abenov.id) == "present"
    assert page.count("Save the roll") == 1 and "<fieldset" in page and "<legend" in page
    event = _latest_event("attendance.list")
    assert sorted(event.entity_ids) == sorted([yermek.id, abenov.id])
    roll = {
        "csrf_token": csrf,
        "participant_id": [abenov.id, yermek.id],
        f"status-{abenov.id}": "present",
        f"status-{yermek.id}": "sick",
        f"note-{yermek.id}": "At the clinic",
    }
    saved = client.post(f"/sessions/{session.id}/attendance", data=roll)
    assert saved.status_code == 302
    rows = {
        a.participant_id: a
        for a in db.session.scalars(select(Attendance).where(Attendance.session_id == session.id))
    }
    assert {pid: a.status for pid, a in rows.items()} == {abenov.id: "present", yermek.id: "sick"}
    assert rows[yermek.id].note == "At the clinic"
    page = _text(client.get(f"/sessions/{session.id}/attendance"))
    assert "The roll is saved." in page
    assert f"Saved by {shop['instructor'].display_name}" in page
    assert _checked(page, yermek.id) == "sick" and "At the clinic" in page
    again = client.post(
        f"/sessions/{session.id}/attendance",
        data={**roll, f"status-{yermek.id}": "late", f"note-{yermek.id}": ""},
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Attendance, rows[yermek.id].id).status == "late"
    history = db.session.scalars(
        select(AttendanceHistory).where(
            AttendanceHistory.attendance_id.in_([a.id for a in rows.values()])
        )
    ).all()
    assert sorted(h.status for h in history) == ["present", "sick"]


def test_a_waitlisted_person_cannot_be_marked_and_nothing_is_saved(client, make, signin, shop):
    (yermek, abenov), waiting = _roll_people(make, shop)
    session = make.session(shop["cohort"], date=today_at(shop["facility"]))
    csrf = signin(client, shop["instructor"])
    response = client.post(
        f"/sessions/{session.id}/attendance",
        data={
            "csrf_token": csrf,
            "participant_id": [abenov.id, yermek.id, waiting.id],
            f"status-{abenov.id}": "late",
            f"status-{yermek.id}": "absent",
            f"status-{waiting.id}": "present",
        },
    )
    assert response.status_code == 422
    page = _text(response)
    assert "Attendance can be recorded only for people enrolled in the cohort." in page
    assert "Not enrolled in this cohort on that day." in page
    # The user's choices are kept; nobody's attendance was written.
    assert _checked(page, abenov.id) == "late" and _checked(page, yermek.id) == "absent"
    assert (
        db.session.scalars(select(Attendance).where(Attendance.session_id == session.id)).all()
        == []
    )


def test_a_roll_line_without_a_status_shows_the_error_on_that_row(client, make, signin, shop):
    (yermek, abenov), _waiting = _roll_people(make, shop)
    session = make.session(shop["cohort"], date=today_at(shop["facility"]))
    csrf = signin(client, shop["instructor"])
    response = client.post(
        f"/sessions/{session.id}/attendance",
        data={
            "csrf_token": csrf,
            "participant_id": [abenov.id, yermek.id],
            f"status-{abenov.id}": "late",
            f"status-{yermek.id}": "asleep",
        },
    )
    assert response.status_code == 422
    page = _text(response)
    assert f'id="err-{yermek.id}"' in page and f'id="err-{abenov.id}"' not in page
    assert _checked(page, abenov.id) == "late"


def test_a_future_session_roll_is_refused_with_a_clear_message(client, make, signin, shop):
    (yermek,), _waiting = _roll_people(make, shop, n=1)
    tomorrow = today_at(shop["facility"]) + timedelta(days=1)
    session = make.session(shop["cohort"], date=tomorrow)
    csrf = signin(client, shop["instructor"])
    page = _text(client.get(f"/sessions/{session.id}/attendance"))
    assert "The roll can be taken from that day on." in page and "Save the roll" not in page
    response = client.post(
        f"/sessions/{session.id}/attendance",
        data={"csrf_token": csrf, "participant_id": yermek.id, f"status-{yermek.id}": "present"},
    )
    assert response.status_code == 422
    assert "only once the session has begun" in _text(response)


def test_the_roll_is_read_only_for_officers(client, make, signin, shop):
    (yermek,), _waiting = _roll_people(make, shop, n=1)
    session = make.session(shop["cohort"], date=today_at(shop["facility"]))
    csrf = signin(client, shop["officer"])
    page = _text(client.get(f"/sessions/{session.id}/attendance"))
    assert "Yermek" in page and "Not recorded" in page and "Save the roll" not in page
    response = client.post(
        f"/sessions/{session.id}/attendance",
        data={"csrf_token": csrf, "participant_id": yermek.id, f"status-{yermek.id}": "present"},
    )
    assert response.status_code == 403


# Skills checklist


def test_the_skills_checklist_records_and_a_supervisor_reads_it(client, app, make, signin, shop):
    trade, cohort = shop["trade"], shop["cohort"]
    required = make.skill(trade, code="A-1", title="Measure and mark")
    extra = make.skill(trade, code="B-1", title="Finish surfaces")
    qualification = make.qualification(trade, skills=[required], title="Joiner")
    cohort.qualification_id = qualification.id
    db.session.commit()
    person = make.participant(facility=shop["facility"])
    make.enrolment(cohort, person)
    url = f"/cohorts/{cohort.id}/participants/{person.id}/skills"
    csrf = signin(client, shop["instructor"])
    page = _text(client.get(url))
    assert page.index("Measure and mark") < page.index("Finish surfaces")
    assert "Required for Joiner" in page and page.count("Required for Joiner") == 1
    assert "Not assessed yet" in page and 'value="competent"' in page
    read = _latest_event("participant.read")
    assert read.entity_ids == [person.id] and read.actor_id == shop["instructor"].id
    today = today_at(shop["facility"]).isoformat()
    response = client.post(
        url,
        data={
            "csrf_token": csrf,
            "skill_id": required.id,
            "result": "competent",
            "assessed_on": today,
            "note": "Accurate to 1 mm",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"#skill-{required.id}"
    )
    assessment = db.session.scalars(
        select(Assessment).where(Assessment.participant_id == person.id)
    ).one()
    assert (assessment.skill_id, assessment.result, assessment.assessed_on.isoformat()) == (
        required.id,
        "competent",
        today,
    )
    page = _text(client.get(url))
    assert "1 of 1 skills required for Joiner are assessed competent." in page
    assert f"by {shop['instructor'].display_name}" in page
    assert extra.title in page

    supervisor = app.test_client()
    csrf = signin(supervisor, make.user("supervisor", country="KZ"))
    page = _text(supervisor.get(url))
    assert "Competent" in page and "Read only" in page
    assert 'name="result"' not in page and '<form method="post" class="ws-assess"' not in page
    refused = supervisor.post(
        url,
        data={
            "csrf_token": csrf,
            "skill_id": extra.id,
            "result": "competent",
            "assessed_on": today,
        },
    )
    assert refused.status_code == 403


def test_a_refused_assessment_shows_the_error_beside_the_skill(client, make, signin, shop):
    skill = make.skill(shop["trade"])
    person = make.participant(facility=shop["facility"])
    make.enrolment(shop["cohort"], person)
    csrf = signin(client, shop["instructor"])
    future = (today_at(shop["facility"]) + timedelta(days=3)).isoformat()
    response = client.post(
        f"/cohorts/{shop['cohort'].id}/participants/{person.id}/skills",
        data={
            "csrf_token": csrf,
            "skill_id": skill.id,
            "result": "competent",
            "assessed_on": future,
            "note": "kept",
        },
    )
    assert response.status_code == 422
    page = _text(response)
    assert f'id="on-{skill.id}-error"' in page and f'value="{future}"' in page and "kept" in page
    assert db.session.scalars(select(Assessment)).all() == []


def test_a_person_not_in_the_cohort_has_no_checklist_there(client, make, signin, shop):
    person = make.participant(facility=shop["facility"])
    signin(client, shop["officer"])
    url = f"/cohorts/{shop['cohort'].id}/participants/{person.id}/skills"
    assert client.get(url).status_code == 404


# Instructor home, and what every page leaves out


def test_instructor_home_lists_todays_sessions_and_cohorts(client, make, signin, shop):
    session = make.session(shop["cohort"], date=today_at(shop["facility"]), topic="Planing")
    make.session(shop["cohort"], date=today_at(shop["facility"]) - timedelta(days=1))
    make.cohort(shop["facility"], title="Not mine")
    signin(client, shop["instructor"])
    page = _text(client.get("/"))
    assert "Today's sessions" in page and "Planing" in page
    assert f'href="/sessions/{session.id}/attendance"' in page and "Take today's roll" in page
    assert page.count("Take today's roll") == 1
    assert "Joinery spring" in page and "0 of 2 places taken" in page and "Not mine" not in page


def test_officer_home_is_unchanged(client, signin, shop):
    signin(client, shop["officer"])
    page = _text(client.get("/"))
    assert "Today's sessions" not in page and "Register a participant" in page


def test_no_page_carries_inline_script_or_style(client, app, make, signin, shop):
    cohort = shop["cohort"]
    (yermek, _abenov), _waiting = _roll_people(make, shop)
    make.skill(shop["trade"])
    session = make.session(cohort, date=today_at(shop["facility"]))
    make.enrolment(
        cohort,
        make.participant(facility=shop["facility"]),
        status="withdrawn",
        status_reason="other",
    )
    instructor_pages = [
        "/",
        "/cohorts",
        f"/cohorts/{cohort.id}",
        f"/cohorts/{cohort.id}/enrol",
        f"/cohorts/{cohort.id}/sessions/new",
        f"/sessions/{session.id}/attendance",
        f"/cohorts/{cohort.id}/participants/{yermek.id}/skills",
    ]
    signin(client, shop["instructor"])
    officer = app.test_client()
    signin(officer, shop["officer"])
    pages = [(client, url) for url in instructor_pages] + [(officer, "/cohorts/new")]
    for who, url in pages:
        response = who.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert not inline_script(body) and "style=" not in body, url
