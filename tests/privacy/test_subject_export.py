"""Subject access export (SPEC §8, issue 9): everything about one person, nothing else.

The export of the first person of tests/privacy/subject_world.py must hold each
of their records with its values, and nothing of the second.
"""

import pytest
from flask_babel import force_locale, gettext

from prog_tracker.auth.services import create_api_token
from prog_tracker.auth.sessions import start_session
from prog_tracker.extensions import db
from prog_tracker.privacy import subject_export
from tests.privacy.subject_world import (
    ARABIC_FAMILY,
    ARABIC_GIVEN,
    KAZAKH_FAMILY,
    KAZAKH_GIVEN,
    export,
    last_event,
    world_fixture,  # noqa: F401 - the `world` fixture
)


def _personal_tables(metadata) -> set[str]:
    """participants and every table that refers to it, directly or through such a table."""
    found, grew = {"participants"}, True
    while grew:
        grew = False
        for table in metadata.tables.values():
            refers = any(key.column.table.name in found for key in table.foreign_keys)
            if table.name not in found and refers:
                found.add(table.name)
                grew = True
    return found


def test_every_table_that_refers_to_a_person_is_exported(app):
    """A new table holding something about a person fails here until the export reads it."""
    left_out = set(subject_export.LEFT_OUT_TABLES)
    assert _personal_tables(db.metadata) == subject_export.EXPORTED_TABLES | left_out
    assert not left_out & subject_export.EXPORTED_TABLES


def test_json_holds_each_record_type_with_its_values(world):
    person, mine = world["person"], world["mine"]
    doc = export(person)["json"]
    assert doc["schema_version"] == 1 and doc["language"] == "ru"
    assert doc["generated_at"].endswith("Z")
    p = doc["participant"]
    assert (p["id"], p["given_name"], p["family_name"]) == (person.id, KAZAKH_GIVEN, KAZAKH_FAMILY)
    assert (p["prison_number"], p["date_of_birth"], p["actual_release_date"]) == (
        "KZ-7-0001",
        "1990-01-01",
        "2026-03-02",
    )
    assert "search_text" not in p
    r = doc["records"]
    assert [(c["new_date"], c["reason"]) for c in r["release_date_changes"]] == [
        ("2026-03-01", "Sentence recalculated MINE")
    ]
    assert [(s["kind"], s["occurred_on"]) for s in r["status_changes"]] == [
        ("released", "2026-03-02")
    ]
    assert [(e["released_on"], e["returned_on"]) for e in r["release_episodes"]] == [
        ("2026-03-02", None)
    ]
    assert [(i["kind"], i["note"]) for i in r["release_plan_items"]] == [("housing", "Hostel MINE")]
    assert [(e["cohort_id"], e["status"]) for e in r["enrolments"]] == [
        (world["cohort"].id, "enrolled")
    ]
    (attendance,) = r["attendance"]
    assert (attendance["status"], attendance["note"]) == ("late", "Bus was late MINE")
    assert [h["status"] for h in attendance["history"]] == ["absent"]
    assert [(a["skill_id"], a["result"]) for a in r["assessments"]] == [
        (world["skill"].id, "competent")
    ]
    (certificate,) = r["certificates"]
    assert (certificate["code"], certificate["issued_on"]) == (
        mine["certificate"].code,
        "2026-02-20",
    )
    assert [(x["status"], x["reason"]) for x in r["referrals"]] == [("accepted", "Needs work MINE")]
    (consent,) = r["consents"]
    assert (consent["method"], consent["given_on"], consent["wording_locale"]) == (
        "thumbprint",
        "2026-02-01",
        "ru",
    )
    assert consent["state"] == "active" and "Hope Partners" in consent["wording"]
    (contact,) = r["contacts"]
    assert (contact["occurred_at"], contact["summary"], contact["needs"]) == (
        "2026-03-08T06:30:00.000000Z",
        "Started at the workshop MINE",
        ["work", "documents"],
    )
    assert [(v["version"], v["mode"], v["summary"]) for v in contact["versions"]] == [
        (1, "phone", "First draft MINE")
    ]
    # The default schedule (+7 … +365 days), each with its status today.
    assert [f["due_on"] for f in r["follow_ups"]][:2] == ["2026-03-09", "2026-04-01"]
    assert r["follow_ups"][0]["status"] == "met"
    assert r["follow_ups"][0]["met_by_contact_id"] == contact["id"]
    assert [(o["employment"], o["housing"], o["uses_trained_skill"]) for o in r["outcomes"]] == [
        ("self_employed", "temporary", True)
    ]


