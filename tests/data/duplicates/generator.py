"""Write the labelled pairs of the duplicates evaluation set: tests/data/duplicates/pairs.jsonl.

    .venv/bin/python -m tests.data.duplicates.generator [--seed 22] [--per-country 800]

Seeded and offline: the same seed writes the same file. Each line is one pair,
{"id", "kind", "duplicate", "a": {...}, "b": {...}}, where a and b hold the
fields of the participant create schema (given_name, family_name, other_names,
date_of_birth, sex, prison_number, facility_id).

True duplicates are one person written twice by the transformations registers
show (1 to 3 of them at once): Cyrillic <-> Latin (passport, BGN, 2021 Kazakh
Latin, French-style spellings), Kazakh letters typed on a Russian keyboard,
Arabic <-> French transliterations (with and without ben/el/ould), given and
family names swapped (Uganda), a patronymic or other name dropped or added,
spelling variants, typos, day and month swapped, a missing date of birth.
Hard non-duplicates are relatives and namesakes: siblings (same family name,
birth dates 1 to 8 years apart, another given name), namesakes born in other
years, fathers and sons (the son's patronymic or "ben" is the father's name).

The romanisation tables here are written apart from the matcher's
(prog_tracker/participants/matching), so the set does not merely echo it.
"""

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path

from tests.data.duplicates import pools

HERE = Path(__file__).parent
# Romanisations of Cyrillic as registers write them (letters not listed stay as ICAO's).
ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip
BGN = {**ICAO, "й": "y", "ю": "yu", "я": "ya", "ё": "yo", "ъ": "", "ь": "'"}
KZ2021 = {
    **ICAO, "ә": "ä", "ғ": "ğ", "қ": "q", "ң": "ñ", "ө": "ö", "ұ": "ū", "ү": "ü", "х": "h",
    "і": "ı", "и": "i", "й": "i", "ы": "y", "ш": "ş", "ч": "ç", "ж": "j", "ю": "iu", "я": "ia",
}  # fmt: skip
FRENCH = {**BGN, "у": "ou", "ж": "j", "ш": "ch", "ч": "tch", "х": "kh", "ұ": "ou", "ү": "u"}
ROMANISATIONS = (ICAO, BGN, KZ2021, FRENCH)
# Kazakh letters typed on a Russian keyboard.
RUSSIAN_KEYBOARD = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
KEYBOARD_NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm"


def romanise(text: str, table: dict) -> str:
    """Cyrillic text in Latin letters by one table, words capitalised; -ов as -off now and then."""
    out = "".join(table.get(c.lower(), c) for c in text)
    words = [w[:1].upper() + w[1:] for w in out.split(" ")]
    return " ".join(words)


