"""GET /reports/export.csv: the country scope and the period, facility, trade and
organisation filters (the same rules as the indicators, `reports.scope`); bad input."""

import datetime as dt

import pytest
from sqlalchemy import select

from prog_tracker.aftercare.models import Contact
from prog_tracker.extensions import db
from tests.reports.test_exports import (
    DATASETS,
    DAY,
    OLD,
    PERIOD,
    TODAY,
    build_world,
    export,
    noon,
    pseudonym_of,
    rows_of,
)


@pytest.fixture(name="world")
def world_fixture(make):
    """The export tests' world (tests/reports/test_exports.py)."""
    return build_world(make)


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_country_supervisor_never_gets_another_countrys_rows(api_as, make, world, dataset):
    api = api_as(make.user("supervisor", country="KZ"))
    rows = rows_of(export(api, dataset, PERIOD + "&identified=true"))
    assert {row["country"] for row in rows} == {"KZ"}
    assert world.mohamed.id not in {row["participant_id"] for row in rows}
    asked = export(api, dataset, PERIOD + "&country=TN")
    assert asked.status_code == 403
    facility = export(api, dataset, f"{PERIOD}&facility_id={world.tn.id}")
    assert facility.status_code == 422
    organisation = export(api, dataset, f"{PERIOD}&organisation_id={world.tn_org.id}")
    assert organisation.status_code == 422


def test_a_person_transferred_abroad_leaves_a_country_supervisors_export(api_as, make, world):
    """Least privilege: the KZ cohort's rows of someone now held in TN are left out."""
    world.dana.facility_id = world.tn.id
    db.session.commit()
    api = api_as(make.user("supervisor", country="KZ"))
    rows = rows_of(export(api, "enrolments", PERIOD + "&identified=true"))
    assert [row["participant_id"] for row in rows] == [world.aigerim.id]


def test_the_period_filter(api_as, make, world):
    make.outcome(world.dana, world.kz_caseworker, observed_on=OLD)
    make.contact(world.dana, world.kz_caseworker, occurred_at=noon(OLD))
    api = api_as(world.admin)
    for dataset in ("outcomes", "contacts"):
        assert len(rows_of(export(api, dataset))) == 3
        old = rows_of(export(api, dataset, f"from={OLD.isoformat()}&to={OLD.isoformat()}"))
        assert [row["person"] for row in old] == [pseudonym_of(world.dana)]
    day = rows_of(export(api, "attendance", f"from={DAY.isoformat()}&to={DAY.isoformat()}"))
    assert len(day) == 3
    after = DAY + dt.timedelta(days=1)
    assert rows_of(export(api, "attendance", f"from={after.isoformat()}")) == []


def test_a_contact_counts_on_its_local_day(api_as, world):
    """22:00 UTC is already the next day in Almaty (UTC+5): the period follows the facility."""
    late = dt.datetime.combine(OLD, dt.time(22), tzinfo=dt.UTC)
    record = db.session.scalar(select(Contact).where(Contact.participant_id == world.dana.id))
    record.occurred_at = late
    db.session.commit()
    api = api_as(world.admin)
    next_day = OLD + dt.timedelta(days=1)
    on_old = rows_of(export(api, "contacts", f"from={OLD.isoformat()}&to={OLD.isoformat()}"))
    on_next = rows_of(
        export(api, "contacts", f"from={next_day.isoformat()}&to={next_day.isoformat()}")
    )
    assert on_old == []
    assert [row["person"] for row in on_next] == [pseudonym_of(world.dana)]
    assert on_next[0]["occurred_at"].startswith(next_day.isoformat())


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_facility_trade_and_organisation_filters(api_as, world, dataset):
    api = api_as(world.admin)
    kz_people = {pseudonym_of(world.aigerim), pseudonym_of(world.dana)}
    tn_people = {pseudonym_of(world.mohamed)}
    cases = (
        (f"facility_id={world.kz.id}", kz_people),
        (f"facility_id={world.tn.id}", tn_people),
        (f"trade_id={world.tailoring.id}", tn_people),
        (f"organisation_id={world.kz_org.id}", kz_people),
        ("country=tn", tn_people),
    )
    for query, expected in cases:
        rows = rows_of(export(api, dataset, f"{PERIOD}&{query}"))
        assert {row["person"] for row in rows} == expected, query


def test_an_organisation_sees_only_the_contacts_it_recorded(api_as, make, world):
    """Organisation filter: another NGO's contact with a person we accepted is left out."""
    other = make.user("caseworker", organisation=make.organisation())
    make.contact(world.dana, other, occurred_at=noon(DAY))
    api = api_as(world.admin)
    everyone = rows_of(export(api, "contacts"))
    assert len(everyone) == 4
    ours = rows_of(export(api, "contacts", f"{PERIOD}&organisation_id={world.kz_org.id}"))
    assert len(ours) == 2


def test_waitlisted_enrolments_count_from_the_day_they_joined_the_queue(api_as, make, world):
    make.enrolment(world.kz_cohort, make.participant(world.kz), status="waitlisted")
    # The period ends tomorrow: the facility's day may already be tomorrow in UTC terms.
    period = f"from={TODAY.isoformat()}&to={(TODAY + dt.timedelta(1)).isoformat()}"
    rows = rows_of(export(api_as(world.admin), "enrolments", period))
    waiting = [row for row in rows if row["status"] == "waitlisted"]
    assert len(waiting) == 1
    assert waiting[0]["enrolled_on"] == ""
    assert waiting[0]["waitlisted_on"] in (TODAY.isoformat(), (TODAY + dt.timedelta(1)).isoformat())


@pytest.mark.parametrize(
    "query, field",
    [
        ("dataset=people", "dataset"),
        ("", "dataset"),
        ("dataset=contacts&from=2025-02-01&to=2025-01-01", "from"),
        ("dataset=contacts&facility_id=00000000-0000-4000-8000-000000000000", "facility_id"),
        ("dataset=contacts&trade_id=nope", "trade_id"),
        ("dataset=contacts&identified=perhaps", "identified"),
    ],
)
def test_bad_input_answers_422(api_as, world, query, field):
    api = api_as(world.admin)
    for path in ("export.csv", "export.xlsx"):
        response = api.get(f"/reports/{path}?{query}", buffered=True)
        assert response.status_code == 422
        error = response.get_json()["error"]
        assert error["code"] == "validation_error"
        assert field in error["fields"]


def test_far_dates_answer_without_error(api_as, world):
    api = api_as(world.admin)
    for query in ("from=0001-01-01&to=0001-12-31", "from=9999-01-01&to=9999-12-31"):
        for dataset in ("contacts", "enrolments"):
            assert rows_of(export(api, dataset, query)) == []
