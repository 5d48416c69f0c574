"""Participant pages and home pages: search, register, read, edit, scope."""

from datetime import date

from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant, ReleaseDateChange
from tests.pages import inline_script


def _officer(client, make, signin, facility=None):
    """Sign an officer in at facility; returns (officer, csrf token)."""
    officer = make.user("officer", facility=facility or make.facility())
    return officer, signin(client, officer)


def _person(prison_number):
    """The participant with this prison number, read fresh."""
    db.session.expire_all()
    return db.session.scalar(select(Participant).where(Participant.prison_number == prison_number))


def test_officer_registers_a_participant_through_the_form(client, make, signin):
    officer, csrf = _officer(client, make, signin)
    response = client.post(
        "/participants/new",
        data={
            "csrf_token": csrf,
            "facility_id": officer.facility_id,
            "prison_number": "KZ-0042",
            "given_name": "Нурлан",
            "family_name": "Беков",
            "other_names": "",
            "date_of_birth": "1991-04-02",
            "sex": "male",
            "preferred_language": "kk",
            "expected_release_date": "2031-05-01",
        },
    )
    assert response.status_code == 302
    person = _person("KZ-0042")
    assert response.headers["Location"].endswith(f"/participants/{person.id}")
    assert (person.given_name, person.other_names) == ("Нурлан", None)
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Нурлан Беков" in page and "2031-05-01" in page and "Қазақша" in page


