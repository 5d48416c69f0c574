"""The definitions page in the reader's language, and the words of the report period
(issue 20): "From"/"To" served both the period and a release-date change, so the
period read "Previous date/New date" in ar, ru and fr; each meaning has its context."""

import re

import pytest

from prog_tracker.reports.labels import DEFINITIONS, INDICATORS
from prog_tracker.reports.measures.definitions import KEYS
from tests.pages import inline_script
from tests.reports.world import PERIOD, build

LOCALES = ("en", "fr", "ar", "ru", "kk", "sw")
TITLE = "How the figures are counted"
# The period's words, per language; the release-date change's "previous/new date".
PERIOD_WORDS = {
    "fr": ("Du", "Au"),
    "ar": ("من", "إلى"),
    "ru": ("С", "По"),
}
CHANGE_WORDS = {
    "fr": ("Ancienne date", "Nouvelle date"),
    "ar": ("التاريخ السابق", "التاريخ الجديد"),
    "ru": ("Прежняя дата", "Новая дата"),
}


@pytest.fixture
def world(make):
    return build(make)


def _label(html: str, field: str) -> str:
    """The text of the <label> of an input."""
    return re.search(rf'<label for="f-{field}">([^<]*)', html).group(1).strip()


@pytest.mark.parametrize("locale", sorted(PERIOD_WORDS))
def test_the_report_period_reads_from_and_to_not_previous_and_new_date(
    world, make, client, signin, locale
):
    signin(client, make.user("admin", locale=locale))
    html = client.get(f"/reports?{PERIOD}").get_data(as_text=True)
    assert (_label(html, "from"), _label(html, "to")) == PERIOD_WORDS[locale]
    for word in CHANGE_WORDS[locale]:
        assert word not in html


@pytest.mark.parametrize("locale", sorted(CHANGE_WORDS))
def test_a_release_date_change_still_reads_previous_and_new_date(
    make, api_as, client, signin, locale
):
    facility = make.facility()
    officer = make.user("officer", facility=facility, locale=locale)
    person = make.participant(facility=facility, expected_release_date=None)
    api = api_as(officer)
    api.patch(f"/participants/{person.id}", json={"expected_release_date": "2027-03-01"})
    changed = api.patch(
        f"/participants/{person.id}",
        json={"expected_release_date": "2027-05-01", "reason": "Court decision"},
    )
    assert changed.status_code == 200, changed.get_json()
    signin(client, officer)
    html = client.get(f"/participants/{person.id}").get_data(as_text=True)
    headers = re.findall(r'<th scope="col">([^<]*)</th>', html)
    previous, new = CHANGE_WORDS[locale]
    assert headers.index(new) == headers.index(previous) + 1


@pytest.mark.parametrize("locale", LOCALES)
def test_the_definitions_page_speaks_the_readers_language(world, make, client, signin, locale):
    signin(client, make.user("admin", locale=locale))
    response = client.get("/reports/definitions")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert not inline_script(html)
    heading = re.search(r"<h1>([^<]*)</h1>", html).group(1).strip()
    assert (heading == TITLE) == (locale == "en")
    for key in KEYS:
        assert f'id="{key}"' in html
    if locale != "en":
        assert "Of the releases in the period" not in html


def test_the_definitions_page_defines_every_indicator(world, client, signin):
    signin(client, world.admin)
    html = client.get("/reports/definitions").get_data(as_text=True)
    for key in KEYS:
        assert str(INDICATORS[key]) in html
        assert str(DEFINITIONS[key]).replace("'", "&#39;") in html
    assert "fewer than 5 people" in html and "100 %" in html


def test_the_dashboard_links_the_definitions_not_the_source(world, client, signin):
    signin(client, world.admin)
    html = client.get(f"/reports?{PERIOD}").get_data(as_text=True)
    assert 'href="/reports/definitions"' in html
    assert "docs/indicators.md" not in html


@pytest.mark.parametrize("role", ["officer", "instructor", "caseworker"])
def test_the_definitions_page_is_for_report_readers(client, signin, make, role):
    signin(client, make.user(role))
    assert client.get("/reports/definitions").status_code == 403
