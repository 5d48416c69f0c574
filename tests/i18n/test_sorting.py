"""People's names listed in the reader's alphabetical order (SQL and Python alike)."""

import datetime as dt
import re

import pytest

from prog_tracker.core.collation import by_name, collation_name, name_key
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from tests.conftest import signin

# The Kazakh alphabet: а ә б в г ғ … к қ … у ұ ү … ы і …, small and capital together.
KAZAKH = [
    "Абаев",
    "абдуллаев",
    "Әлиев",
    "Бекова",
    "Гусейнов",
    "Ғабитов",
    "Кенжебаев",
    "Қасымов",
    "Усенов",
    "Ұзақов",
    "Үсенов",
    "Ыбыраев",
    "Ісмағұлов",
]
# The same names for a Russian reader: і beside и (before к), ү before ұ.
KAZAKH_FOR_RUSSIAN = [
    "Абаев",
    "абдуллаев",
    "Әлиев",
    "Бекова",
    "Гусейнов",
    "Ғабитов",
    "Ісмағұлов",
    "Кенжебаев",
    "Қасымов",
    "Усенов",
    "Үсенов",
    "Ұзақов",
    "Ыбыраев",
]
# Russian: ё sorts with е, small and capital letters together.
RUSSIAN = ["Абрамов", "агеев", "Ёлкин", "Ершов", "Жуков", "Шарипов", "Щукин", "Эйдельман"]
# French: é and è sort with e.
FRENCH = ["dubois", "Dupont", "Edgar", "élodie", "Émile", "Eric", "Ève", "Zoé"]
# Arabic readers see Arabic names first, in their alphabet; others see Latin first.
ARABIC = ["بكر", "ثامر", "عمر", "يوسف", "Ahmed", "Zara"]
ENGLISH = ["Ahmed", "Zara", "بكر", "ثامر", "عمر", "يوسف"]


def scrambled(names: list[str]) -> list[str]:
    """The names in an order far from sorted (odd places reversed, then the even)."""
    return names[1::2][::-1] + names[::2]


@pytest.fixture
def people_at(make):
    """people_at(families, locale) -> (officer reading in locale, {family: participant})."""

    def _make(families, locale):
        facility = make.facility()
        made = {
            family: make.participant(facility=facility, family_name=family, given_name="Test")
            for family in scrambled(families)
        }
        return make.user("officer", facility=facility, locale=locale), made

    return _make


def _api_families(api, path="/participants", **params) -> list[str]:
    """Every page of a participant list from the API, as family names."""
    names, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = api.get(path, query_string=query).get_json()
        names += [p["family_name"] for p in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            return names


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("kk", KAZAKH),
        ("ru", KAZAKH_FOR_RUSSIAN),
        ("ru", RUSSIAN),
        ("fr", FRENCH),
        ("ar", ARABIC),
        ("en", ENGLISH),
    ],
)
def test_participants_are_listed_in_the_readers_alphabet(people_at, api_as, locale, expected):
    officer, _made = people_at(expected, locale)
    assert _api_families(api_as(officer)) == expected


def test_the_page_lists_them_as_the_api_does(people_at, api_as, client):
    officer, made = people_at(KAZAKH, "kk")
    signin(client, officer)
    page = client.get("/participants").get_data(as_text=True)
    by_id = {person.id: family for family, person in made.items()}
    linked = re.findall(r'href="/participants/([^"/?]+)"', page)
    assert [by_id[pid] for pid in linked if pid in by_id] == KAZAKH
    assert _api_families(api_as(officer)) == KAZAKH


@pytest.mark.parametrize("limit", [1, 4, 5])
def test_pages_follow_one_order_without_gaps_or_repeats(people_at, make, api_as, limit):
    officer, _made = people_at(KAZAKH, "kk")
    # Namesakes: only the id tells them apart, still one total order.
    for _ in range(3):
        make.participant(facility=officer.facility, family_name="Қасымов", given_name="Test")
    paged = _api_families(api_as(officer), limit=limit)
    assert paged == _api_families(api_as(officer), limit=100)
    assert [name for name in paged if name != "Қасымов"] == [
        name for name in KAZAKH if name != "Қасымов"
    ]
    assert paged.count("Қасымов") == 4


def test_the_same_people_are_listed_per_reader(people_at, make, api_as):
    officer, _made = people_at(KAZAKH, "kk")
    reader = make.user("officer", facility=officer.facility, locale="ru")
    assert _api_families(api_as(officer)) == KAZAKH
    assert _api_families(api_as(reader)) == KAZAKH_FOR_RUSSIAN