class Maker:
    """Draws people and writes them as records, from one seeded random source."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)  # nosec B311 # test data
        self.serial = 0

    def number(self) -> str:
        """A fresh prison number."""
        self.serial += 1
        return f"{self.rng.choice('ABCKT')}-{self.serial:05d}"

    def birth(self, low=1960, high=2004) -> date:
        """A date of birth."""
        return date(self.rng.randint(low, high), 1, 1) + timedelta(self.rng.randint(0, 364))

    # -- people ---------------------------------------------------------------------------

    def person(self, country: str, sex: str | None = None, born: date | None = None) -> dict:
        """One person as their country's register writes them (script, order, other names)."""
        sex = sex or self.rng.choice(("male", "male", "male", "female"))
        maker = {"KZ": self._kz, "RU": self._ru, "TN": self._tn, "UG": self._ug}[country]
        person = maker(sex)
        person.update(
            country=country,
            sex=sex,
            born=born or self.birth(),
            facility_id=f"{country.lower()}-{self.rng.randint(1, 3)}",
        )
        return person

    def _kz(self, sex: str, family=None, father=None) -> dict:
        """A Kazakh name in Cyrillic, with a patronymic most of the time."""
        given = self.rng.choice(pools.KZ_FEMALE if sex == "female" else pools.KZ_MALE)
        family = family or self.rng.choice(pools.KZ_FAMILY)
        father = father or self.rng.choice(pools.KZ_MALE)
        return {"given": given, "family": family[sex == "female"], "father": father,
                "families": family, "other": _patronymic(father, sex)}  # fmt: skip

    def _ru(self, sex: str, family=None, father=None) -> dict:
        """A Russian name in Cyrillic, with a patronymic."""
        given = self.rng.choice(pools.RU_FEMALE if sex == "female" else pools.RU_MALE)
        family = family or self.rng.choice(pools.RU_FAMILY)
        father = father or self.rng.choice(pools.RU_MALE)
        return {"given": given, "family": family[sex == "female"], "father": father,
                "families": family, "other": _patronymic(father, sex)}  # fmt: skip

    def _tn(self, sex: str, family=None, father=None) -> dict:
        """A Tunisian name: (Arabic, French spellings) for given and family, and "ben <father>"."""
        given = self.rng.choice(pools.TN_FEMALE if sex == "female" else pools.TN_MALE)
        family = family or self.rng.choice(pools.TN_FAMILY)
        father = father or self.rng.choice(pools.TN_MALE)
        return {"given": given, "family": family, "father": father, "families": family}

    def _ug(self, sex: str, family=None, father=None) -> dict:
        """A Ugandan name: a given name, a clan or family name, often a Christian name."""
        given = self.rng.choice(pools.UG_FEMALE if sex == "female" else pools.UG_MALE)
        family = family or self.rng.choice(pools.UG_FAMILY)
        christian = self.rng.choice(("Joseph", "Peter", "Grace", "Sarah", "Paul", "Ruth"))
        other = christian if self.rng.random() < 0.5 else None
        return {"given": given, "family": family, "father": father, "families": family,
                "other": other}  # fmt: skip

    # -- records --------------------------------------------------------------------------

    def record(self, person: dict, style: str = "native", drop_other=False) -> dict:
        """The fields of a record of person, written in a style: "native" (Cyrillic, Arabic
        or the Ugandan order) or "latin" (a romanisation or French spelling)."""
        country = person["country"]
        given, family, other = self._names(person, style)
        if drop_other:
            other = None
        return {
            "given_name": given,
            "family_name": family,
            "other_names": other,
            "date_of_birth": person["born"].isoformat(),
            "sex": person["sex"],
            "prison_number": self.number(),
            "facility_id": person["facility_id"] if self.rng.random() < 0.7 else f"{country}-x",
        }

    def _names(self, person: dict, style: str):
        """(given, family, other names) of a person in a style."""
        country = person["country"]
        if country in ("KZ", "RU"):
            if style == "native":
                return person["given"], person["family"], person["other"]
            table = self.rng.choice(ROMANISATIONS)
            return tuple(romanise(n, table) if n else None for n in
                         (person["given"], person["family"], person["other"]))  # fmt: skip
        if country == "TN":
            father = person["father"]
            if style == "native":
                return person["given"][0], person["family"][0], f"بن {father[0]}"
            particle = self.rng.choice(("ben", "Ben", "Bin", "b."))
            return (
                self.rng.choice(person["given"][1]),
                self.rng.choice(person["family"][1]),
                f"{particle} {self.rng.choice(father[1])}",
            )
        given, family = person["given"], person["family"]
        spell = (lambda n: self.rng.choice(n[1])) if style == "latin" and given[1] else (
            lambda n: n[0])  # fmt: skip
        return spell(given), spell(family) if family[1] else family[0], person["other"]


def _patronymic(father: str, sex: str) -> str:
    """A Russian-style patronymic of a father's name (Kazakhs write them too)."""
    stem = father[:-1] if father[-1] in "йь" else father
    if father.endswith(("ий", "ей", "ай")) or father.endswith("ь"):
        return stem + ("евна" if sex == "female" else "евич")
    return stem + ("овна" if sex == "female" else "ович")


# -- what happens to a record the second time it is written ---------------------------------


def typo(rng, text: str) -> str:
    """One slip of the keyboard in a word: a letter dropped, doubled, swapped or replaced."""
    if not text or len(text) < 4:
        return text
    i = rng.randint(1, len(text) - 2)
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    if kind == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    letter = rng.choice(KEYBOARD_NEIGHBOURS) if text[i].isascii() else text[i]
    return text[:i] + letter + text[i + 1 :]


def swap_day_month(record: dict) -> bool:
    """Write the date of birth day-first where it could be read both ways."""
    born = date.fromisoformat(record["date_of_birth"]) if record["date_of_birth"] else None
    if born is None or born.day > 12 or born.day == born.month:
        return False
    record["date_of_birth"] = date(born.year, born.day, born.month).isoformat()
    return True


def change(rng, record: dict, country: str) -> str:
    """Apply one realistic change to a record; returns its name."""
    kind = rng.choice(("typo", "swap", "drop_other", "day_month", "no_birth", "keyboard", "add"))
    if kind == "typo":
        field = rng.choice(("given_name", "family_name"))
        record[field] = typo(rng, record[field])
    elif kind == "swap" or (country == "UG" and rng.random() < 0.5):
        record["given_name"], record["family_name"] = record["family_name"], record["given_name"]
        kind = "swap"
    elif kind == "drop_other":
        record["other_names"] = None
    elif kind == "day_month":
        if not swap_day_month(record):
            record["date_of_birth"] = None
            kind = "no_birth"
    elif kind == "no_birth":
        record["date_of_birth"] = None
    elif kind == "keyboard":
        for field in ("given_name", "family_name", "other_names"):
            if record[field]:
                record[field] = record[field].translate(RUSSIAN_KEYBOARD)
    elif kind == "add" and record["other_names"]:
        # The other name written into the given name field, as one string.
        record["given_name"] = f"{record['given_name']} {record['other_names']}"
        record["other_names"] = None
    return kind


