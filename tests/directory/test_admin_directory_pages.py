"""Admin pages for facilities and organisations through HTML forms."""

from sqlalchemy import select

from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from tests.pages import inline_script


def _admin(client, make, signin):
    """Sign an admin in; returns the CSRF token forms must post."""
    return signin(client, make.user("admin"))


def test_admin_creates_and_edits_a_facility(client, make, signin):
    csrf = _admin(client, make, signin)
    response = client.post(
        "/admin/facilities/new",
        data={
            "csrf_token": csrf,
            "name": "Colony 7",
            "country": "ug",
            "public_name": "Kampala Skills Centre",
            "timezone": "Africa/Kampala",
        },
    )
    assert response.status_code == 302
    facility = db.session.scalar(select(Facility).where(Facility.name == "Colony 7"))
    assert facility.country == "UG"
    response = client.post(
        f"/admin/facilities/{facility.id}",
        data={
            "csrf_token": csrf,
            "version": str(facility.version),
            "name": "Colony 7",
            "country": "UG",
            "public_name": "",
            "timezone": "Nowhere/Else",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="f-public_name-error"' in page and 'id="f-timezone-error"' in page
    assert 'value="Nowhere/Else"' in page


def test_admin_creates_an_organisation_and_clears_its_phone(client, make, signin):
    csrf = _admin(client, make, signin)
    client.post(
        "/admin/organisations/new",
        data={
            "csrf_token": csrf,
            "name": "Second Chance",
            "country": "TN",
            "kind": "ngo",
            "contact_email": "hello@example.org",
            "contact_phone": "+216 1234",
        },
    )
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == "Second Chance")
    )
    assert organisation.contact_phone == "+216 1234"
    response = client.post(
        f"/admin/organisations/{organisation.id}",
        data={
            "csrf_token": csrf,
            "version": str(organisation.version),
            "name": "Second Chance",
            "country": "TN",
            "kind": "employer",
            "contact_email": "hello@example.org",
            "contact_phone": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (organisation.kind, organisation.contact_phone) == ("employer", None)
    assert "Employer" in client.get("/admin/organisations").get_data(as_text=True)


def test_admin_pages_carry_no_inline_script_or_style(client, make, signin):
    facility, organisation = make.facility(), make.organisation()
    user = make.user("officer", facility=facility)
    _admin(client, make, signin)
    for path in (
        "/",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{user.id}",
        "/admin/facilities",
        "/admin/facilities/new",
        f"/admin/facilities/{facility.id}",
        "/admin/organisations",
        "/admin/organisations/new",
        f"/admin/organisations/{organisation.id}",
    ):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert not inline_script(page) and "style=" not in page and "<style" not in page, path
