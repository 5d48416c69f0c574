"""Partners named in every language; countries read as names, sent as codes (issue 20)."""

import html
import re

from sqlalchemy import select

from prog_tracker.directory.models import Organisation
from prog_tracker.extensions import db


def _text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def test_an_organisation_gets_names_per_language_and_a_country_by_name(client, make, signin):
    csrf = signin(client, make.user("admin", locale="fr"))
    form = _text(client.get("/admin/organisations/new"))
    assert re.search(r'<option value="KZ"\s*>Kazakhstan</option>', form)
    assert re.search(r'<option value="TN"\s*>Tunisie</option>', form)
    response = client.post(
        "/admin/organisations/new",
        data={
            "csrf_token": csrf,
            "name": "Jol",
            "names.kk": "Жол",
            "names.fr": "Le Chemin",
            "country": "KZ",
            "kind": "ngo",
        },
    )
    assert response.status_code == 302
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == "Jol"))
    assert organisation.names == {"kk": "Жол", "fr": "Le Chemin"}
    listed = _text(client.get("/admin/organisations"))
    assert "Le Chemin" in listed and "Kazakhstan" in listed and "<td>KZ</td>" not in listed


def test_a_bad_name_in_one_language_is_shown_beside_that_language(client, make, signin):
    csrf = signin(client, make.user("admin"))
    response = client.post(
        "/admin/organisations/new",
        data={
            "csrf_token": csrf,
            "name": "Jol",
            "names.ar": "ط" * 201,
            "names.kk": "Жол",
            "country": "KZ",
            "kind": "ngo",
        },
    )
    assert response.status_code == 422
    page = _text(response)
    assert 'id="f-names-ar-error"' in page and 'value="Жол"' in page
    assert db.session.scalar(select(Organisation).where(Organisation.name == "Jol")) is None


def test_facility_and_supervisor_countries_read_as_names(client, make, signin):
    make.facility(country="UG")
    signin(client, make.user("admin", locale="ru"))
    assert "Уганда" in _text(client.get("/admin/facilities"))
    client.delete_cookie("pt_session")
    signin(client, make.user("supervisor", country="TN", locale="en"))
    assert "You see the programme in country Tunisia." in _text(client.get("/"))
