"""One skill signed off for the whole cohort on the server pages, as the field app does;
a skill already competent shows as done (issue 20, friction 5)."""

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from prog_tracker.certification import sign_off
from prog_tracker.certification.models import Assessment
from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db


@pytest.fixture
def cohort(make):
    """A tailoring cohort of three people (one already competent in seams), a skill, staff."""
    facility = make.facility()
    trade = make.trade(name="Tailoring")
    measuring = make.skill(trade, code="T-1", title="Measuring")
    seams = make.skill(trade, code="T-2", title="Seams")
    qualification = make.qualification(trade, skills=[measuring, seams], title="Tailor")
    instructor = make.user("instructor", facility=facility)
    group = make.cohort(
        facility, instructors=[instructor], trade=trade, qualification_id=qualification.id
    )
    people = [
        make.participant(facility=facility, given_name=given, family_name=family)
        for given, family in (("Ayan", "Bekov"), ("Madina", "Nurova"), ("Timur", "Ospanov"))
    ]
    for person in people:
        make.enrolment(group, person)
    make.assessment(group, people[0], seams, instructor)
    return SimpleNamespace(
        facility=facility,
        cohort=group,
        seams=seams,
        measuring=measuring,
        instructor=instructor,
        people=people,
        officer=make.user("officer", facility=facility),
        today=today_at(facility),
    )


def _csrf(client, path) -> str:
    page = client.get(path).get_data(as_text=True)
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def _path(cohort, skill=None) -> str:
    return f"/cohorts/{cohort.cohort.id}/skills/{(skill or cohort.seams).id}"


def _competent(cohort, skill=None) -> dict:
    """participant id -> how many competent assessments of the skill they have."""
    db.session.expire_all()
    rows = db.session.execute(
        select(Assessment.participant_id, func.count())
        .where(Assessment.skill_id == (skill or cohort.seams).id, Assessment.result == "competent")
        .group_by(Assessment.participant_id)
    )
    return dict(rows.all())


def _sign_off(client, cohort, people, form_id=None, **extra):
    path = _path(cohort)
    form = {
        "csrf_token": _csrf(client, path),
        "form_id": form_id or str(uuid.uuid4()),
        "participant_id": [p.id for p in people],
        "assessed_on": cohort.today.isoformat(),
        **extra,
    }
    return client.post(path, data=form)


def test_the_page_shows_the_competent_as_done_and_offers_the_others(client, signin, cohort):
    signin(client, cohort.instructor)
    page = client.get(_path(cohort)).get_data(as_text=True)
    done, *others = cohort.people
    assert f'value="{done.id}"' not in page
    assert page.count('class="ws-done"') == 1 and "Done: competent" in page
    for person in others:
        assert f'name="participant_id" value="{person.id}"' in page
    assert "Sign off this skill for everyone selected" in page


def test_signing_off_records_one_assessment_each_and_skips_the_competent(client, signin, cohort):
    signin(client, cohort.instructor)
    start = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    form_id = str(uuid.uuid4())
    response = _sign_off(client, cohort, cohort.people, form_id)
    assert response.status_code == 302
    assert _competent(cohort) == {p.id: 1 for p in cohort.people}
    creates = db.session.scalars(
        select(AuditEvent).where(AuditEvent.id > start, AuditEvent.action == "assessment.create")
    ).all()
    assert len(creates) == 2
    assert "The skill is signed off for 2 people." in client.get(_path(cohort)).get_data(
        as_text=True
    )

    # The same form sent again (a double tap, a retry) records nobody twice...
    again = _sign_off(client, cohort, cohort.people, form_id)
    assert again.status_code == 302
    assert _competent(cohort) == {p.id: 1 for p in cohort.people}
    # ...and neither does a new form for people competent already.
    assert _sign_off(client, cohort, cohort.people).status_code == 302
    assert _competent(cohort) == {p.id: 1 for p in cohort.people}


def test_a_double_submit_racing_past_the_competence_check_records_once(
    client, signin, cohort, monkeypatch
):
    """Two requests of one form, the second not yet seeing the first's assessments:
    the ids derived from the form's one-time id still record each person once."""
    signin(client, cohort.instructor)
    monkeypatch.setattr(sign_off, "_latest_of", lambda *_args: {})
    form_id = str(uuid.uuid4())
    person = cohort.people[1]
    assert _sign_off(client, cohort, [person], form_id).status_code == 302
    assert _sign_off(client, cohort, [person], form_id).status_code == 302
    assert _competent(cohort)[person.id] == 1


def test_only_people_of_the_cohort_and_a_day_in_range(client, signin, make, cohort):
    signin(client, cohort.instructor)
    stranger = make.participant(facility=cohort.facility)
    refused = _sign_off(client, cohort, [cohort.people[1], stranger])
    assert refused.status_code == 422
    assert "Only people enrolled in the cohort can be assessed in it." in refused.get_data(
        as_text=True
    )
    future = _sign_off(client, cohort, [cohort.people[1]], assessed_on="2999-01-01")
    assert future.status_code == 422
    assert _competent(cohort) == {cohort.people[0].id: 1}
    nobody = _sign_off(client, cohort, [])
    assert nobody.status_code == 422


def test_officers_read_but_do_not_sign_off(client, signin, cohort):
    signin(client, cohort.officer)
    page = client.get(_path(cohort)).get_data(as_text=True)
    assert "Sign off this skill for everyone selected" not in page
    assert 'name="participant_id"' not in page


def test_a_skill_of_another_trade_is_not_found(client, signin, make, cohort):
    signin(client, cohort.instructor)
    other = make.skill(make.trade(name="Welding"), code="W-1")
    assert client.get(f"/cohorts/{cohort.cohort.id}/skills/{other.id}").status_code == 404


def test_the_checklist_shows_a_competent_skill_as_done(client, signin, cohort):
    signin(client, cohort.instructor)
    person = cohort.people[0]
    page = client.get(f"/cohorts/{cohort.cohort.id}/participants/{person.id}/skills").get_data(
        as_text=True
    )
    seams = page.split(f'id="skill-{cohort.seams.id}"')[1].split("</li>")[0]
    assert "Done: competent" in seams
    assert 'class="button primary"' not in seams
    assert "Record another assessment" in seams
    assert f'href="{_path(cohort)}"' in seams
    measuring = page.split(f'id="skill-{cohort.measuring.id}"')[1].split("</li>")[0]
    assert 'value="competent" class="button primary"' in measuring
