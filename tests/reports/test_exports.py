"""GET /reports/export.csv: pseudonymised unless identified, scoped, filtered, audited, streamed."""

import contextvars
import csv
import datetime as dt
import hashlib
import hmac
import io
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from prog_tracker.certification.models import Certificate
from prog_tracker.extensions import db
from prog_tracker.reports.exports import csv_file, service
from prog_tracker.reports.exports.pseudonyms import Pseudonyms, encode
from prog_tracker.reports.filters import ReportFilters
from prog_tracker.workshops.models import Attendance
from tests.conftest import TEST_KEYS
from tests.partners.conftest import events_since, last_event_id

DATASETS = ("enrolments", "attendance", "certificates", "contacts", "outcomes")
TODAY = dt.date.today()
DAY = TODAY - dt.timedelta(days=30)  # when the world's records happened
OLD = TODAY - dt.timedelta(days=400)  # before the period asked for
PERIOD = f"from={(TODAY - dt.timedelta(days=90)).isoformat()}&to={TODAY.isoformat()}"
# Nothing of this may appear in a pseudonymised export.
SECRETS = (
    "Айгерим",
    "Сейткали",
    "KZ-0001",
    "Dana",
    "Ermek",
    "KZ-0002",
    "محمد",
    "TN-0001",
    "1990-05-17",
    "Late after a cell search",
    "Met at her sister's flat",
    "Abay street 10",
    "Works at the joinery",
    "Issued to the wrong person",
    "7Q2K-9XMD-4HT0-BV3R",
)


@dataclass
class World:
    """Kazakhstan (two people) and Tunisia (one): a record of every dataset for each."""

    kz: object
    tn: object
    kz_org: object
    tn_org: object
    welding: object
    tailoring: object
    aigerim: object
    dana: object
    mohamed: object
    kz_cohort: object
    tn_cohort: object
    admin: object
    kz_caseworker: object


def noon(day: dt.date) -> dt.datetime:
    """Noon UTC on day (the same date in Almaty and Tunis)."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def certificate(make, person, qualification, facility, issuer, **kwargs):
    """A certificate stored directly (issuing rules are tested elsewhere)."""
    return make._save(
        Certificate(
            participant_id=person.id,
            qualification_id=qualification.id,
            code=kwargs.pop("code", None) or f"CODE-{person.id[:8]}".upper(),
            issued_on=kwargs.pop("issued_on", DAY),
            issued_by_id=issuer.id,
            holder_name=f"{person.given_name} {person.family_name}",
            issuer_facility_id=facility.id,
            assessment_ids=[],
            **kwargs,
        )
    )


def attend(make, session, person, recorder, status="present", note=None):
    """An attendance record stored directly."""
    return make._save(
        Attendance(
            session_id=session.id,
            participant_id=person.id,
            status=status,
            note=note,
            recorded_by_id=recorder.id,
        )
    )


def build_world(make) -> World:
    """Every dataset's rows in KZ and TN, with names in Cyrillic, Latin and Arabic script."""
    kz = make.facility(country="KZ", name="Colony KZ-1", timezone="Asia/Almaty")
    tn = make.facility(country="TN", name="Prison de Tunis", timezone="Africa/Tunis")
    kz_org, tn_org = make.organisation(country="KZ"), make.organisation(country="TN")
    welding, tailoring = make.trade(name="Welding"), make.trade(name="Tailoring")
    admin = make.user("admin")
    people = {
        "aigerim": make.participant(
            kz,
            given_name="Айгерим",
            family_name="Сейткали",
            prison_number="KZ-0001",
            date_of_birth=dt.date(1990, 5, 17),
            sex="female",
        ),
        "dana": make.participant(
            kz, given_name="Dana", family_name="Ermek", prison_number="KZ-0002", sex="male"
        ),
        "mohamed": make.participant(
            tn, given_name="محمد", family_name="بن علي", prison_number="TN-0001", sex="male"
        ),
    }
    start = DAY - dt.timedelta(days=10)
    kz_cohort = make.cohort(kz, trade=welding, title="Welding spring", start_date=start)
    tn_cohort = make.cohort(tn, trade=tailoring, title="Couture", start_date=start)
    world = World(
        kz,
        tn,
        kz_org,
        tn_org,
        welding,
        tailoring,
        *people.values(),
        kz_cohort,
        tn_cohort,
        admin,
        make.user("caseworker", organisation=kz_org),
    )
    _workshops(make, world)
    _aftercare(make, world)
    return world


