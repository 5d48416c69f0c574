"""Every API create is idempotent on its client id (issue 20): the same create again
answers 201 with the first record and stores nothing; the same id with another body,
or from another user, answers 409 and shows the record only to whoever sees it."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.auth.models import ApiToken, User
from prog_tracker.certification.models import Assessment, Certificate, Qualification, Skill
from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.receipts import CreateReceipt
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.workshops.models import Cohort, Enrolment, Trade, WorkshopSession

NEW_ID = "0b7e4f52-1c2d-4e5f-8a9b-3c4d5e6f7a8b"
TODAY = dt.date.today()
YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()
PASSWORD = "a-long-enough-passphrase-2026"


@dataclass
class Case:
    """One create endpoint: who creates what, what differs, and a second creator."""

    actor: User
    path: str
    body: dict
    change: dict
    model: type
    action: str
    other: User
    other_body: dict
    other_sees: bool
    other_path: str | None = None
    extra: dict = field(default_factory=dict)


def _released(make, caseworker):
    """A person released 10 days ago whom the caseworker follows."""
    return make.client_of(caseworker, released_on=TODAY - dt.timedelta(days=10))


def _aftercare(make, model, path, action, body, change):
    """A contact or outcome case: caseworkers of two NGOs, each with a person."""
    mine = make.user("caseworker")
    theirs = make.user("caseworker")
    me_person, their_person = _released(make, mine), _released(make, theirs)
    return Case(
        mine,
        path,
        {"participant_id": me_person.id, **body},
        change,
        model,
        action,
        theirs,
        {**body, "participant_id": their_person.id},
        other_sees=False,
    )


def contact(make):
    at = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return _aftercare(
        make,
        Contact,
        "/contacts",
        "contact.create",
        {"occurred_at": at, "mode": "visit"},
        {"summary": "Another text"},
    )


def outcome(make):
    body = {
        "observed_on": YESTERDAY,
        "employment": "employed_formal",
        "housing": "stable",
        "returned_to_custody": False,
    }
    return _aftercare(make, Outcome, "/outcomes", "outcome.create", body, {"note": "Other"})


def participant(make):
    here, there = make.facility(), make.facility()
    body = {"prison_number": "P-90001", "given_name": "Dana", "family_name": "Omarova"}
    return Case(
        make.user("officer", facility=here),
        "/participants",
        {**body, "facility_id": here.id},
        {"given_name": "Dina"},
        Participant,
        "participant.create",
        make.user("officer", facility=there),
        {**body, "prison_number": "P-90002", "facility_id": there.id},
        other_sees=False,
    )


def cohort(make):
    here, there = make.facility(), make.facility()
    trade = make.trade()
    body = {
        "trade_id": trade.id,
        "title": "Joinery spring",
        "start_date": TODAY.isoformat(),
        "end_date": (TODAY + dt.timedelta(days=60)).isoformat(),
        "capacity": 10,
    }
    return Case(
        make.user("officer", facility=here),
        "/cohorts",
        {**body, "facility_id": here.id},
        {"title": "Joinery summer"},
        Cohort,
        "cohort.create",
        make.user("officer", facility=there),
        {**body, "facility_id": there.id},
        other_sees=False,
    )


def _two_cohorts(make):
    """Two cohorts of one trade at two facilities, each with its own instructor."""
    trade = make.trade()
    teacher, other_teacher = make.user("instructor"), make.user("instructor")
    mine = make.cohort(
        facility=make.facility(), instructors=[teacher], trade=trade, start_date=TODAY
    )
    theirs = make.cohort(
        facility=make.facility(), instructors=[other_teacher], trade=trade, start_date=TODAY
    )
    return teacher, mine, other_teacher, theirs


def session(make):
    teacher, mine, other_teacher, theirs = _two_cohorts(make)
    return Case(
        teacher,
        f"/cohorts/{mine.id}/sessions",
        {"date": TODAY.isoformat()},
        {"topic": "Dovetails"},
        WorkshopSession,
        "session.create",
        other_teacher,
        {"date": TODAY.isoformat()},
        other_sees=False,
        other_path=f"/cohorts/{theirs.id}/sessions",
    )


def enrolment(make):
    here, there = make.facility(), make.facility()
    mine, theirs = make.cohort(facility=here), make.cohort(facility=there)
    first, second = make.participant(facility=here), make.participant(facility=here)
    return Case(
        make.user("officer", facility=here),
        f"/cohorts/{mine.id}/enrolments",
        {"participant_id": first.id},
        {"participant_id": second.id},
        Enrolment,
        "enrolment.create",
        make.user("officer", facility=there),
        {"participant_id": make.participant(facility=there).id},
        other_sees=False,
        other_path=f"/cohorts/{theirs.id}/enrolments",
    )


def assessment(make):
    teacher, mine, other_teacher, theirs = _two_cohorts(make)
    skill = make.skill(db.session.get(Trade, mine.trade_id))
    person, their_person = (
        make.participant(facility=mine.facility),
        make.participant(facility=theirs.facility),
    )
    make.enrolment(mine, person)
    make.enrolment(theirs, their_person)
    body = {"skill_id": skill.id, "result": "competent", "assessed_on": TODAY.isoformat()}
    return Case(
        teacher,
        "/assessments",
        {**body, "participant_id": person.id, "cohort_id": mine.id},
        {"result": "not_yet_competent"},
        Assessment,
        "assessment.create",
        other_teacher,
        {**body, "participant_id": their_person.id, "cohort_id": theirs.id},
        other_sees=False,
    )


def certificate(make):
    facility = make.facility()
    trade = make.trade()
    skills = [make.skill(trade), make.skill(trade)]
    first, second = make.qualification(trade, skills), make.qualification(trade, skills)
    cohort = make.cohort(facility=facility, trade=trade)
    person = make.participant(facility=facility)
    make.enrolment(cohort, person)
    assessor = make.user("instructor", facility=facility)
    for skill in skills:
        make.assessment(cohort, person, skill, assessor)
    body = {"participant_id": person.id, "qualification_id": first.id}
    return Case(
        make.user("admin"),
        "/certificates",
        body,
        {"qualification_id": second.id},
        Certificate,
        "certificate.issue",
        make.user("admin"),
        {**body, "qualification_id": second.id},
        other_sees=True,
    )


def _partners(make, model, path, action, body, change):
    """A referral or consent case: officers of two facilities, each with a person."""
    here, there = make.facility(), make.facility()
    ngo = make.organisation()
    mine, theirs = make.participant(facility=here), make.participant(facility=there)
    return Case(
        make.user("officer", facility=here),
        path,
        {**body, "participant_id": mine.id, "organisation_id": ngo.id},
        change,
        model,
        action,
        make.user("officer", facility=there),
        {**body, "participant_id": theirs.id, "organisation_id": ngo.id},
        other_sees=False,
    )


def referral(make):
    return _partners(
        make, Referral, "/referrals", "referral.create", {}, {"reason": "Needs housing"}
    )


def consent(make):
    body = {"given_on": YESTERDAY, "method": "signed"}
    return _partners(make, Consent, "/consents", "consent.create", body, {"method": "thumbprint"})


def _catalogue(make, model, path, action, body, change):
    """A catalogue or directory case: two admins, who both see everything."""
    return Case(
        make.user("admin"), path, body, change, model, action, make.user("admin"), body, True
    )


def trade(make):
    return _catalogue(make, Trade, "/trades", "trade.create", {"name": "Glazing"}, {"name": "G2"})


def skill(make):
    body = {"trade_id": make.trade().id, "code": "GL-1", "title": "Cut glass"}
    return _catalogue(make, Skill, "/skills", "skill.create", body, {"title": "Cut mirrors"})


def qualification(make):
    trade = make.trade()
    body = {
        "trade_id": trade.id,
        "title": "Glazier",
        "level": "1",
        "skill_ids": [make.skill(trade).id],
    }
    return _catalogue(
        make, Qualification, "/qualifications", "qualification.create", body, {"level": "2"}
    )


def facility(make):
    body = {"name": "Colony 9", "country": "KZ", "public_name": "Training Centre 9"}
    return _catalogue(
        make, Facility, "/facilities", "facilities.create", body, {"name": "Colony 10"}
    )


def organisation(make):
    body = {"name": "Bright Path", "country": "KZ", "kind": "ngo"}
    return _catalogue(
        make, Organisation, "/organisations", "organisations.create", body, {"kind": "employer"}
    )


def user(make):
    body = {
        "username": "new.caseworker",
        "display_name": "New Caseworker",
        "role": "caseworker",
        "password": PASSWORD,
        "organisation_id": make.organisation().id,
    }
    return _catalogue(make, User, "/users", "user.create", body, {"display_name": "Someone Else"})


CASES = [
    contact,
    outcome,
    participant,
    cohort,
    session,
    enrolment,
    assessment,
    certificate,
    referral,
    consent,
    trade,
    skill,
    qualification,
    facility,
    organisation,
    user,
]


def _count(model) -> int:
    """How many rows the model's table holds."""
    return db.session.scalar(select(func.count()).select_from(model))


