"""Creating forms on the server pages carry a one-time form id (issue 20): the same
form sent twice (a double click, back and send again) ends where the first did and
stores one record; a form shown again with errors keeps its id."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.auth.models import User
from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.core.dates import today_at
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.workshops.models import Cohort, Enrolment, Trade, WorkshopSession

TODAY = dt.date.today()


@dataclass
class FormCase:
    """A creating form: who fills it, where it lives, what is typed, what it makes."""

    user: User
    page: str
    action: str
    fields: dict
    model: type


def _form_id(page: str, action: str) -> str:
    """The one-time form id of the form posting to action on the page."""
    form = page[page.index(f'action="{action}"') :]
    return re.search(r'name="form_id" value="([0-9a-f-]{36})"', form).group(1)


def contact(make):
    caseworker = make.user("caseworker")
    person = make.client_of(caseworker, released_on=TODAY - dt.timedelta(days=10))
    path = f"/aftercare/participants/{person.id}/contacts/new"
    yesterday = (today_at(person.facility) - dt.timedelta(days=1)).isoformat()
    fields = {"occurred_on": yesterday, "occurred_time": "10:30", "mode": "visit"}
    return FormCase(caseworker, path, path, {**fields, "summary": "Met at home"}, Contact)


def outcome(make):
    caseworker = make.user("caseworker")
    person = make.client_of(caseworker, released_on=TODAY - dt.timedelta(days=10))
    path = f"/aftercare/participants/{person.id}/outcomes/new"
    fields = {
        "observed_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "employment": "employed_formal",
        "housing": "stable",
    }
    return FormCase(caseworker, path, path, fields, Outcome)


def participant(make):
    facility = make.facility()
    fields = {
        "facility_id": facility.id,
        "prison_number": "P-80001",
        "given_name": "Dana",
        "family_name": "Omarova",
        "sex": "female",
    }
    officer = make.user("officer", facility=facility)
    return FormCase(officer, "/participants/new", "/participants/new", fields, Participant)


def _partners_page(make):
    """An officer, a person of their facility and an NGO; the person's partners page."""
    facility = make.facility()
    person = make.participant(facility=facility)
    officer = make.user("officer", facility=facility)
    return officer, person, make.organisation()


def referral(make):
    officer, person, ngo = _partners_page(make)
    page = f"/participants/{person.id}/referrals"
    return FormCase(officer, page, page, {"organisation_id": ngo.id}, Referral)


def consent(make):
    officer, person, ngo = _partners_page(make)
    page = f"/participants/{person.id}/referrals?consent_for={ngo.id}"
    fields = {
        "organisation_id": ngo.id,
        "given_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "method": "signed",
    }
    return FormCase(officer, page, f"/participants/{person.id}/consents", fields, Consent)


def cohort(make):
    facility = make.facility()
    fields = {
        "trade_id": make.trade().id,
        "facility_id": facility.id,
        "title": "Joinery spring",
        "start_date": TODAY.isoformat(),
        "end_date": (TODAY + dt.timedelta(days=60)).isoformat(),
        "capacity": "10",
    }
    officer = make.user("officer", facility=facility)
    return FormCase(officer, "/cohorts/new", "/cohorts/new", fields, Cohort)


def session(make):
    instructor = make.user("instructor")
    group = make.cohort(facility=db.session.get(Facility, instructor.facility_id))
    group.instructors = [instructor]
    db.session.commit()
    path = f"/cohorts/{group.id}/sessions/new"
    return FormCase(instructor, path, path, {"date": TODAY.isoformat()}, WorkshopSession)


def assessment(make):
    instructor = make.user("instructor")
    facility = db.session.get(Facility, instructor.facility_id)
    group = make.cohort(facility=facility, instructors=[instructor])
    skill = make.skill(db.session.get(Trade, group.trade_id))
    person = make.participant(facility=facility)
    make.enrolment(group, person)
    path = f"/cohorts/{group.id}/participants/{person.id}/skills"
    fields = {"skill_id": skill.id, "result": "competent", "assessed_on": TODAY.isoformat()}
    return FormCase(instructor, path, path, fields, Assessment)