def test_sql_and_python_sort_alike(people_at, app):
    _officer, made = people_at(KAZAKH, "kk")
    ids = [p.id for p in made.values()]
    for locale in ("kk", "ru", "fr", "ar", "sw", "en"):
        rows = db.session.scalars(
            db.select(Participant)
            .where(Participant.id.in_(ids))
            .order_by(by_name(Participant.family_name, locale), Participant.id)
        ).all()
        in_python = sorted(
            made.values(), key=lambda p, lo=locale: name_key(p.family_name, locale=lo)
        )
        assert [p.family_name for p in rows] == [p.family_name for p in in_python], locale


def test_names_outside_a_request_sort_in_english(app):
    with app.app_context():
        assert collation_name() == "en-x-icu"
    assert collation_name("kk") == "kk-x-icu"


def test_given_names_break_ties_in_the_readers_alphabet(make, api_as):
    facility = make.facility()
    for given in ("Ілияс", "Ержан", "Ыбырай"):
        make.participant(facility=facility, family_name="Сейткали", given_name=given)
    reader = make.user("officer", facility=facility, locale="kk")
    items = api_as(reader).get("/participants").get_json()["items"]
    assert [p["given_name"] for p in items] == ["Ержан", "Ыбырай", "Ілияс"]


# --- the caseload: after urgency, names in the reader's order ------------------------


def test_the_caseload_ties_are_broken_by_name_in_the_readers_alphabet(make, api_as):
    facility = make.facility(country="KZ", timezone="Asia/Almaty")
    me = make.user("caseworker", organisation=make.organisation())
    released_on = today_at(facility) - dt.timedelta(days=2)  # the same follow-up due for all
    for family in scrambled(KAZAKH):
        make.client_of(me, facility=facility, family_name=family, released_on=released_on)
    for locale, expected in (("kk", KAZAKH), ("ru", KAZAKH_FOR_RUSSIAN)):
        me.locale = locale
        db.session.commit()
        items = api_as(me).get("/caseload?limit=100").get_json()["items"]
        assert [row["participant"]["family_name"] for row in items] == expected, locale


# --- cohorts: the roll and the enrolment list ---------------------------------------


@pytest.fixture
def cohort_of_kazakh_names(make):
    """A cohort with everyone of KAZAKH enrolled, its instructor (Kazakh), a session today."""
    facility = make.facility()
    instructor = make.user("instructor", facility=facility, locale="kk")
    cohort = make.cohort(facility=facility, instructors=[instructor], capacity=20)
    made = {}
    for family in scrambled(KAZAKH):
        made[family] = make.participant(facility=facility, family_name=family)
        make.enrolment(cohort, made[family])
    return instructor, cohort, made, make.session(cohort)


def test_the_roll_lists_names_in_the_readers_alphabet(cohort_of_kazakh_names, client):
    instructor, _cohort, made, session = cohort_of_kazakh_names
    signin(client, instructor)
    page = client.get(f"/sessions/{session.id}/attendance").get_data(as_text=True)
    by_id = {person.id: family for family, person in made.items()}
    listed = list(dict.fromkeys(re.findall(r'name="status-([^"]+)"', page)))
    assert [by_id[pid] for pid in listed] == KAZAKH


def test_the_enrolment_list_follows_the_readers_alphabet(cohort_of_kazakh_names, api_as):
    instructor, cohort, made, _session = cohort_of_kazakh_names
    by_id = {person.id: family for family, person in made.items()}
    body = api_as(instructor).get(f"/cohorts/{cohort.id}/enrolments?limit=100").get_json()
    assert [by_id[e["participant_id"]] for e in body["items"]] == KAZAKH


# --- the directory and the catalogue: organisations, facilities, trades -----------


def _order_in(page: str, names: list[str]) -> list[str]:
    """The names as they appear in the page, top to bottom."""
    return sorted(names, key=page.index)


@pytest.mark.parametrize(("locale", "expected"), [("kk", KAZAKH), ("ru", KAZAKH_FOR_RUSSIAN)])
def test_directory_and_catalogue_lists_follow_the_readers_alphabet(make, client, locale, expected):
    admin = make.user("admin", locale=locale)
    for name in scrambled(KAZAKH):
        make.organisation(name=f"{name} NGO")
        make.facility(name=f"{name} Colony")
        make.trade(name=f"{name} Trade")
    signin(client, admin)
    for path, suffix in (
        ("/admin/organisations?limit=100", " NGO"),
        ("/admin/facilities?limit=100", " Colony"),
        ("/admin/trades?limit=100", " Trade"),
    ):
        page = client.get(path).get_data(as_text=True)
        listed = _order_in(page, [name + suffix for name in KAZAKH])
        assert listed == [name + suffix for name in expected], path
