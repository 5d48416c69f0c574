"""Retention keeps every SPEC §7 indicator and every pseudonymised export as it was.

The programme is the hand-built one of tests/reports/world.py (whose figures
test_indicators checks by hand), with free text added; retention runs as of
1 January 2040, when every closed case there is past both periods.
"""

import datetime as dt

import pytest
from sqlalchemy import select

from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Referral
from prog_tracker.privacy.retention import apply_retention
from prog_tracker.reports.schemas import DATASETS
from tests.reports.world import PERIOD, build

RUN_DAY = dt.date(2040, 1, 1)
QUERIES = ("", "&breakdown=sex", "&country=KZ", "&country=TN", "&trade_id={welding}")


@pytest.fixture
def programme(make):
    """tests/reports/world with notes on its contacts and outcomes, its referrals closed."""
    w = build(make)
    for contact in db.session.scalars(select(Contact)):
        contact.summary, contact.location, contact.needs = "talked at home", "Almaty", ["work"]
    for outcome in db.session.scalars(select(Outcome)):
        outcome.note = "a note"
    # Closed referrals count as accepted ones in the indicators, and close the cases.
    for referral in db.session.scalars(select(Referral)):
        referral.status, referral.reason = "closed", "a reason"
    db.session.commit()
    return w


def _figures(api, world) -> dict:
    """Every indicator under each filter and breakdown."""
    found = {}
    for query in QUERIES:
        response = api.get(f"/reports/indicators?{PERIOD}{query.format(welding=world.welding.id)}")
        assert response.status_code == 200, response.get_json()
        found[query] = response.get_json()
    return found


def _exports(api) -> dict:
    """Each pseudonymised dataset's rows (the row order is the database's: sorted here)."""
    found = {}
    for dataset in DATASETS:
        response = api.get(f"/reports/export.csv?dataset={dataset}&{PERIOD}", buffered=True)
        assert response.status_code == 200
        lines = response.get_data(as_text=True).splitlines()
        found[dataset] = (lines[0], sorted(lines[1:]))
    return found


def test_indicators_and_pseudonymised_exports_are_the_same_after_retention(programme, api_as):
    api = api_as(programme.admin)
    figures, exports = _figures(api, programme), _exports(api)
    report = apply_retention(RUN_DAY)
    # p3, p10, p11 and p12 are out with closed cases; p13 is back inside.
    anonymised = db.session.scalars(
        select(Participant.id).where(Participant.anonymised_at.is_not(None))
    )
    assert set(anonymised) == {programme.people[n].id for n in (3, 10, 11, 12)}
    assert report.counts[("case_notes", "contact")] == 7
    # As of 2040 the admin's sign-in session ended long ago: retention deleted it.
    assert report.counts[("sessions", "auth_session")] == 1
    api = api_as(programme.admin)
    assert _figures(api, programme) == figures
    assert _exports(api) == exports
    assert sum(len(rows) for _header, rows in exports.values()) > 0
