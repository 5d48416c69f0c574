"""GET /api/v1/audit-events: who may review the trail, its filters, scope and pages."""

from datetime import timedelta

from sqlalchemy import select, update

from prog_tracker.core import audit
from prog_tracker.core.audit import AuditEvent, verify_chain
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db


def _ids(response):
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def _event_ids(**where):
    db.session.expire_all()
    query = select(AuditEvent.id).order_by(AuditEvent.id.desc())
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(db.session.scalars(query))


def _two_countries(make, api_as):
    """A KZ person read by a KZ officer, a UG person read by a UG officer."""
    kz, ug = make.facility(country="KZ"), make.facility(country="UG")
    people = {"kz": make.participant(facility=kz), "ug": make.participant(facility=ug)}
    for country, facility in (("kz", kz), ("ug", ug)):
        officer = api_as("officer", facility=facility)
        assert officer.get(f"/participants/{people[country].id}").status_code == 200
    return people


def test_only_admins_and_supervisors_review_the_trail(client, api_as):
    assert client.get("/api/v1/audit-events").status_code == 401
    for role in ("officer", "instructor", "caseworker"):
        response = api_as(role).get("/audit-events?outcome=nonsense")
        assert response.status_code == 403, role
        assert response.get_json()["error"]["code"] == "forbidden"
    for role in ("admin", "supervisor"):
        response = api_as(role).get("/audit-events")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert set(response.get_json()) == {"items", "next_cursor"}


def test_an_admin_sees_every_event_newest_first_with_ids_only(make, api_as):
    people = _two_countries(make, api_as)
    admin = api_as("admin")
    body = admin.get("/audit-events").get_json()
    ids = [item["id"] for item in body["items"]]
    assert ids == sorted(ids, reverse=True)
    read_people = {
        item["participant_id"] for item in body["items"] if item["action"] == "participant.read"
    }
    assert read_people == {people["kz"].id, people["ug"].id}
    assert set(body["items"][0]) == {
        "id",
        "at",
        "actor_id",
        "action",
        "entity",
        "entity_ids",
        "participant_id",
        "outcome",
        "reason_code",
        "prev_hash",
        "hash",
    }
    assert body["items"][0]["at"].endswith("Z")


def test_a_country_supervisor_sees_their_scope_and_their_own_actions_only(make, api_as):
    people = _two_countries(make, api_as)
    admin = api_as("admin")
    admin.get("/participants")  # a list read naming both countries' people
    admin.post("/facilities", json={"name": "New colony", "country": "UG", "public_name": "Centre"})
    supervisor_user = make.user("supervisor", country="KZ")
    supervisor = api_as(supervisor_user)
    supervisor.get("/participants")
    items = supervisor.get("/audit-events?limit=500").get_json()["items"]
    about = {item["participant_id"] for item in items if item["participant_id"]}
    assert about == {people["kz"].id}
    for item in items:
        assert item["participant_id"] == people["kz"].id or item["actor_id"] == supervisor_user.id
    assert people["ug"].id not in str(items)
    # Asking for a person outside the scope finds nothing (and says nothing).
    outside = supervisor.get(f"/audit-events?participant_id={people['ug'].id}")
    assert outside.status_code == 200 and outside.get_json()["items"] == []


def test_events_about_a_person_include_their_records_and_the_lists_naming_them(make, api_as):
    organisation = make.organisation()
    caseworker = make.user("caseworker", organisation=organisation)
    person, other = make.client_of(caseworker), make.client_of(caseworker)
    contact = make.contact(person, caseworker)
    field = api_as(caseworker)
    assert field.get(f"/contacts/{contact.id}").status_code == 200
    assert field.get("/caseload").status_code == 200
    assert field.get(f"/participants/{other.id}").status_code == 200
    # An event from before migration 0009 (no participant_id) still counts by its ids.
    old = audit.record("participant.read", "participant", [person.id], caseworker.id)
    db.session.execute(
        update(AuditEvent).where(AuditEvent.id == old.id).values(participant_id=None)
    )
    db.session.commit()
    items = api_as("admin").get(f"/audit-events?participant_id={person.id}").get_json()["items"]
    actions = {item["action"] for item in items}
    assert {"contact.read", "participant.read"} <= actions
    assert any(person.id in item["entity_ids"] and len(item["entity_ids"]) > 1 for item in items)
    assert old.id in [item["id"] for item in items]
    assert all(
        item["participant_id"] == person.id or person.id in item["entity_ids"] for item in items
    )


