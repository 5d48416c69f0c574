"""Dates, times, numbers and percentages as each language writes them on the pages."""

import datetime as dt
import re

import pytest
from babel.numbers import format_percent
from flask_babel import force_locale

from prog_tracker.core import i18n
from prog_tracker.extensions import db
from prog_tracker.participants.models import ReleaseDateChange
from tests.conftest import signin
from tests.reports.world import build

NOV_29 = dt.date(2026, 11, 29)
# 29 November 2026 as each language writes it (Babel's CLDR "medium" dates).
DAY = {
    "en": "Nov 29, 2026",
    "fr": "29 nov. 2026",
    "ar": "29\u200f/11\u200f/2026",
    "ru": "29 нояб. 2026\u202fг.",
    "kk": "2026\u202fж. 29 қар.",
    "sw": "29 Nov 2026",
}


@pytest.fixture
def page_in(app):
    """page_in(locale): a request context whose page language is locale."""

    def _in(locale):
        context = app.test_request_context("/")
        context.push()
        forced = force_locale(locale)
        forced.__enter__()
        return context, forced

    opened = []
    yield lambda locale: opened.append(_in(locale))
    for context, forced in reversed(opened):
        forced.__exit__(None, None, None)
        context.pop()


@pytest.mark.parametrize("locale", list(DAY))
def test_a_date_in_each_language(page_in, locale):
    page_in(locale)
    assert i18n.format_day(NOV_29) == DAY[locale]
    assert i18n.format_day("2026-11-29") == DAY[locale]
    assert i18n.format_day(None) == "—"
    assert i18n.format_day("31/02/2026") == "31/02/2026"  # typed text, shown as typed


def test_dates_on_pages_keep_the_iso_value_for_machines(page_in):
    page_in("ru")
    assert str(i18n.day_element(NOV_29)) == f'<time datetime="2026-11-29">{DAY["ru"]}</time>'
    assert i18n.day_element(None) == "—"


def test_a_moment_on_the_facilitys_clock(page_in, make):
    kampala = make.facility(country="UG", timezone="Africa/Kampala")  # UTC+3 all year
    late = dt.datetime(2026, 11, 29, 22, 30, tzinfo=dt.UTC)  # already the 30th there
    page_in("fr")
    assert i18n.format_local_datetime(late, kampala) == "30 nov. 2026, 01:30"
    assert i18n.format_local_date(late, kampala) == "30 nov. 2026"
    element = str(i18n.local_datetime_element(late, kampala))
    assert element == '<time datetime="2026-11-30T01:30+03:00">30 nov. 2026, 01:30</time>'
    page_in("en")
    assert i18n.format_local_datetime(late, kampala) == "Nov 30, 2026, 1:30\u202fAM"
    page_in("ar")
    assert i18n.format_local_datetime(late, kampala).startswith("30\u200f/11\u200f/2026، ")
    assert i18n.format_local_datetime(None, kampala) == "—"


@pytest.mark.parametrize(
    ("locale", "count", "share"),
    [
        ("en", "12,345.6", "42%"),
        ("fr", "12\u202f345,6", "42\u00a0%"),
        ("ru", "12\u00a0345,6", "42\u00a0%"),
        ("ar", "12,345.6", "42%"),
        ("kk", "12\u00a0345,6", "42%"),
    ],
)
def test_numbers_and_percentages_in_each_language(page_in, locale, count, share):
    page_in(locale)
    assert i18n.format_count(12345.6) == count
    assert i18n.format_share(0.42) == share
    assert i18n.format_count(None) == i18n.format_share(None) == "—"


# On real pages


def _text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("locale", ["fr", "ar", "ru"])
def test_the_participant_page_writes_dates_in_the_page_language(client, make, locale):
    facility = make.facility(country="KZ", timezone="Asia/Almaty")
    person = make.participant(facility=facility, expected_release_date=NOV_29)
    officer = make.user("officer", facility=facility, locale=locale)
    changed = dt.datetime(2026, 3, 2, 4, 5, tzinfo=dt.UTC)
    change = ReleaseDateChange(
        participant_id=person.id, new_date=NOV_29, changed_by_id=officer.id, changed_at=changed
    )
    db.session.add(change)
    db.session.commit()
    signin(client, officer)
    page = _text(client.get(f"/participants/{person.id}"))
    assert f'<time datetime="2026-11-29">{DAY[locale]}</time>' in page
    assert "2026-11-29<" not in page  # never the raw ISO date as text
    # The history's column says UTC: the change is shown on the UTC clock.
    assert '<time datetime="2026-03-02T04:05+00:00">' in page


def test_the_same_date_differs_between_languages_on_a_page(client, make):
    facility = make.facility(country="KZ")
    person = make.participant(facility=facility, expected_release_date=NOV_29)
    user = make.user("officer", facility=facility, locale=None)  # the browser's language
    signin(client, user)
    shown = {}
    for locale in ("fr", "ar", "ru"):
        page = _text(client.get(f"/participants/{person.id}", headers={"Accept-Language": locale}))
        shown[locale] = re.search(r'<time datetime="2026-11-29">([^<]*)</time>', page).group(1)
    assert shown == {"fr": "29 nov. 2026", "ar": DAY["ar"], "ru": DAY["ru"]}


def _dashboard(client, locale) -> str:
    return _text(
        client.get("/reports?from=2026-01-01&to=2026-06-30", headers={"Accept-Language": locale})
    )


@pytest.mark.parametrize(
    ("locale", "start", "end"),
    [
        ("fr", "1 janv. 2026", "30 juin 2026"),
        ("ar", "01\u200f/01\u200f/2026", "30\u200f/06\u200f/2026"),
        ("ru", "1 янв. 2026\u202fг.", "30 июн. 2026\u202fг."),
    ],
)
def test_the_dashboard_period_is_written_in_the_page_language(client, make, locale, start, end):
    world = build(make)
    world.admin.locale = None  # the browser's language
    signin(client, world.admin)
    page = _dashboard(client, locale)
    assert f'<time datetime="2026-01-01">{start}</time>' in page
    assert f'<time datetime="2026-06-30">{end}</time>' in page


@pytest.mark.parametrize("locale", ["fr", "ru"])
def test_the_dashboard_percentages_follow_the_page_language(client, make, locale):
    world = build(make)
    world.admin.locale = None  # the browser's language
    signin(client, world.admin)
    page = _dashboard(client, locale)
    card = page[page.index('id="figure-completion_rate"') :]
    value = re.search(r'class="report-card-value">([^<]*)<', card).group(1)
    assert value == format_percent(0.5, locale=locale)
