"""The dashboard's pickers follow the country chosen, and a filter left over from
another country is dropped with a notice (the figures are shown for the rest); the
JSON API refuses the same mismatch with 422 naming the field (issue 20)."""

import datetime as dt
import html as html_lib
import re

import pytest

from tests.reports.world import PERIOD, build


@pytest.fixture
def world(make):
    """world.py's programme (A and B in Kazakhstan, C in Tunisia) and a Tunisian partner."""
    w = build(make)
    w.tunisian = make.organisation("TN", name="Tunis Reentry")
    w.pottery = make.trade(name="Pottery")
    make.cohort(w.c, trade=w.pottery, start_date=dt.date(2026, 1, 5))
    return w


def _options(html: str, name: str) -> list[str]:
    """The labels a <select name=…> offers, blank included."""
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    return [html_lib.unescape(label).strip() for label in re.findall(r">([^<]*)</option>", select)]


def _page(client, query: str) -> tuple[int, str]:
    response = client.get(f"/reports?{PERIOD}&{query}")
    return response.status_code, response.get_data(as_text=True)


def test_a_partner_of_another_country_is_dropped_with_a_notice(world, client, signin):
    signin(client, world.admin)
    status, html = _page(client, f"country=KZ&organisation_id={world.tunisian.id}")
    assert status == 200
    assert 'id="figure-completion_rate"' in html  # the figures are there
    notice = re.search(r'id="dropped-filters".*?</div>', html, re.S).group(0)
    assert (
        "Partner organisation: Tunis Reentry (Tunisia) is not in Kazakhstan."
        in html_lib.unescape(notice)
    )
    # Nothing left selected, and the exports carry only what was kept.
    assert f'value="{world.tunisian.id}"' not in html
    assert "organisation_id" not in "".join(re.findall(r'href="(/api/v1/reports/[^"]+)"', html))


def test_a_facility_and_a_trade_of_another_country_are_dropped_too(world, client, signin):
    signin(client, world.admin)
    query = f"country=KZ&facility_id={world.c.id}&trade_id={world.pottery.id}"
    status, html = _page(client, query)
    assert status == 200
    notice = html_lib.unescape(re.search(r'id="dropped-filters".*?</div>', html, re.S).group(0))
    assert f"Facility: {world.c.name} (Tunisia) is not in Kazakhstan." in notice
    assert "Trade: Pottery is not taught in Kazakhstan." in notice
    assert 'id="figure-completion_rate"' in html


def test_the_pickers_follow_the_country(world, client, signin):
    signin(client, world.admin)
    _, html = _page(client, "country=TN")
    assert _options(html, "facility_id")[1:] == [f"{world.c.name} (Tunisia)"]
    assert _options(html, "organisation_id")[1:] == ["Tunis Reentry (Tunisia)"]
    assert "Welding" in _options(html, "trade_id")  # p9's cohort at C
    assert "Tailoring" not in _options(html, "trade_id")
    _, html = _page(client, "country=KZ")
    assert f"{world.c.name} (Tunisia)" not in _options(html, "facility_id")
    assert "Tunis Reentry (Tunisia)" not in _options(html, "organisation_id")
    assert "Pottery" not in _options(html, "trade_id")
    _, html = _page(client, "")  # every country: everything
    assert "Tunis Reentry (Tunisia)" in _options(html, "organisation_id")
    assert "Pottery" in _options(html, "trade_id")
    assert 'id="dropped-filters"' not in html


def test_filters_of_the_country_are_kept_without_a_notice(world, client, signin):
    signin(client, world.admin)
    status, html = _page(client, f"country=KZ&organisation_id={world.partner.id}")
    assert status == 200
    assert 'id="dropped-filters"' not in html
    assert f'value="{world.partner.id}" selected' in html


def test_an_unknown_partner_is_dropped_with_a_notice(world, client, signin):
    signin(client, world.admin)
    status, html = _page(client, "organisation_id=00000000-0000-4000-8000-000000000000")
    assert status == 200
    assert "Partner organisation: Unknown organisation." in html
    assert 'id="figure-completion_rate"' in html


@pytest.mark.parametrize("field", ["organisation_id", "facility_id"])
def test_the_api_answers_a_mismatch_with_422_naming_the_field(world, api_as, field):
    other = {"organisation_id": world.tunisian.id, "facility_id": world.c.id}[field]
    response = api_as(world.admin).get(f"/reports/indicators?{PERIOD}&country=KZ&{field}={other}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]
    assert "is not in Kazakhstan" in error["fields"][field][0]


def test_the_api_keeps_a_trade_the_country_does_not_teach(world, api_as):
    # Trades are shared by every country: asking for one is a question, not a mismatch.
    query = f"{PERIOD}&country=KZ&trade_id={world.pottery.id}"
    response = api_as(world.admin).get(f"/reports/indicators?{query}")
    assert response.status_code == 200
    assert response.get_json()["enrolments_started"]["value"] == 0
