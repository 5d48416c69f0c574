"""Demo and scale names for Uganda: the African name is the family name, written first in
registers ("Okello, Joseph"); the first name is the given name (issue 20)."""

from types import SimpleNamespace

from prog_tracker.participants.names import person_name, sorted_name
from prog_tracker.seed.demo import NAMES
from prog_tracker.seed.demo.aftercare_data import PEOPLE
from prog_tracker.seed.scale.names import UG_LATIN

SCALE_FAMILY = {name for pair in UG_LATIN["family"] for name in pair}
DEMO = [(given, family) for given, family, *_ in (*NAMES["ug"], *PEOPLE["ug"])]
FAMILY = SCALE_FAMILY | {family for _, family in DEMO}


def test_the_demo_people_have_first_names_as_given_names():
    given = {g for g, _ in DEMO}
    assert not given & FAMILY, sorted(given & FAMILY)
    assert ("Joseph", "Okello") in DEMO and ("Patrick", "Ochieng") in DEMO


def test_the_scale_pools_keep_given_and_family_names_apart():
    given = set(UG_LATIN["male"]) | set(UG_LATIN["female"])
    assert not given & SCALE_FAMILY, sorted(given & SCALE_FAMILY)


def test_a_register_lists_the_surname_first():
    person = SimpleNamespace(given_name=DEMO[0][0], family_name=DEMO[0][1])
    assert sorted_name(person) == "Okello, Joseph"
    assert person_name(person) == "Joseph Okello"