# -- pairs ------------------------------------------------------------------------------------


def duplicate(maker: Maker, country: str) -> dict:
    """One person written twice."""
    rng = maker.rng
    person = maker.person(country)
    first_style = rng.choice(("native", "latin"))
    second_style = rng.choice(("native", "latin")) if rng.random() < 0.4 else (
        "latin" if first_style == "native" else "native")  # fmt: skip
    a = maker.record(person, first_style, drop_other=rng.random() < 0.3)
    b = maker.record(person, second_style)
    changes = [change(rng, b, country) for _ in range(rng.choice((0, 1, 1, 2)))]
    if first_style == second_style and not changes:
        changes.append(change(rng, b, country))
    kind = f"same_person:{first_style}>{second_style}:" + "+".join(changes or ["script"])
    return {"kind": kind, "duplicate": True, "a": a, "b": b}


def relatives(maker: Maker, country: str) -> dict:
    """Two people easily taken for one: siblings, namesakes, or father and son."""
    rng = maker.rng
    kind = rng.choice(("siblings", "namesakes", "father_son"))
    first = maker.person(country)
    second = {"siblings": _sibling, "namesakes": _namesake, "father_son": _son}[kind](maker, first)
    styles = [rng.choice(("native", "latin")) for _ in range(2)]
    a, b = maker.record(first, styles[0]), maker.record(second, styles[1])
    same_name = (first["given"], first["family"]) == (second["given"], second["family"])
    if kind != "namesakes" and not same_name and rng.random() < 0.15:
        # A relative's date of birth left blank on one record (namesakes keep theirs:
        # with no date, two people of one name cannot be told apart at all).
        rng.choice((a, b))["date_of_birth"] = None
    return {"kind": f"{kind}:{styles[0]}>{styles[1]}", "duplicate": False, "a": a, "b": b}


def _builder(maker: Maker, country: str):
    """The name maker of a country."""
    return {"KZ": maker._kz, "RU": maker._ru, "TN": maker._tn, "UG": maker._ug}[country]


def _sibling(maker: Maker, first: dict) -> dict:
    """A brother or sister: same family and father, another given name, born 1-8 years apart."""
    sex = maker.rng.choice(("male", "female"))
    for _ in range(20):
        second = _builder(maker, first["country"])(sex, first["families"], first["father"])
        if second["given"] != first["given"]:
            break
    years = maker.rng.randint(1, 8) * maker.rng.choice((-1, 1))
    born = first["born"] + timedelta(days=365 * years + maker.rng.randint(-100, 100))
    return {**first, **second, "sex": sex, "born": born}


def _namesake(maker: Maker, first: dict) -> dict:
    """Another person of the same name, born in another year."""
    years = maker.rng.randint(2, 25) * maker.rng.choice((-1, 1))
    born = first["born"] + timedelta(days=365 * years + maker.rng.randint(-150, 150))
    return {**first, "born": born, "facility_id": f"{first['country'].lower()}-9"}


def _son(maker: Maker, first: dict) -> dict:
    """A son: the father's family name, his patronymic or "ben" the father's given name."""
    country = first["country"]
    if first["sex"] != "male":
        first.update(_builder(maker, country)("male", first["families"], first["father"]))
        first["sex"] = "male"
    son = _builder(maker, country)("male", first["families"], first["given"])
    if country == "UG" and maker.rng.random() < 0.4:
        son["given"] = first["given"]  # named after the father ("Junior")
    first["born"] = maker.birth(1945, 1972)
    born = first["born"] + timedelta(days=365 * maker.rng.randint(19, 33))
    return {**first, **son, "sex": "male", "born": born}


def pairs(seed: int, per_country: int, share_duplicates: float = 0.6) -> list[dict]:
    """The labelled pairs, per_country for each of KZ, RU, TN and UG."""
    maker = Maker(seed)
    out = []
    for country in ("KZ", "RU", "TN", "UG"):
        for n in range(per_country):
            make = duplicate if n < per_country * share_duplicates else relatives
            pair = make(maker, country)
            out.append({"id": f"{country.lower()}-{n + 1:04d}", **pair})
    return out


def main() -> None:
    """Write pairs.jsonl beside this file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--per-country", type=int, default=600)
    parser.add_argument("--output", type=Path, default=HERE / "pairs.jsonl")
    args = parser.parse_args()
    rows = pairs(args.seed, args.per_country)
    with args.output.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} pairs written to {args.output}")


if __name__ == "__main__":
    main()
