"""Search finds Kazakh names typed with Kazakh letters in any case, on a Russian
keyboard (the look-alike letters) or in Latin letters."""

import pytest

from prog_tracker.core.models import utcnow
from prog_tracker.core.text import fold, search_blob
from prog_tracker.extensions import db
from prog_tracker.participants.services import refresh_search_text_everywhere
from tests.conftest import signin

# Each Kazakh letter, its capital, and the Russian letter typed in its place.
KAZAKH_LETTERS = [
    ("ә", "Ә", "а"),
    ("ғ", "Ғ", "г"),
    ("қ", "Қ", "к"),
    ("ң", "Ң", "н"),
    ("ө", "Ө", "о"),
    ("ұ", "Ұ", "у"),
    ("ү", "Ү", "у"),
    ("һ", "Һ", "х"),
    ("і", "І", "и"),
]


@pytest.mark.parametrize(("small", "capital", "russian"), KAZAKH_LETTERS)
def test_capital_kazakh_letters_fold_as_small_ones(small, capital, russian):
    assert fold(capital) == fold(small)
    assert fold(f"{capital}ЛАН") == fold(f"{small}лан")
    if small != "һ":  # һ folds to its Latin "h"; the stored text also keeps "kh" (below)
        assert fold(small) == fold(russian)


def test_a_name_with_h_is_found_as_typed_on_either_keyboard():
    stored = search_blob("Шаһизада", "Ахметова")
    for typed in ("Шаһизада", "ШАҺИЗАДА", "Шахизада", "Shahizada", "Shakhizada"):
        assert fold(typed) in stored, typed


def test_cyrillic_letters_with_marks_fold_to_their_base_letter():
    # Not Kazakh, but typed in the same names (Tatar, Ukrainian spellings).
    assert fold("Ӧмір") == fold("Өмір") == "omir"
    assert fold("Їжак") == fold("Іжак")


def test_stored_text_of_plain_names_is_unchanged():
    # participants.search_text is stored: names without һ keep the text they had.
    assert search_blob("Нурлан", "Сейткали", "KZ-777") == (
        "нурлан сейткали kz-777 | nurlan seitkali kz-777"
    )


@pytest.fixture
def kazakh_people(make):
    """Four people with Kazakh names at one facility, and an officer there."""
    facility = make.facility(country="KZ")
    names = {
        "aliia": ("Әлия", "Нұрланова"),
        "kairat": ("Қайрат", "Ұланов"),
        "inkar": ("Іңкәр", "Үмбетова"),
        "galym": ("Ғалым", "Өмірзақов"),
    }
    made = {
        key: make.participant(facility=facility, given_name=given, family_name=family)
        for key, (given, family) in names.items()
    }
    return make.user("officer", facility=facility), made


QUERIES = [
    # Kazakh letters, in any case.
    ("ӘЛИЯ", "aliia"),
    ("әлия", "aliia"),
    ("Әлия", "aliia"),
    ("Қайрат", "kairat"),
    ("ҚАЙРАТ", "kairat"),
    ("ұлан", "kairat"),
    ("ҰЛАНОВ", "kairat"),
    ("Іңкәр", "inkar"),
    ("іңкәр", "inkar"),
    ("ІҢКӘР", "inkar"),
    ("Ғалым", "galym"),
    ("өмірзақов", "galym"),
    ("Нұрлан", "aliia"),
    # The Russian look-alikes, as typed on a Russian keyboard.
    ("алия", "aliia"),
    ("АЛИЯ", "aliia"),
    ("кайрат", "kairat"),
    ("уланов", "kairat"),
    ("инкар", "inkar"),
    ("умбетова", "inkar"),
    ("галым", "galym"),
    ("омирзаков", "galym"),
    ("нурланова", "aliia"),
    # Latin letters.
    ("Nurlanova", "aliia"),
    ("kairat", "kairat"),
    ("Inkar", "inkar"),
    ("GALYM", "galym"),
]


@pytest.mark.parametrize(("query", "key"), QUERIES)
def test_the_api_finds_kazakh_names_however_typed(kazakh_people, api_as, query, key):
    officer, made = kazakh_people
    response = api_as(officer).get("/participants", query_string={"q": query})
    assert response.status_code == 200, response.get_json()
    assert [p["id"] for p in response.get_json()["items"]] == [made[key].id], query


@pytest.mark.parametrize("query", ["ӘЛИЯ", "алия", "Nurlanova"])
def test_the_search_page_finds_them_too(kazakh_people, client, query):
    officer, made = kazakh_people
    signin(client, officer)
    page = client.get("/participants", query_string={"q": query}).get_data(as_text=True)
    assert f"/participants/{made['aliia'].id}" in page
    assert f"/participants/{made['kairat'].id}" not in page


def test_enrolment_candidates_are_found_by_russian_look_alikes(kazakh_people, make, api_as):
    officer, made = kazakh_people
    cohort = make.cohort(facility=officer.facility)
    response = api_as(officer).get(f"/cohorts/{cohort.id}/candidates", query_string={"q": "кайрат"})
    assert response.status_code == 200, response.get_json()
    assert [p["id"] for p in response.get_json()["items"]] == [made["kairat"].id]


def test_stored_text_folded_by_older_rules_is_recomputed(make, app):
    # Text stored before һ and ї were folded: the migration recomputes it by today's rules.
    facility = make.facility(country="KZ")
    stale = make.participant(facility=facility, given_name="Шаһизада", family_name="Їжак")
    fresh = make.participant(facility=facility, given_name="Нурлан", family_name="Сейткали")
    stale.search_text = "шаһизада їжак"
    # Anonymised by retention: found by nothing, and the refresh leaves it so.
    gone = make.participant(facility=facility, given_name="", family_name="")
    gone.anonymised_at, gone.search_text = utcnow(), ""
    db.session.commit()
    # Names only: prison numbers are folded into a column of their own (migration 0013).
    expected = search_blob(stale.given_name, stale.family_name, None)
    assert refresh_search_text_everywhere(db.session.connection(), batch=1) == 1
    db.session.expire_all()
    assert stale.search_text == expected
    assert fold("Shakhizada") in stale.search_text
    assert fresh.search_text == search_blob("Нурлан", "Сейткали", None)
    assert gone.search_text == ""
    assert refresh_search_text_everywhere(db.session.connection()) == 0