def _events(action: str) -> list:
    """The allowed audit events of action, oldest first."""
    query = select(AuditEvent.entity_ids).where(
        AuditEvent.action == action, AuditEvent.outcome == "allowed"
    )
    return list(db.session.scalars(query))


@pytest.mark.parametrize("build", CASES, ids=[c.__name__ for c in CASES])
def test_a_replayed_create_answers_like_the_first_and_stores_nothing(build, make, api_as):
    case = build(make)
    api = api_as(case.actor)
    body = {"id": NEW_ID, **case.body}
    first = api.post(case.path, json=body)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["id"] == NEW_ID
    rows = _count(case.model)
    again = api.post(case.path, json=body)
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["id"] == NEW_ID
    db.session.expire_all()
    assert _count(case.model) == rows
    # One create event; the replay leaves its own, with the id only.
    assert _events(case.action) == [[NEW_ID]]
    assert _events(f"{case.action}.replay") == [[NEW_ID]]


@pytest.mark.parametrize("build", CASES, ids=[c.__name__ for c in CASES])
def test_the_same_id_with_another_body_or_from_another_user_is_a_conflict(build, make, api_as):
    case = build(make)
    api = api_as(case.actor)
    assert api.post(case.path, json={"id": NEW_ID, **case.body}).status_code == 201
    rows = _count(case.model)
    changed = api.post(case.path, json={"id": NEW_ID, **case.body, **case.change})
    assert changed.status_code == 409, changed.get_json()
    assert changed.get_json()["current"]["id"] == NEW_ID
    other_path = case.other_path or case.path
    theirs = api_as(case.other).post(other_path, json={"id": NEW_ID, **case.other_body})
    assert theirs.status_code == 409, theirs.get_json()
    assert ("current" in theirs.get_json()) is case.other_sees
    db.session.expire_all()
    assert _count(case.model) == rows
    if not case.other_sees:
        denied = select(AuditEvent.actor_id).where(AuditEvent.outcome == "denied")
        assert case.other.id in db.session.scalars(denied).all()


