"""An anonymised record is not edited back to life (prog_tracker/participants/anonymised.py).

Every entry point meets the same rule: the JSON API and the pages answer 422
`participant_anonymised` (a form keeps what was typed), the sync push answers a
rejected mutation, and code outside a request (a command, a script) gets the
same error. Each request is made for an anonymised person and, as a control,
for a person with the same records who is not anonymised: the control must
succeed, so a refusal is the rule's and not a bad request's.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from prog_tracker.aftercare import contacts
from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.fieldapp.catalogue import app_msgids
from prog_tracker.participants.models import Participant
from prog_tracker.participants.names import ANONYMISED
from prog_tracker.resources import resource_path
from tests.conftest import REASON_ENVIRON, Api, signin
from tests.sync.conftest import contact_create, moment, results

RULE = "participant_anonymised"


@dataclass
class World:
    """Two released clients with the same records; `gone` is anonymised, `kept` is not."""

    make: object
    today: dt.date = None
    people: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)


def anonymise(person) -> None:
    """What the retention schedule's identity step does to a person."""
    person.given_name = person.family_name = ""
    person.other_names = None
    person.prison_number = person.id
    person.search_text = ""
    person.anonymised_at = utcnow()
    db.session.commit()


@pytest.fixture
def world(make):
    """Both people released 20 days ago, clients of a caseworker, enrolled in a cohort
    meeting today, each with a contact, an outcome, a plan item and an open referral."""
    w = World(make)
    w.facility = make.facility("KZ", timezone="Asia/Almaty")
    w.ngo = make.organisation("KZ")
    w.caseworker = make.user("caseworker", organisation=w.ngo)
    w.officer = make.user("officer", facility=w.facility)
    w.admin = make.user("admin")
    w.instructor = make.user("instructor", facility=w.facility)
    w.today = today_at(w.facility)
    w.cohort = make.cohort(w.facility, instructors=[w.instructor], capacity=5)
    w.session = make.session(w.cohort, date=w.today)
    for name in ("kept", "gone"):
        person = make.client_of(
            w.caseworker,
            facility=w.facility,
            released_on=w.today - dt.timedelta(days=20),
            given_name=name.title(),
        )
        w.people[name] = person
        w.records[name] = {
            "contact": make.contact(person, w.caseworker),
            "outcome": make.outcome(person, w.caseworker),
            "plan_item": make.plan_item(person),
            "enrolment": make.enrolment(w.cohort, person),
        }
    anonymise(w.people["gone"])
    return w


def _api(app, user) -> Api:
    """A JSON client signed in as user."""
    client = app.test_client()
    return Api(client, signin(client, user))


# (name, method, path, body) of each write, for the person p with records r in world w.
WRITES = {
    "participant": lambda w, p, r: ("patch", f"/participants/{p.id}", {"given_name": "Ainur"}),
    "contact": lambda w, p, r: (
        "post",
        "/contacts",
        {
            "participant_id": p.id,
            "organisation_id": w.ngo.id,
            "occurred_at": moment(hours=-3),
            "mode": "phone",
            "summary": "Called about work",
        },
    ),
    "contact_edit": lambda w, p, r: (
        "patch",
        f"/contacts/{r['contact'].id}",
        {"summary": "At her sister's flat"},
    ),
    "outcome": lambda w, p, r: (
        "post",
        "/outcomes",
        {
            "participant_id": p.id,
            "organisation_id": w.ngo.id,
            "observed_on": w.today.isoformat(),
            "employment": "unknown",
            "housing": "unknown",
            "returned_to_custody": False,
        },
    ),
    "consent": lambda w, p, r: (
        "post",
        "/consents",
        {
            "participant_id": p.id,
            "organisation_id": w.make.organisation("KZ").id,
            "given_on": w.today.isoformat(),
            "method": "signed",
        },
    ),
    "referral": lambda w, p, r: (
        "post",
        "/referrals",
        {"participant_id": p.id, "organisation_id": w.make.organisation("KZ").id},
    ),
    "plan_item": lambda w, p, r: (
        "patch",
        f"/release-plan-items/{r['plan_item'].id}",
        {"status": "done"},
    ),
    "enrolment": lambda w, p, r: (
        "patch",
        f"/enrolments/{r['enrolment'].id}",
        {"status": "completed"},
    ),
    "attendance": lambda w, p, r: (
        "put",
        f"/sessions/{w.session.id}/attendance",
        {"records": [{"participant_id": p.id, "status": "present"}]},
    ),
    "return_to_custody": lambda w, p, r: (
        "post",
        f"/participants/{p.id}/return-to-custody",
        {"on": w.today.isoformat()},
    ),
}

# The writes above that create a record (the others change one, or act on the person).
CREATES = {"contact", "outcome", "consent", "referral"}


def _last_event() -> int:
    """The id of the newest audit event."""
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def _writes_since(event_id: int) -> list[str]:
    """Actions of the audit events after event_id that record a write (not a read)."""
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > event_id))
    return [action for action in actions if not action.endswith((".read", ".list"))]


