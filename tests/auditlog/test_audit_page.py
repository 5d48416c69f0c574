"""The audit-log page (/audit): filters, names resolved at render time, denied at a glance."""

from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from tests.pages import inline_script


def _denied_read(make, api_as, facility):
    """An officer's denied read of a person of another facility, and an allowed one."""
    mine = make.participant(facility=facility, given_name="Aigerim", family_name="Sultanova")
    elsewhere = make.participant(facility=make.facility(country="KZ"))
    officer = api_as("officer", facility=facility, display_name="Officer Dana")
    assert officer.get(f"/participants/{mine.id}").status_code == 200
    assert officer.get(f"/participants/{elsewhere.id}").status_code == 404
    return mine, elsewhere


def test_supervisors_review_events_with_names_they_may_see(client, make, signin, api_as):
    facility = make.facility(country="KZ")
    mine, _elsewhere = _denied_read(make, api_as, facility)
    signin(client, make.user("supervisor", country="KZ"))
    home = client.get("/").get_data(as_text=True)
    assert 'href="/audit"' in home
    response = client.get("/audit")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Officer Dana" in html and "Sultanova, Aigerim" in html
    assert "participant.read" in html and not inline_script(html)
    # Denied is said in words, not by colour alone.
    assert 'class="audit-denied"' in html and "Denied</strong>" in html
    assert html.count('class="audit-denied"') == 1
    # Naming people on the page is itself a list-like read.
    db.session.expire_all()
    named = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "participant.list")
    ).all()
    assert any(mine.id in event.entity_ids for event in named)


def test_the_page_filters_through_the_same_service(client, make, signin, api_as):
    facility = make.facility(country="KZ")
    _mine, elsewhere = _denied_read(make, api_as, facility)
    signin(client, make.user("admin"))
    denied = client.get("/audit?outcome=denied").get_data(as_text=True)
    assert "audit-denied" in denied and "participant.read</code>" in denied
    assert denied.count("<tr") == 2  # the header row and the one denied read
    person = client.get(f"/audit?participant_id={elsewhere.id}").get_data(as_text=True)
    assert person.count('class="audit-denied"') == 1
    bad = client.get("/audit?from=2026-05-02&to=2026-05-01")
    assert bad.status_code == 422 and "Must not be before the start date." in bad.get_data(
        as_text=True
    )


def test_people_are_found_by_name_within_scope(client, make, signin):
    kz, ug = make.facility(country="KZ"), make.facility(country="UG")
    make.participant(facility=kz, given_name="Aruzhan", family_name="Bekova")
    make.participant(facility=ug, given_name="Zawadi", family_name="Bekova")
    signin(client, make.user("supervisor", country="KZ"))
    html = client.get("/audit?person_q=bekova").get_data(as_text=True)
    assert "Aruzhan" in html and "Zawadi" not in html


def test_other_roles_have_no_audit_page(client, make, signin):
    signin(client, make.user("officer"))
    assert client.get("/audit").status_code == 403
    assert 'href="/audit"' not in client.get("/").get_data(as_text=True)