def test_related_names_staff_by_display_name_and_role_only(world):
    doc = export(world["person"])["json"]
    staff = {row["display_name"]: row for row in doc["related"]["staff"]}
    assert {"Officer Saule", "Instructor Arman", "Caseworker Ruslan", "Admin Dana"} <= set(staff)
    assert staff["Officer Saule"] == {
        "id": world["officer"].id,
        "display_name": "Officer Saule",
        "role": "officer",
    }
    assert {row["name"] for row in doc["related"]["organisations"]} == {"Hope Partners"}
    assert [row["title"] for row in doc["related"]["skills"]] == ["Dovetail joints"]
    assert {row["name"] for row in doc["related"]["trades"]} == {"Joinery for export"}
    assert [row["name"] for row in doc["related"]["facilities"]] == ["Colony 7"]


def test_nothing_about_the_other_person(world):
    got = export(world["person"])
    text = "\n".join([got["raw"]["subject.json"].decode("utf-8"), got["pdf_text"], got["readme"]])
    other = world["other"]
    for leak in (other.id, other.prison_number, other.given_name, other.family_name, "THEIRS"):
        assert leak not in text
    for record in world["theirs"].values():
        assert record.id not in text
    # … while the person's own records are all there.
    for record in world["mine"].values():
        assert record.id in text


def test_no_secrets_reach_the_export(world, make):
    admin = world["admin"]
    _session_row, session_token = start_session(admin, fully_signed_in=True)
    token_row, raw_token = create_api_token(world["officer"], "integration")
    db.session.commit()
    raw = b"".join(export(world["person"])["raw"].values())
    users = [world[name] for name in ("admin", "officer", "instructor", "caseworker")]
    secrets = [session_token, raw_token, token_row.token_hash, _session_row.token_hash]
    for user in users:
        secrets += [user.password_hash, user.username]
        secrets += [user.totp_secret] if user.totp_secret else []
    for secret in secrets:
        assert secret.encode() not in raw, secret
    assert _session_row.csrf_token.encode() not in raw


def test_pdf_is_in_russian_with_the_kazakh_name_intact(app, world):
    got = export(world["person"])
    lines = got["pdf_text"].splitlines()
    assert f"{KAZAKH_GIVEN} {KAZAKH_FAMILY}" in lines
    with force_locale("ru"):
        title, born = gettext("Your record in the programme"), gettext("Date of birth")
    assert born != "Date of birth"  # the catalogue has it: the check below means something
    assert title in lines and born in got["pdf_text"]
    assert "Hostel kitchen MINE" in got["pdf_text"] and "Dovetail joints" in got["pdf_text"]
    assert got["readme"].startswith(title)


def test_pdf_is_in_arabic_for_a_tunisian_without_a_preferred_language(make):
    facility = make.facility(country="TN", timezone="Africa/Tunis")
    person = make.participant(facility=facility, given_name=ARABIC_GIVEN, family_name=ARABIC_FAMILY)
    got = export(person)
    assert got["json"]["language"] == "ar"
    assert f"{ARABIC_GIVEN} {ARABIC_FAMILY}" in got["pdf_text"].splitlines()
    with force_locale("ar"):
        born = gettext("Date of birth")
    assert born != "Date of birth" and born in got["pdf_text"]


@pytest.mark.parametrize(
    ("country", "preferred", "expected"),
    [("KZ", None, "ru"), ("UG", None, "en"), ("KZ", "kk", "kk"), ("TN", "fr", "fr")],
)
def test_the_summary_language_follows_the_person_then_the_country(
    make, country, preferred, expected
):
    person = make.participant(facility=make.facility(country=country), preferred_language=preferred)
    assert subject_export.subject_locale(person) == expected


def test_export_is_audited_with_ids_and_the_subject_access_reason(world):
    person, admin = world["person"], world["admin"]
    subject_export.export_subject(person, admin.id)
    event = last_event()
    assert (event.action, event.entity, event.entity_ids) == (
        "participant.subject_export",
        "participant",
        [person.id],
    )
    assert (event.actor_id, event.reason_code, event.outcome) == (
        admin.id,
        "subject_access",
        "allowed",
    )