def enrolment(make):
    facility = make.facility()
    group = make.cohort(facility=facility)
    person = make.participant(facility=facility, given_name="Zarina")
    officer = make.user("officer", facility=facility)
    page = f"/cohorts/{group.id}/enrol?q=Zarina"
    action = f"/cohorts/{group.id}/enrolments"
    return FormCase(officer, page, action, {"participant_id": person.id}, Enrolment)


def certificate(make):
    facility = make.facility()
    trade = make.trade()
    skills = [make.skill(trade), make.skill(trade)]
    qualification = make.qualification(trade, skills)
    group = make.cohort(facility=facility, trade=trade)
    person = make.participant(facility=facility)
    make.enrolment(group, person)
    assessor = make.user("instructor", facility=facility)
    for skill in skills:
        make.assessment(group, person, skill, assessor)
    path = f"/participants/{person.id}/certificates/new"
    fields = {"qualification_id": qualification.id}
    return FormCase(make.user("admin"), path, path, fields, Certificate)


CASES = [
    contact,
    outcome,
    participant,
    referral,
    consent,
    cohort,
    session,
    assessment,
    enrolment,
    certificate,
]


def _count(model) -> int:
    """How many rows the model's table holds (read fresh)."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("build", CASES, ids=[c.__name__ for c in CASES])
def test_a_form_sent_twice_ends_where_the_first_did_and_stores_one_record(
    build, make, client, signin
):
    case = build(make)
    csrf = signin(client, case.user)
    shown = client.get(case.page)
    assert shown.status_code == 200
    form_id = _form_id(shown.get_data(as_text=True), case.action)
    before = _count(case.model)
    sent = {"csrf_token": csrf, "form_id": form_id, **case.fields}
    first = client.post(case.action, data=sent)
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    assert _count(case.model) == before + 1
    second = client.post(case.action, data=sent)
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(case.model) == before + 1
    assert db.session.get(case.model, form_id) is not None  # the form id is the record's id
    # A fresh form (a new id) is another record.
    if case.model in (Contact, Outcome, WorkshopSession, Participant):
        other = {
            **sent,
            "form_id": _form_id(client.get(case.page).get_data(as_text=True), case.action),
        }
        if case.model is Participant:
            # The same name again: the page warns first, and the officer goes on.
            other.update(prison_number="P-80002", confirm_not_duplicate="1")
        assert client.post(case.action, data=other).status_code == 302
        assert _count(case.model) == before + 2


def test_a_form_shown_again_with_errors_keeps_its_id_so_the_retry_is_the_same_record(
    make, client, signin
):
    case = contact(make)
    csrf = signin(client, case.user)
    form_id = _form_id(client.get(case.page).get_data(as_text=True), case.action)
    refused = client.post(
        case.action, data={"csrf_token": csrf, "form_id": form_id, **case.fields, "mode": ""}
    )
    assert refused.status_code == 422
    assert _form_id(refused.get_data(as_text=True), case.action) == form_id
    sent = {"csrf_token": csrf, "form_id": form_id, **case.fields}
    assert client.post(case.action, data=sent).status_code == 302
    assert client.post(case.action, data=sent).status_code == 302
    assert _count(Contact) == 1


def test_a_form_id_sent_again_with_other_entries_is_refused_and_a_fresh_id_offered(
    make, client, signin
):
    case = contact(make)
    csrf = signin(client, case.user)
    form_id = _form_id(client.get(case.page).get_data(as_text=True), case.action)
    sent = {"csrf_token": csrf, "form_id": form_id, **case.fields}
    assert client.post(case.action, data=sent).status_code == 302
    changed = client.post(case.action, data={**sent, "summary": "Something else"})
    assert changed.status_code == 409
    page = changed.get_data(as_text=True)
    assert "Something else" in page  # what was typed is kept
    fresh = _form_id(page, case.action)
    assert fresh != form_id
    assert (
        client.post(case.action, data={**sent, "summary": "x", "form_id": fresh}).status_code == 302
    )
    assert _count(Contact) == 2