def test_registration_error_keeps_typed_values(client, make, signin):
    officer, csrf = _officer(client, make, signin)
    make.participant(facility=officer.facility, prison_number="DUP-1")
    response = client.post(
        "/participants/new",
        data={
            "csrf_token": csrf,
            "facility_id": officer.facility_id,
            "prison_number": "DUP-1",
            "given_name": "Amina",
            "family_name": "Typed",
            "sex": "female",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="f-prison_number-error"' in page
    assert 'value="Amina"' in page and 'value="Typed"' in page


def test_officer_cannot_register_in_another_facility(client, make, signin):
    _officer_user, csrf = _officer(client, make, signin)
    elsewhere = make.facility()
    response = client.post(
        "/participants/new",
        data={
            "csrf_token": csrf,
            "facility_id": elsewhere.id,
            "prison_number": "X-1",
            "given_name": "A",
            "family_name": "B",
            "sex": "other",
        },
    )
    assert response.status_code == 422
    assert 'id="f-facility_id-error"' in response.get_data(as_text=True)
    assert _person("X-1") is None


def _edit_form(person, csrf, **changes):
    """The edit form as a browser would post it, with changes applied."""
    form = {
        "csrf_token": csrf,
        "version": str(person.version),
        "prison_number": person.prison_number,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "other_names": person.other_names or "",
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "sex": person.sex,
        "preferred_language": person.preferred_language or "",
        "expected_release_date": (
            person.expected_release_date.isoformat() if person.expected_release_date else ""
        ),
        "reason": "",
    }
    return {**form, **changes}


def test_changing_the_release_date_needs_a_reason(client, make, signin):
    officer, csrf = _officer(client, make, signin)
    person = make.participant(facility=officer.facility, expected_release_date=date(2030, 1, 1))
    url = f"/participants/{person.id}/edit"
    assert client.get(url).status_code == 200
    missing = client.post(
        url,
        data=_edit_form(
            person, csrf, given_name="Aigerim-Typed", expected_release_date="2030-06-30"
        ),
    )
    assert missing.status_code == 422
    page = missing.get_data(as_text=True)
    assert 'id="f-reason-error"' in page
    assert 'value="Aigerim-Typed"' in page and 'value="2030-06-30"' in page
    assert _person(person.prison_number).expected_release_date == date(2030, 1, 1)
    saved = client.post(
        url,
        data=_edit_form(
            person, csrf, expected_release_date="2030-06-30", reason="Court reduced the sentence"
        ),
    )
    assert saved.status_code == 302
    assert _person(person.prison_number).expected_release_date == date(2030, 6, 30)
    shown = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Court reduced the sentence" in shown and officer.display_name in shown
    changes = db.session.scalars(
        select(ReleaseDateChange).where(ReleaseDateChange.participant_id == person.id)
    ).all()
    assert [c.reason for c in changes] == ["Court reduced the sentence"]


def test_blank_optional_fields_clear_and_blank_required_fields_are_errors(client, make, signin):
    officer, csrf = _officer(client, make, signin)
    person = make.participant(facility=officer.facility, other_names="Aika")
    url = f"/participants/{person.id}/edit"
    blank_name = client.post(url, data=_edit_form(person, csrf, given_name=""))
    assert blank_name.status_code == 422
    assert 'id="f-given_name-error"' in blank_name.get_data(as_text=True)
    cleared = client.post(url, data=_edit_form(person, csrf, other_names=""))
    assert cleared.status_code == 302
    assert _person(person.prison_number).other_names is None


def test_stale_participant_edit_answers_409_and_keeps_typing(client, make, signin):
    officer, csrf = _officer(client, make, signin)
    person = make.participant(facility=officer.facility, family_name="Before")
    form = _edit_form(person, csrf, family_name="Mine")
    person.family_name = "Theirs"
    db.session.commit()
    response = client.post(f"/participants/{person.id}/edit", data=form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'value="Mine"' in page and "Theirs" in page
    assert f'name="version" value="{person.version}"' in page


def test_officer_of_another_facility_gets_404(client, make, signin):
    other = make.participant(facility=make.facility())
    _officer(client, make, signin)
    assert client.get(f"/participants/{other.id}").status_code == 404
    assert client.get(f"/participants/{other.id}/edit").status_code == 404
    assert client.get("/participants/not-a-uuid").status_code == 404


def test_supervisor_reads_but_cannot_edit(client, make, signin):
    facility = make.facility(country="KZ")
    person = make.participant(facility=facility)
    csrf = signin(client, make.user("supervisor", country="KZ"))
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert person.prison_number in page and "/edit" not in page
    assert client.get(f"/participants/{person.id}/edit").status_code == 403
    posted = client.post(
        f"/participants/{person.id}/edit", data=_edit_form(person, csrf, family_name="Nope")
    )
    assert posted.status_code == 403
    assert client.get("/participants/new").status_code == 403


def test_search_finds_cyrillic_name_typed_in_latin(client, make, signin):
    officer, _csrf = _officer(client, make, signin)
    nurlan = make.participant(facility=officer.facility, given_name="Нурлан", family_name="Сейітов")
    make.participant(facility=officer.facility, given_name="Aigerim", family_name="Zhaksy")
    page = client.get("/participants?q=nurlan").get_data(as_text=True)
    assert nurlan.prison_number in page and "Zhaksy" not in page
    assert "Сейітов, Нурлан" in page


def test_list_is_scoped_filtered_audited_and_paged(client, make, signin):
    officer, _csrf = _officer(client, make, signin)
    people = [make.participant(facility=officer.facility) for _ in range(51)]
    make.participant(facility=officer.facility, status="released", family_name="Gone")
    stranger = make.participant(facility=make.facility(), family_name="Stranger")
    first = client.get("/participants?status=in_custody").get_data(as_text=True)
    assert "Stranger" not in first and "Gone" not in first and "Next page" in first
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "participant.list")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert len(event.entity_ids) == 50 and stranger.id not in event.entity_ids
    next_link = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = client.get(next_link.replace("&amp;", "&")).get_data(as_text=True)
    assert "First page" in second and "Next page" not in second
    shown = sum(p.prison_number in first or p.prison_number in second for p in people)
    assert shown == 51


def test_bad_filters_render_errors_not_500(client, make, signin):
    _officer(client, make, signin)
    response = client.get("/participants?status=asleep&cursor=%%%")
    assert response.status_code == 422
    assert 'id="f-status-error"' in response.get_data(as_text=True)


def test_officer_home_counts_and_next_releases(client, make, signin):
    officer, _csrf = _officer(client, make, signin)
    soon = make.participant(
        facility=officer.facility, family_name="Soon", expected_release_date=date(2030, 3, 1)
    )
    make.participant(facility=officer.facility, status="released")
    page = client.get("/").get_data(as_text=True)
    assert officer.display_name in page
    assert f"/participants/{soon.id}" in page and "2030-03-01" in page
    assert "Register a participant" in page


def test_instructor_and_caseworker_homes_show_profile_and_count(client, make, signin):
    facility = make.facility(name="Colony 3")
    signin(client, make.user("instructor", facility=facility))
    page = client.get("/").get_data(as_text=True)
    assert "Colony 3" in page and "/settings" in page and "Participants you can see" in page
    other = client.application.test_client()
    organisation = make.organisation(name="Ray of Hope")
    signin(other, make.user("caseworker", organisation=organisation))
    page = other.get("/").get_data(as_text=True)
    assert "Ray of Hope" in page and "/settings" in page and "People you can see" in page


def test_admin_home_links_to_administration(client, make, signin):
    signin(client, make.user("admin"))
    page = client.get("/").get_data(as_text=True)
    for path in ("/admin/users", "/admin/facilities", "/admin/organisations"):
        assert f'href="{path}"' in page


def test_pages_carry_no_inline_script_or_style(client, make, signin):
    officer, _csrf = _officer(client, make, signin)
    person = make.participant(facility=officer.facility)
    for path in (
        "/",
        "/participants",
        "/participants/new",
        f"/participants/{person.id}",
        f"/participants/{person.id}/edit",
    ):
        page = client.get(path).get_data(as_text=True)
        assert not inline_script(page) and "style=" not in page and "<style" not in page
