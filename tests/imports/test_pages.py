"""The officer's import page: check the file, then import it; blank registers to download."""

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from tests.imports.conftest import csv_bytes, person


def signed_in(app, make, signin, role="officer", **kwargs):
    user = make.user(role, **kwargs)
    client = app.test_client()
    return client, signin(client, user), user


def check(client, csrf, data: bytes, **form):
    return client.post(
        "/imports/participants/check",
        data={"csrf_token": csrf, "file": (io.BytesIO(data), "register.csv"), **form},
        content_type="multipart/form-data",
    )


def numbers(facility) -> set:
    query = select(Participant.prison_number).where(Participant.facility_id == facility.id)
    return set(db.session.scalars(query))


def test_check_then_import_the_same_file(app, make, signin, matcher):
    facility = make.facility()
    client, csrf, _officer = signed_in(app, make, signin, facility=facility)
    someone = make.participant(facility=facility, prison_number="OLD-1")
    matcher.same_as["Aygerim"] = someone.id
    rows = [person("KZ-1"), person("KZ-2", born="31.02.1990"), person("KZ-3", "Aygerim")]
    page = check(client, csrf, csv_bytes(rows))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Import 1 row" in html and f"/participants/{someone.id}" in html
    assert "Use a date like" in html and numbers(facility) == {"OLD-1"}
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    done = client.post(
        "/imports/participants/apply",
        data={"csrf_token": csrf, "token": token, "facility_id": ""},
    )
    assert done.status_code == 200 and "Import finished" in done.get_data(as_text=True)
    assert numbers(facility) == {"OLD-1", "KZ-1"}
    # The file is gone once imported: the same token again asks to check it again.
    again = client.post("/imports/participants/apply", data={"csrf_token": csrf, "token": token})
    assert again.status_code == 422 and numbers(facility) == {"OLD-1", "KZ-1"}


def test_another_users_token_opens_nothing(app, make, signin):
    facility = make.facility()
    client, csrf, _officer = signed_in(app, make, signin, facility=facility)
    html = check(client, csrf, csv_bytes([person()])).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    other, other_csrf, _colleague = signed_in(app, make, signin, facility=facility)
    answer = other.post(
        "/imports/participants/apply", data={"csrf_token": other_csrf, "token": token}
    )
    assert answer.status_code == 422 and numbers(facility) == set()


def test_a_refused_file_shows_why_on_the_form(app, make, signin):
    client, csrf, _officer = signed_in(app, make, signin)
    page = check(client, csrf, "Фамилия".encode("cp1251"))
    assert page.status_code == 422 and "cannot be read" in page.get_data(as_text=True)
    no_file = client.post(
        "/imports/participants/check", data={"csrf_token": csrf}, content_type="multipart/form-data"
    )
    assert no_file.status_code == 422


def test_other_roles_get_403_and_the_list_links_importers(app, make, signin):
    client, _csrf, _user = signed_in(app, make, signin, role="instructor")
    assert client.get("/imports/participants").status_code == 403
    assert "/imports/participants" not in client.get("/participants").get_data(as_text=True)
    officer, _csrf, _user = signed_in(app, make, signin)
    assert officer.get("/imports/participants").status_code == 200
    assert "/imports/participants" in officer.get("/participants").get_data(as_text=True)


def test_templates_in_the_readers_language(app, make, signin):
    english, _csrf, _user = signed_in(app, make, signin, locale="en")
    russian, _csrf, _user = signed_in(app, make, signin, locale="ru")
    text = english.get("/imports/participants/template.csv").data.decode("utf-8-sig")
    header, example = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["Prison number", "Given name", "Family name"] and example[5] == "Female"
    answer = russian.get("/imports/participants/template.xlsx")
    assert answer.headers["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(answer.data), read_only=True).worksheets[0]
    header, example = (list(row) for row in sheet.iter_rows(values_only=True))
    assert header[0] == "Номер личного дела" and example[5] == "Женский"


def test_a_downloaded_template_imports_as_it_is(app, make, signin):
    facility = make.facility()
    client, csrf, _officer = signed_in(app, make, signin, facility=facility, locale="kk")
    blank = client.get("/imports/participants/template.csv").data
    html = check(client, csrf, blank).get_data(as_text=True)
    assert 'name="token"' in html, html
