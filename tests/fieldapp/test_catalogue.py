"""The app catalogue's dates: Babel's CLDR data, the same the server pages write dates with."""

import pytest
from babel import Locale

from prog_tracker.core.i18n import LOCALES


@pytest.mark.parametrize("locale", LOCALES)
def test_each_catalogue_carries_the_date_patterns_and_names_of_the_server_pages(client, locale):
    dates = client.get(f"/app/i18n/{locale}.json").get_json()["dates"]
    cldr = Locale.parse(locale)
    assert dates["date"] == cldr.date_formats["medium"].pattern  # core.i18n.format_day
    assert dates["time"] == cldr.time_formats["short"].pattern
    assert dates["datetime"] == cldr.datetime_formats["medium"]
    for width in ("abbreviated", "wide"):
        assert dates["months"][width] == [cldr.months["format"][width][m] for m in range(1, 13)]
        # JavaScript's getDay() counts from Sunday, Babel from Monday.
        assert dates["days"][width][0] == cldr.days["format"][width][6]
        assert dates["days"][width][1:] == [cldr.days["format"][width][d] for d in range(6)]
    assert len(dates["periods"]) == 2


def test_kazakh_month_names_are_there_for_the_app(client):
    dates = client.get("/app/i18n/kk.json").get_json()["dates"]
    assert dates["months"]["abbreviated"][11] == "жел."
    assert dates["months"]["wide"][0] == "қаңтар"
