"""The supervisors' dashboard page and the journey funnel behind it."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from prog_tracker.reports import filters as report_filters
from prog_tracker.reports.measures import funnel
from tests.pages import inline_script
from tests.reports.world import build, utc


@pytest.fixture
def world(make):
    """The hand-built programme of world.py, with p6 released after certification."""
    w = build(make)
    p6 = w.people[6]
    make.episode(p6, dt.date(2026, 1, 5), schedule=False)
    make.contact(p6, w.caseworker, occurred_at=utc(2026, 1, 8, 9))
    make.outcome(p6, w.caseworker, observed_on=dt.date(2026, 4, 5), employment="employed_formal")
    return w


def _funnels(w, query: dict):
    """The funnels per cohort title for the admin and the query."""
    chosen = report_filters.resolve(w.admin, query)
    titles = {c.id: c.title for c in _cohorts()}
    return {titles[f["cohort_id"]]: f["stages"] for f in funnel.cohort_funnels(chosen)}


def _cohorts():
    from prog_tracker.extensions import db
    from prog_tracker.workshops.models import Cohort

    return db.session.query(Cohort).all()


def test_funnel_narrows_stage_by_stage(world):
    funnels = _funnels(world, {"from": dt.date(2025, 1, 1), "to": dt.date(2026, 6, 30)})
    stages = [list(f.values()) for f in funnels.values()]
    # Welding at A (Dec 2025): p1 p2 p3 p4 p6 took part; p1 and p6 completed and were
    # certified; only p6 was released, contacted on day 3 and in work at 3 months.
    assert [5, 2, 2, 1, 1, 1, 0, 0] in stages
    # Tailoring at A: p1 (transferred), p7 (completed, no certificate), p8.
    assert [3, 1, 0, 0, 0, 0, 0, 0] in stages
    # Welding at C: p9 completed but the certificate was revoked.
    assert [1, 1, 0, 0, 0, 0, 0, 0] in stages
    assert len(stages) == 3
    assert (
        funnel.total([{"stages": dict(zip(funnel.STAGES, s, strict=True))} for s in stages])[
            "enrolled"
        ]
        == 9
    )


def test_funnel_counts_cohorts_that_started_in_the_period(world):
    funnels = _funnels(world, {"from": dt.date(2026, 1, 1), "to": dt.date(2026, 6, 30)})
    assert len(funnels) == 2  # the December welding cohort started before


def test_dashboard_shows_every_headline_and_accessible_charts(world, api_as, client, signin):
    signin(client, world.admin)
    response = client.get("/reports?from=2026-01-01&to=2026-06-30")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert 'id="figure-completion_rate"' in html
    assert "50%" in html  # completion 2 of 4
    svgs = [chunk.split("</svg>")[0] for chunk in html.split("<svg")[1:]]
    assert len(svgs) >= 2 + 1 + 4 + 3  # trends, funnel, facilities, trades
    for chunk in svgs:
        svg = ET.fromstring("<svg" + chunk + "</svg>")  # noqa: S314 - our own markup
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby")
    assert html.count("<table") >= len(svgs)
    assert not inline_script(html)


def test_dashboard_keeps_what_was_typed_when_it_is_wrong(world, client, signin):
    signin(client, world.admin)
    response = client.get("/reports?from=2026-07-01&to=2026-06-30")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="2026-07-01"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="figure-completion_rate"' not in html


def test_a_supervisor_sees_only_their_country_on_the_page(world, make, client, signin):
    supervisor = make.user("supervisor", country="TN")
    signin(client, supervisor)
    html = client.get("/reports?from=2026-01-01&to=2026-06-30").get_data(as_text=True)
    assert world.a.name not in html  # no Kazakh facility offered or compared
    assert world.c.name in html
    assert client.get("/reports?country=KZ").status_code == 403


def test_charts_follow_a_right_to_left_language(world, app):
    # The Arabic catalogue arrives with the languages issue; the direction follows the locale.
    from flask_babel import force_locale

    from prog_tracker.reports import dashboard

    chosen = report_filters.resolve(world.admin, {"from": dt.date(2025, 1, 1)})
    with app.test_request_context("/reports"), force_locale("ar"):
        built = dashboard.build(chosen)
    assert 'direction="rtl"' in str(built["funnel"]["figure"]["svg"])
    assert 'direction="rtl"' in str(built["trends"][0]["svg"])


def test_months_between():
    assert funnel.months_between(dt.date(2025, 11, 30), dt.date(2026, 2, 1)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