def _workshops(make, w: World) -> None:
    """Enrolments, a session with attendance, certificates (one revoked)."""
    for cohort, person in (
        (w.kz_cohort, w.aigerim),
        (w.kz_cohort, w.dana),
        (w.tn_cohort, w.mohamed),
    ):
        make.enrolment(cohort, person, enrolled_on=DAY)
        session = make.session(cohort, date=DAY)
        attend(make, session, person, w.admin, note="Late after a cell search")
    qualification = make.qualification(w.welding, title="Welder", level="2")
    tn_qualification = make.qualification(w.tailoring, title="Tailor", level="1")
    certificate(make, w.aigerim, qualification, w.kz, w.admin, code="7Q2K-9XMD-4HT0-BV3R")
    certificate(
        make,
        w.dana,
        qualification,
        w.kz,
        w.admin,
        status="revoked",
        revoked_on=DAY,
        revoked_reason="Issued to the wrong person",
    )
    certificate(make, w.mohamed, tn_qualification, w.tn, w.admin)


def _aftercare(make, w: World) -> None:
    """Referrals (accepted), contacts and outcomes in both countries."""
    tn_caseworker = make.user("caseworker", organisation=w.tn_org)
    for person, org, worker in (
        (w.aigerim, w.kz_org, w.kz_caseworker),
        (w.dana, w.kz_org, w.kz_caseworker),
        (w.mohamed, w.tn_org, tn_caseworker),
    ):
        make.referral(person, org, status="accepted")
        make.contact(
            person,
            worker,
            occurred_at=noon(DAY),
            summary="Met at her sister's flat",
            location="Abay street 10",
            needs=["=1+2", "housing"],
        )
        make.outcome(person, worker, observed_on=DAY, note="Works at the joinery")


@pytest.fixture
def world(make) -> World:
    """The export tests' world."""
    return build_world(make)


def rows_of(response) -> list[dict]:
    """A CSV response's rows as dicts (after the byte-order mark)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def export(api, dataset, query=PERIOD, **kwargs):
    """GET the CSV export of a dataset, read whole inside the request's own context.

    The tests' client opens each request in a context of its own; a streamed
    body read later from the test's context would pop the request's context
    from the wrong one (a real server reads it where it opened it).
    """
    kwargs.setdefault("buffered", True)
    return api.get(f"/reports/export.csv?dataset={dataset}&{query}", **kwargs)


def pseudonym_of(person) -> str:
    """The pseudonym worked out here from the definition: HMAC-SHA256 of the id under
    HMAC-SHA256(SECRET_KEY, label), its first 60 bits in Crockford's base32."""
    key = hmac.new(TEST_KEYS["SECRET_KEY"].encode(), b"prog-tracker export pseudonym v1", "sha256")
    digest = hmac.new(key.digest(), person.id.encode(), hashlib.sha256).digest()
    return encode(digest)


@pytest.mark.parametrize("dataset", DATASETS)
def test_pseudonymised_export_has_no_names_numbers_free_text_or_codes(api_as, world, dataset):
    response = export(api_as(world.admin), dataset)
    text = response.get_data(as_text=True)
    rows = rows_of(response)
    assert len(rows) == 3
    for secret in SECRETS:
        assert secret not in text, secret
    header = list(rows[0])
    assert header[:3] == ["person", "birth_year", "sex"]
    for column in ("participant_id", "prison_number", "given_name", "date_of_birth", "note"):
        assert column not in header
    aigerim = next(row for row in rows if row["person"] == pseudonym_of(world.aigerim))
    assert aigerim["birth_year"] == "1990"
    assert aigerim["sex"] == "female"
    assert aigerim["country"] == "KZ"


