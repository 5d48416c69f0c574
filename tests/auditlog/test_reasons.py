"""Access with a reason (SPEC §3): supervisors and admins say why they read one person's
record; the API through X-Access-Reason, the pages through a picker kept per session."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from prog_tracker.auditlog.models import AccessGrant
from prog_tracker.auth.sessions import start_session
from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from tests.conftest import REASON_ENVIRON
from tests.pages import inline_script


def _without_reason(api):
    """The Api client, no longer sending the test default reason."""
    api.client.environ_base.pop(REASON_ENVIRON, None)
    return api


def _events(action):
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_reading_one_person_without_a_reason_is_refused(api_as, make, role):
    person = make.participant(given_name="Aigerim", family_name="Sultanova")
    api = _without_reason(api_as(role))
    response = api.get(f"/participants/{person.id}")
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "reason_required"
    assert "X-Access-Reason" in error["fields"]
    assert "Aigerim" not in response.get_data(as_text=True)
    assert _events("participant.read") == []


def test_an_unknown_reason_is_refused_and_a_known_one_is_recorded(api_as, make):
    person = make.participant()
    api = _without_reason(api_as("supervisor"))
    for unknown in ("Because", "CASE_REVIEW", ""):
        refused = api.get(f"/participants/{person.id}", headers={"X-Access-Reason": unknown})
        assert refused.status_code == 403, unknown
    allowed = api.get(f"/participants/{person.id}", headers={"X-Access-Reason": "safeguarding"})
    assert allowed.status_code == 200
    (event,) = _events("participant.read")
    assert (event.reason_code, event.participant_id) == ("safeguarding", person.id)


def test_the_reason_is_asked_before_the_scope_so_it_reveals_nothing(api_as, make):
    abroad = make.participant(facility=make.facility(country="UG"))
    api = _without_reason(api_as("supervisor", country="KZ"))
    for target in (abroad.id, "7d7c3a34-0f3c-4a43-9b8e-6f0fdd1c8a11", "not-an-id"):
        response = api.get(f"/participants/{target}")
        assert response.status_code == 403, target
        assert response.get_json()["error"]["code"] == "reason_required"
    given = api.get(f"/participants/{abroad.id}", headers={"X-Access-Reason": "legal"})
    assert given.status_code == 404


def test_sub_resources_and_records_of_one_person_ask_for_a_reason(api_as, make):
    organisation = make.organisation()
    caseworker = make.user("caseworker", organisation=organisation)
    person = make.client_of(caseworker)
    contact = make.contact(person, caseworker)
    api = _without_reason(api_as("admin"))
    paths = [
        f"/participants/{person.id}/release-date-history",
        f"/participants/{person.id}/status-history",
        f"/participants/{person.id}/release-episodes",
        f"/participants/{person.id}/release-plan",
        f"/participants/{person.id}/follow-ups",
        f"/participants/{person.id}/consents",
        f"/participants/{person.id}/contacts",
        f"/participants/{person.id}/outcomes",
        f"/contacts/{contact.id}",
    ]
    for path in paths:
        response = api.get(path)
        assert response.status_code == 403, path
        assert response.get_json()["error"]["code"] == "reason_required", path
        assert api.get(path, headers={"X-Access-Reason": "case_review"}).status_code == 200, path
    (read,) = _events("contact.read")
    assert (read.reason_code, read.participant_id) == ("case_review", person.id)


def test_other_roles_lists_and_writes_are_not_asked(api_as, make):
    facility = make.facility()
    person = make.participant(facility=facility)
    cohort = make.cohort(facility, instructors=[instructor := make.user("instructor")])
    make.enrolment(cohort, person)
    assert api_as("officer", facility=facility).get(f"/participants/{person.id}").status_code == 200
    assert api_as(instructor).get(f"/participants/{person.id}").status_code == 200
    caseworker = make.user("caseworker", organisation=make.organisation())
    client = make.client_of(caseworker)
    assert api_as(caseworker).get(f"/participants/{client.id}/contacts").status_code == 200
    admin = _without_reason(api_as("admin"))
    assert admin.get("/participants").status_code == 200
    changed = admin.patch(f"/participants/{person.id}", json={"other_names": "Dana"})
    assert changed.status_code == 200


def test_code_can_declare_the_reason_for_a_whole_request(app, make):
    from flask import g

    from prog_tracker.core import audit, policy

    person = make.participant()
    admin = make.user("admin")
    with app.test_request_context("/subject-export"):
        g.user = admin
        with pytest.raises(policy.ReasonRequired):
            policy.get_participant(admin, person.id)
        audit.use_reason("subject_access")
        assert policy.get_participant(admin, person.id) is not None
        event = audit.record("participant.read", "participant", [person.id], admin.id)
        assert event.reason_code == "subject_access"
        with pytest.raises(ValueError):
            audit.use_reason("curiosity")


# The pages: a picker, remembered per person and signed-in session.


def _page_client(client, make, signin, role="supervisor"):
    """A browser-like client signed in as role, without the tests' default reason."""
    user = make.user(role, country="KZ") if role == "supervisor" else make.user(role)
    csrf = signin(client, user)
    client.environ_base.pop(REASON_ENVIRON, None)
    return user, csrf