def test_a_replayed_token_create_never_shows_the_secret_again(make, api_as):
    owner = make.user("officer")
    api = api_as(owner)
    body = {"id": NEW_ID, "name": "Laptop script"}
    first = api.post("/auth/tokens", json=body)
    assert first.status_code == 201 and first.get_json()["token"].startswith("ptk_")
    again = api.post("/auth/tokens", json=body)
    assert again.status_code == 409
    answer = again.get_json()
    assert answer["current"]["id"] == NEW_ID and "token" not in answer["current"]
    assert first.get_json()["token"] not in again.get_data(as_text=True)
    assert "revoke this token" in answer["error"]["message"]
    assert _count(ApiToken) == 1
    assert api.post("/auth/tokens", json={**body, "name": "Other"}).status_code == 409
    stranger = api_as(make.user("officer")).post("/auth/tokens", json=body)
    assert stranger.status_code == 409 and "current" not in stranger.get_json()
    assert _count(ApiToken) == 1


def test_the_receipt_key_holds_one_create_per_id(make, api_as):
    """The database, not the check before it, is the judge: a second receipt for the
    same record is refused, and a create that loses that race answers as a replay."""
    case = contact(make)
    api = api_as(case.actor)
    assert api.post(case.path, json={"id": NEW_ID, **case.body}).status_code == 201
    receipt = db.session.get(CreateReceipt, ("contact", NEW_ID))
    assert receipt is not None and receipt.actor_id == case.actor.id
    nested = db.session.begin_nested()
    second = {"entity": "contact", "record_id": NEW_ID, "actor_id": case.other.id}
    with pytest.raises(IntegrityError):
        db.session.execute(
            insert(CreateReceipt).values(**second, fingerprint="0", created_at=receipt.created_at)
        )
    nested.rollback()


def test_a_create_that_loses_the_race_answers_like_the_first(make, api_as, monkeypatch):
    """Two identical creates at once: both pass the check before either commits; the
    loser fails on the database's keys and answers with the winner's record."""
    from prog_tracker.core import policy
    from prog_tracker.core.policy import creates as policy_creates

    case = contact(make)
    api = api_as(case.actor)
    body = {"id": NEW_ID, **case.body}
    assert api.post(case.path, json=body).status_code == 201
    real = policy_creates.earlier_create
    calls = []

    def not_yet_committed(user, entity, data, action, replay=True):
        calls.append(entity)
        # The first look happens "before the winner committed": the id seems free.
        return None if len(calls) == 1 else real(user, entity, data, action, replay)

    monkeypatch.setattr(policy, "earlier_create", not_yet_committed)
    again = api.post(case.path, json=body)
    assert again.status_code == 201 and again.get_json()["id"] == NEW_ID
    assert len(calls) == 2  # the loser looked again after its insert failed
    assert _count(Contact) == 1