def test_filters_narrow_the_events(make, api_as):
    facility = make.facility()
    person = make.participant(facility=facility)
    officer_user = make.user("officer", facility=facility)
    officer = api_as(officer_user)
    officer.get(f"/participants/{person.id}")
    officer.get("/participants/7d7c3a34-0f3c-4a43-9b8e-6f0fdd1c8a11")  # denied
    admin = api_as("admin")
    admin.get(f"/participants/{person.id}", headers={"X-Access-Reason": "legal"})

    def ids(query):
        return _ids(admin.get("/audit-events?limit=500&" + query))

    assert ids(f"actor_id={officer_user.id}") == _event_ids(actor_id=officer_user.id)
    denied = ids("outcome=denied")
    assert denied and denied == _event_ids(outcome="denied")
    assert ids("reason_code=legal") == _event_ids(reason_code="legal")
    assert ids("action=participant.read&outcome=allowed") == _event_ids(
        action="participant.read", outcome="allowed"
    )
    today = utcnow().date()
    assert ids(f"from={today}&to={today}")
    assert ids(f"to={today - timedelta(days=1)}") == []
    assert ids(f"from={today + timedelta(days=1)}") == []
    every_day = ids("action=participant.read&from=0001-01-01&to=9999-12-31")
    assert every_day == _event_ids(action="participant.read")


def test_bad_filters_answer_422_never_5xx(api_as):
    admin = api_as("admin")
    for query in (
        "outcome=maybe",
        "reason_code=Because",
        "participant_id=not-a-uuid",
        "from=2026-13-01",
        "from=2026-05-02&to=2026-05-01",
        "cursor=%%%",
        "limit=0",
    ):
        response = admin.get("/audit-events?" + query)
        assert response.status_code == 422, query
        assert response.get_json()["error"]["code"] == "validation_error", query


def test_pages_follow_a_cursor_without_repeating_events(make, api_as):
    facility = make.facility()
    officer = api_as("officer", facility=facility)
    for _ in range(5):
        officer.get(f"/participants/{make.participant(facility=facility).id}")
    admin = api_as("admin")
    seen, cursor = [], None
    while True:
        query = "/audit-events?action=participant.read&limit=2"
        body = admin.get(query + (f"&cursor={cursor}" if cursor else "")).get_json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == _event_ids(action="participant.read") and len(seen) == 5


def test_reading_the_log_is_audited_with_ids_only(make, api_as):
    person = make.participant()
    admin = api_as("admin")
    shown = _ids(admin.get(f"/audit-events?participant_id={person.id}"))
    db.session.expire_all()
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.read"))
    assert event.entity == "audit_event" and event.participant_id == person.id
    assert event.entity_ids == [str(i) for i in shown]


def test_the_chain_covers_the_person_and_still_verifies_older_events(app, make, api_as):
    person = make.participant()
    old = audit.record("user.update", "user", [make.user("officer").id], None)
    assert old.participant_id is None
    api_as("admin").get(f"/participants/{person.id}")
    assert verify_chain(app.config["AUDIT_KEY"])[1] is None
    (read,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "participant.read"))
    db.session.execute(
        update(AuditEvent).where(AuditEvent.id == read.id).values(participant_id=None)
    )
    assert verify_chain(app.config["AUDIT_KEY"])[1] == read.id


def test_the_openapi_document_describes_the_audit_log(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/audit-events"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"participant_id", "actor_id", "action", "outcome", "reason_code", "from", "to"} <= names
    assert "AuditEvent" in spec["components"]["schemas"]
