"""Bidi controls typed into a name never reach a printed name (issue 18).

The stored name stays as typed; pages, /verify (HTML and JSON), the
certificate PDF, the subject-export PDF and the field app print it without
U+202A-U+202E and U+2066-U+2069. The marks U+200E, U+200F and U+061C stay.
"""

import datetime as dt
import io
import json
import re
import unicodedata
from types import SimpleNamespace

import pypdf
import pytest
from flask import render_template_string

from prog_tracker.certification.certificates import holder_name, new_code
from prog_tracker.certification.documents import certificate_pdf_bytes
from prog_tracker.certification.models import Certificate
from prog_tracker.participants.models import ReleaseDateChange
from prog_tracker.participants.names import person_name, sorted_name
from tests.privacy.subject_world import export

CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
MARKS = ["\u200e", "\u200f", "\u061c"]
ANY_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# "Ali", RIGHT-TO-LEFT OVERRIDE, "gnp.exe": printed as typed it reads "Aliexe.png".
SPOOF_GIVEN, SPOOF_FAMILY = "Ali\u202egnp.exe", "\u2067Ben\u202c Salah\u2069"
SHOWN_GIVEN, SHOWN_FAMILY = "Alignp.exe", "Ben Salah"


def _person(given="Ali", family="Ben", other=None):
    return SimpleNamespace(given_name=given, family_name=family, other_names=other)


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_person_name_and_sorted_name_drop_each_control(control):
    person = _person(f"A{control}li", f"{control}Ben{control}")
    assert person_name(person) == "Ali Ben"
    assert sorted_name(person) == "Ben, Ali"


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_printable_name_drops_each_control(control):
    from prog_tracker.core.bidi import printable_name, strip_bidi_controls

    assert printable_name(f"x{control}y") == strip_bidi_controls(f"x{control}y") == "xy"


@pytest.mark.parametrize("mark", MARKS, ids=[f"U+{ord(c):04X}" for c in MARKS])
def test_marks_stay_they_reorder_nothing(mark):
    """Mixed Arabic and Latin names need the marks; they cannot reverse letters."""
    from prog_tracker.core.bidi import printable_name

    name = f"محمد{mark} (Mohamed)"
    assert printable_name(name) == name
    assert person_name(_person(name, "Ben")) == f"{name} Ben"


def test_no_name_prints_as_nothing():
    from prog_tracker.core.bidi import printable_name

    assert printable_name(None) == printable_name("") == ""


def test_template_filters_strip_and_isolate(app):
    with app.test_request_context():
        plain = render_template_string("{{ n | printable_name }}", n=SPOOF_GIVEN)
        inline = render_template_string("Hello, {{ n | isolated_name }}", n="<b>\u202eAli")
    assert plain == SHOWN_GIVEN
    assert inline == "Hello, <bdi>&lt;b&gt;Ali</bdi>"


def _spoofed_certificate(make):
    """A valid certificate of a person whose names carry bidi controls, as issuing stores it."""
    facility = make.facility(country="TN", public_name="Centre de formation")
    person = make.participant(
        facility=facility,
        given_name=SPOOF_GIVEN,
        family_name=SPOOF_FAMILY,
        other_names="\u202dM.\u202c",
    )
    trade = make.trade(name="Menuiserie")
    qualification = make.qualification(trade, skills=[make.skill(trade)], title="Joiner")
    return make._save(
        Certificate(
            participant_id=person.id,
            qualification_id=qualification.id,
            code=new_code(),
            issued_on=dt.date(2026, 2, 20),
            issued_by_id=make.user("supervisor").id,
            holder_name=holder_name(person),
            issuer_facility_id=facility.id,
            assessment_ids=[],
        )
    )


def test_stored_holder_name_keeps_what_was_typed(make):
    certificate = _spoofed_certificate(make)
    assert ANY_CONTROL.search(certificate.holder_name)


def test_verify_json_and_page_print_the_name_without_controls(client, make):
    certificate = _spoofed_certificate(make)
    shown = f"{SHOWN_GIVEN} M. {SHOWN_FAMILY}"
    body = client.get(f"/api/v1/verify/{certificate.code}")
    assert body.status_code == 200
    assert body.get_json()["holder_name"] == shown
    assert not ANY_CONTROL.search(body.get_data(as_text=True))
    assert not ANY_CONTROL.search(json.dumps(body.get_json(), ensure_ascii=False))
    page = client.get(f"/verify/{certificate.code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert not ANY_CONTROL.search(html)
    assert f'<dd class="verify-holder">{shown}</dd>' in html


def test_certificate_pdf_prints_the_name_as_typed_letters_not_reordered(make):
    certificate = _spoofed_certificate(make)
    page = pypdf.PdfReader(io.BytesIO(certificate_pdf_bytes(certificate))).pages[0]
    text = unicodedata.normalize("NFKC", page.extract_text())
    assert not ANY_CONTROL.search(text)
    # With the override applied the PDF would read "Aliexe.png".
    assert f"{SHOWN_GIVEN} M. {SHOWN_FAMILY}" in text.splitlines()


def test_participant_page_prints_no_control(client, make, signin):
    facility = make.facility()
    officer = make.user("officer", facility=facility, display_name="Officer\u202e Ruslan")
    person = make.participant(
        facility=facility,
        given_name=SPOOF_GIVEN,
        family_name=SPOOF_FAMILY,
        other_names="\u2066Ali\u202b Baba\u2069",
        expected_release_date=dt.date(2031, 5, 1),
    )
    make._save(
        ReleaseDateChange(
            participant_id=person.id, new_date=dt.date(2031, 5, 1), changed_by_id=officer.id
        )
    )
    signin(client, officer)
    response = client.get(f"/participants/{person.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert not ANY_CONTROL.search(html)
    assert f"<h1>{SHOWN_GIVEN} {SHOWN_FAMILY}</h1>" in html
    assert "Ali Baba" in html and "Officer Ruslan" in html


def test_home_page_greets_a_user_in_an_isolated_name(client, make, signin):
    officer = make.user("officer", display_name="\u202eSaule")
    signin(client, officer)
    html = client.get("/").get_data(as_text=True)
    assert "<bdi>Saule</bdi>" in html and not ANY_CONTROL.search(html)


def test_subject_export_pdf_prints_names_without_controls_json_keeps_them(make):
    person = make.participant(
        given_name=SPOOF_GIVEN, family_name=SPOOF_FAMILY, other_names="\u202eM."
    )
    got = export(person)
    assert not ANY_CONTROL.search(got["pdf_text"])
    assert f"{SHOWN_GIVEN} {SHOWN_FAMILY}" in got["pdf_text"].splitlines()
    # subject.json is the person's data as stored: what they typed, controls and all.
    stored = got["json"]["participant"]
    assert (stored["given_name"], stored["family_name"]) == (SPOOF_GIVEN, SPOOF_FAMILY)