def test_pseudonyms_are_the_same_in_every_dataset_and_export(api_as, world):
    api = api_as(world.admin)
    seen = {}
    for dataset in (*DATASETS, "contacts"):
        for row in rows_of(export(api, dataset)):
            seen.setdefault(row["person"], set()).add(row["country"])
    expected = {pseudonym_of(p) for p in (world.aigerim, world.dana, world.mohamed)}
    assert set(seen) == expected
    assert len(expected) == 3
    # An identified export carries the same pseudonym, so the two can be joined.
    identified = rows_of(export(api, "outcomes", PERIOD + "&identified=true"))
    by_id = {row["participant_id"]: row["person"] for row in identified}
    assert by_id[world.dana.id] == pseudonym_of(world.dana)


def test_pseudonyms_depend_on_the_secret_key(app, world):
    with app.test_request_context():
        first = Pseudonyms("one secret key of enough length")(world.dana.id)
        other = Pseudonyms("another secret key of enough length")(world.dana.id)
        ours = Pseudonyms()(world.dana.id)
    assert first != other
    assert ours == pseudonym_of(world.dana)
    assert len(ours) == 14 and ours.count("-") == 2


def test_columns_of_each_dataset(api_as, world):
    api = api_as(world.admin)
    enrolment = rows_of(export(api, "enrolments"))[0]
    assert list(enrolment)[3:] == [
        "country",
        "facility",
        "trade",
        "cohort",
        "status",
        "status_reason",
        "waitlisted_on",
        "enrolled_on",
        "ended_on",
    ]
    assert enrolment["enrolled_on"] == DAY.isoformat()
    contact = next(row for row in rows_of(export(api, "contacts")) if row["country"] == "KZ")
    # Noon UTC is 17:00 or 16:00 in Almaty, shown with its offset.
    assert contact["occurred_at"].startswith(DAY.isoformat() + "T1")
    assert contact["occurred_at"][-6:] in ("+05:00", "+06:00")
    # A need the forms do not offer is free text: "other" unless identified, and defused.
    assert contact["needs"] == "other; housing"
    named = rows_of(export(api, "contacts", PERIOD + "&identified=true"))
    assert {row["needs"] for row in named} == {"'=1+2; housing"}
    outcome = rows_of(export(api, "outcomes"))[0]
    assert outcome["returned_to_custody"] == "false"
    certificates = rows_of(export(api, "certificates"))
    assert {row["status"] for row in certificates} == {"valid", "revoked"}
    revoked = next(row for row in certificates if row["status"] == "revoked")
    assert revoked["revoked_on"] == DAY.isoformat()
    assert revoked["qualification"] == "Welder" and revoked["level"] == "2"


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_identified_export_adds_identity_and_free_text_and_is_audited(api_as, make, world, role):
    user = make.user(role, country="KZ") if role == "supervisor" else world.admin
    api = api_as(user)
    start = last_event_id()
    response = export(
        api,
        "contacts",
        PERIOD + "&identified=true",
        headers={"X-Access-Reason": "case_review"},
    )
    rows = rows_of(response)
    text = response.get_data(as_text=True)
    for shown in ("Айгерим", "Сейткали", "KZ-0001", "1990-05-17", "Met at her sister's flat"):
        assert shown in text
    aigerim = next(row for row in rows if row["participant_id"] == world.aigerim.id)
    assert aigerim["location"] == "Abay street 10"
    assert aigerim["person"] == pseudonym_of(world.aigerim)
    events = events_since(start)
    assert [e.action for e in events] == ["report.export_identified"]
    expected = {world.aigerim.id, world.dana.id}
    if role == "admin":
        expected.add(world.mohamed.id)
    assert set(events[0].entity_ids) == expected
    assert events[0].entity == "participant"
    assert events[0].actor_id == user.id
    assert events[0].reason_code == "case_review"
    assert "identified" in response.headers["Content-Disposition"]