@pytest.mark.parametrize("write", sorted(WRITES))
def test_api_writes_for_an_anonymised_person_answer_422(world, app, write):
    api = _api(app, world.admin)
    method, path, body = WRITES[write](world, world.people["gone"], world.records["gone"])
    last, contacts_before = _last_event(), db.session.scalar(select(func.count(Contact.id)))
    refused = getattr(api, method)(path, json=body)
    assert refused.status_code == 422, refused.get_json()
    error = refused.get_json()["error"]
    assert error["code"] == RULE and error["message"]
    db.session.expire_all()
    # Nothing written, not even the audit event of the write.
    assert _writes_since(last) == []
    assert db.session.scalar(select(func.count(Contact.id))) == contacts_before
    assert db.session.get(Participant, world.people["gone"].id).given_name == ""
    # The same request for the person who is not anonymised goes through.
    method, path, body = WRITES[write](world, world.people["kept"], world.records["kept"])
    allowed = getattr(api, method)(path, json=body)
    # A POST that creates answers 201, other writes 200 (SPEC §4).
    assert allowed.status_code == (201 if write in CREATES else 200), allowed.get_json()


def test_the_edit_page_keeps_what_was_typed_and_says_why(world, app):
    client = app.test_client()
    csrf = signin(client, world.officer)
    person = world.people["gone"]
    url = f"/participants/{person.id}/edit"
    assert client.get(url).status_code == 200
    form = {
        "csrf_token": csrf,
        "version": str(person.version),
        "prison_number": "KZ-1001",
        "given_name": "Ainur-Typed",
        "family_name": "Zhaksylykova",
        "sex": person.sex,
    }
    response = client.post(url, data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "anonymised under the retention schedule" in page
    assert 'value="Ainur-Typed"' in page and 'value="KZ-1001"' in page
    db.session.expire_all()
    assert db.session.get(Participant, person.id).family_name == ""
    # The form of the person not anonymised saves as usual.
    kept = world.people["kept"]
    saved = client.post(
        f"/participants/{kept.id}/edit",
        data={**form, "version": str(kept.version), "prison_number": kept.prison_number},
    )
    assert saved.status_code == 302


def test_the_contact_form_keeps_what_was_typed_and_says_why(world, app):
    client = app.test_client()
    csrf = signin(client, world.caseworker)
    form = {
        "csrf_token": csrf,
        "occurred_on": world.today.isoformat(),
        "occurred_time": "00:01",
        "mode": "visit",
        "summary": "Met at the bazaar",
    }
    gone, kept = world.people["gone"].id, world.people["kept"].id
    response = client.post(f"/aftercare/participants/{gone}/contacts/new", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "anonymised under the retention schedule" in page and "Met at the bazaar" in page
    saved = client.post(f"/aftercare/participants/{kept}/contacts/new", data=form)
    assert saved.status_code == 302


def test_sync_push_rejects_the_mutation_and_applies_the_rest(world, app):
    api = _api(app, world.caseworker)
    gone, kept = world.people["gone"], world.people["kept"]
    found = results(api, [contact_create(gone), contact_create(kept)])
    assert [result["status"] for result in found] == ["rejected", "applied"]
    assert found[0]["errors"]["code"] == RULE
    db.session.expire_all()
    people = db.session.scalars(select(Contact.participant_id).where(Contact.id == found[0]["id"]))
    assert list(people) == []


def test_code_outside_a_request_gets_the_same_error(world):
    """As a command or a script would: through a service, and straight to the database."""
    gone = world.people["gone"]
    data = {
        "participant_id": gone.id,
        "organisation_id": world.ngo.id,
        "occurred_at": utcnow() - dt.timedelta(hours=1),
        "mode": "visit",
        "needs": [],
    }
    with pytest.raises(ApiError) as refused:
        contacts.record_contact(world.admin, data)
    assert (refused.value.status, refused.value.code) == (422, RULE)
    db.session.rollback()
    db.session.add(
        Outcome(
            participant_id=gone.id,
            recorded_by_id=world.admin.id,
            observed_on=world.today,
            employment="unknown",
            housing="unknown",
            returned_to_custody=False,
        )
    )
    with pytest.raises(ApiError):
        db.session.commit()
    db.session.rollback()
    outcome = world.records["gone"]["outcome"]
    outcome.note = "a note typed later"
    with pytest.raises(ApiError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(world.records["gone"]["plan_item"])
    with pytest.raises(ApiError):
        db.session.flush()
    db.session.rollback()
    # Reading, and writing about people not anonymised, go on as before.
    world.records["kept"]["outcome"].note = "a note"
    db.session.commit()


def test_the_field_app_names_anonymised_people_as_the_pages_do(app):
    """The app marks the pages' own msgid, so its catalogue carries the same translation,
    and no screen shows a name or number except through ui.js, which knows the label."""
    with app.test_request_context():
        assert str(ANONYMISED) in app_msgids()
    for path in (resource_path("static") / "app" / "screens").glob("*.js"):
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"\.(given_name|family_name|prison_number)\b", code), path.name


def test_reading_an_anonymised_record_with_a_reason_still_works(world, app):
    """Reads write too (the reason given, audit events): none of it is the person's record."""
    client = app.test_client()
    csrf = signin(client, world.admin)
    client.environ_base.pop(REASON_ENVIRON, None)  # give the reason in the page instead
    gone = world.people["gone"].id
    chosen = client.post(
        f"/access-reason/{gone}",
        data={"csrf_token": csrf, "reason_code": "complaint", "next": f"/participants/{gone}"},
    )
    assert chosen.status_code == 302
    page = client.get(f"/participants/{gone}")
    assert page.status_code == 200 and "Anonymised record" in page.get_data(as_text=True)