def test_pages_ask_why_then_open_the_record_and_record_the_reason(client, make, signin):
    person = make.participant(given_name="Aigerim")
    user, csrf = _page_client(client, make, signin)
    asked = client.get(f"/participants/{person.id}")
    assert asked.status_code == 302
    picker_url = asked.headers["Location"]
    assert picker_url.startswith(f"/access-reason/{person.id}?next=")
    form = client.get(picker_url)
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "Why are you opening this record?" in html
    assert 'name="reason_code"' in html and not inline_script(html) and "Aigerim" not in html
    assert form.headers["Cache-Control"] == "no-store"
    refused = client.post(
        picker_url, data={"csrf_token": csrf, "next": f"/participants/{person.id}"}
    )
    assert refused.status_code == 422
    chosen = client.post(
        f"/access-reason/{person.id}",
        data={
            "csrf_token": csrf,
            "reason_code": "complaint",
            "next": f"/participants/{person.id}",
        },
    )
    assert chosen.status_code == 302 and chosen.headers["Location"] == f"/participants/{person.id}"
    page = client.get(f"/participants/{person.id}")
    assert page.status_code == 200 and "Aigerim" in page.get_data(as_text=True)
    # Its sub-pages are covered by the same reason.
    assert client.get(f"/participants/{person.id}/release-plan").status_code == 200
    reads = _events("participant.read")
    assert reads and {event.reason_code for event in reads} == {"complaint"}
    (given,) = _events("access_reason.give")
    assert (given.actor_id, given.entity_ids, given.reason_code) == (
        user.id,
        [person.id],
        "complaint",
    )
    # Someone else's record asks again.
    other = make.participant()
    assert client.get(f"/participants/{other.id}").status_code == 302


def test_a_reason_expires_and_belongs_to_its_session(app, client, make, signin):
    person = make.participant()
    user, csrf = _page_client(client, make, signin)
    client.post(
        f"/access-reason/{person.id}",
        data={"csrf_token": csrf, "reason_code": "case_review"},
    )
    assert client.get(f"/participants/{person.id}").status_code == 200
    (grant,) = db.session.scalars(select(AccessGrant))
    minutes = (grant.expires_at - utcnow()).total_seconds() / 60
    assert 29 < minutes <= 30
    _row, token = start_session(user, fully_signed_in=True)
    db.session.commit()
    second = app.test_client()
    second.set_cookie("pt_session", token)
    assert second.get(f"/participants/{person.id}").status_code == 302
    db.session.execute(update(AccessGrant).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(f"/participants/{person.id}").status_code == 302


def test_the_picker_sends_only_to_this_site(client, make, signin):
    person = make.participant()
    _user, csrf = _page_client(client, make, signin, role="admin")
    for unsafe in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        response = client.post(
            f"/access-reason/{person.id}",
            data={"csrf_token": csrf, "reason_code": "legal", "next": unsafe},
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/", unsafe


def test_the_picker_is_not_shown_to_roles_that_are_not_asked(client, make, signin):
    facility = make.facility()
    person = make.participant(facility=facility)
    signin(client, make.user("officer", facility=facility))
    assert client.get(f"/participants/{person.id}").status_code == 200
    response = client.get(f"/access-reason/{person.id}?next=/participants/{person.id}")
    assert (
        response.status_code == 302 and response.headers["Location"] == f"/participants/{person.id}"
    )