def test_pseudonymised_export_is_audited_with_the_ids_read(api_as, make, world):
    api = api_as(make.user("supervisor", country="KZ"))
    start = last_event_id()
    rows_of(export(api, "attendance"))
    events = events_since(start)
    assert [e.action for e in events] == ["report.export"]
    assert sorted(events[0].entity_ids) == sorted([world.aigerim.id, world.dana.id])
    assert events[0].outcome == "allowed"


@pytest.mark.parametrize("role", ["officer", "instructor", "caseworker"])
def test_other_roles_may_not_export(api_as, world, role):
    start = last_event_id()
    api = api_as(role)
    for query in (PERIOD, PERIOD + "&identified=true"):
        for path in ("export.csv", "export.xlsx"):
            response = api.get(f"/reports/{path}?dataset=contacts&{query}")
            assert response.status_code == 403
            assert response.get_json()["error"]["code"] == "forbidden"
    assert events_since(start, "report.export") == []


def test_anonymous_gets_401(client, world):
    response = client.get("/api/v1/reports/export.csv?dataset=contacts")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def test_text_that_a_spreadsheet_would_run_is_defused(api_as, make, world):
    make.participant(world.kz, given_name='=HYPERLINK("http://x")', family_name="@SUM(A1)")
    world.dana.given_name, world.dana.family_name = "-2+3", "+cmd"
    world.dana.other_names = "\tTabbed"
    db.session.commit()
    rows = rows_of(export(api_as(world.admin), "enrolments", PERIOD + "&identified=true"))
    dana = next(row for row in rows if row["participant_id"] == world.dana.id)
    assert dana["given_name"] == "'-2+3"
    assert dana["family_name"] == "'+cmd"
    assert dana["other_names"] == "'\tTabbed"
    assert service.defuse("=1+2") == "'=1+2"
    assert service.defuse("\r=1") == "'\r=1"
    assert service.defuse("@x") == "'@x"
    assert service.defuse("Aigerim - 1") == "Aigerim - 1"
    assert csv_file.csv_text(-3) == -3  # numbers stay numbers
    assert csv_file.csv_text(False) == "false"


def test_the_csv_is_streamed_in_chunks_after_the_audit(api_as, world, monkeypatch):
    monkeypatch.setattr(csv_file, "CHUNK_BYTES", 10)
    api = api_as(world.admin)
    start = last_event_id()
    # One context for the request and the reading of its body, as a server has.
    context = contextvars.Context()
    path = f"/api/v1/reports/export.csv?dataset=contacts&{PERIOD}"
    response = context.run(FlaskClient.open, api.client, path, buffered=False)
    assert response.is_streamed
    # The event is written before a single row is read out.
    assert len(events_since(start, "report.export")) == 1
    chunks = context.run(list, response.response)
    assert len(chunks) > 3
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "prog-tracker-contacts-" in disposition and disposition.endswith('.csv"')
    text = b"".join(chunks).decode("utf-8")
    assert text.count("\r\n") == 4
    context.run(response.close)


def test_rows_of_people_missing_from_the_audit_are_never_written(world):
    """The rows are read after the audited ids: someone who came into the export in
    between is left out rather than sent unaccounted for."""
    filters = ReportFilters(start=DAY, end=DAY)
    export = service.prepare_export(world.admin, filters, "outcomes", identified=True)
    header = export.header()
    rows = list(service.export_rows(export, frozenset({world.aigerim.id})))
    assert [row[header.index("participant_id")] for row in rows] == [world.aigerim.id]
    assert len(list(service.export_rows(export, frozenset(service.participant_ids(export))))) == 3


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_pseudonymised_export_never_reads_identity_or_free_text(world, dataset):
    def read(identified):
        export = service.prepare_export(world.admin, ReportFilters(DAY, DAY), dataset, identified)
        return {column.key for column in export.statement.selected_columns}

    never = {"prison_number", "given_name", "family_name", "other_names", "note", "summary"}
    never |= {"location", "certificate_code", "revoked_reason"}
    assert not read(False) & never
    assert {"prison_number", "given_name", "family_name"} <= read(True)
