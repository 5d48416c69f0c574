"""How alike two people are: names (any script, any order), date of birth, sex, number.

The name metric is RapidFuzz's Indel similarity (the normalised longest common
subsequence, its `fuzz.ratio`) on the comparable forms of normalise.py, word by
word with each word matched to its best counterpart wherever it stands (given
and family swapped, a patronymic or other name present on one side only), and
on consonants where Arabic script is involved. Dates, sex and the prison
number then raise or lower the names' score.
"""

from dataclasses import dataclass, field
from datetime import date

from rapidfuzz.distance import Indel

from prog_tracker.participants.matching.normalise import Token, tokens

# What a date of birth adds or takes away (tuned on tests/data/duplicates).
SAME_DAY = 0.08
SWAPPED_DAY = 0.05
NEAR_DAY = -0.06  # one part of the date differs (a typo; the year by one at most)
SAME_YEAR = -0.22  # born the same year, another day and month: namesakes as often as not
OTHER_DAY = -0.3
NO_DAY = -0.03
SEX_MISMATCH = -0.25
OTHER_FATHER = -0.15
SAME_NUMBER = 0.97  # same facility, same prison number: at least this
# A word matched to a word of the other side counts as "the same name" from here.
SAME_WORD = 0.8
# Consonants only weigh this much between two Latin spellings (vowels of names
# typed in Latin letters mean something: Marat and Murat are two names).
LATIN_SKELETON_WEIGHT = 0.85
KNOWN_SEXES = ("female", "male")


@dataclass(frozen=True)
class Profile:
    """What the matcher compares of one person, computed once."""

    given: tuple[Token, ...]
    family: tuple[Token, ...]
    others: tuple[Token, ...]
    # Patronymics and "ben <father>": two records naming different fathers are two people.
    fathers: tuple[Token, ...] = ()
    date_of_birth: date | None = None
    sex: str | None = None
    facility_id: str | None = None
    number: str = ""
    scripts: frozenset = field(default_factory=frozenset)

    @property
    def names(self) -> tuple[Token, ...]:
        """The given and family name words."""
        return self.given + self.family


def profile_of(fields: dict) -> Profile:
    """A Profile from a participant's fields (a dict or an object with those attributes)."""
    get = fields.get if isinstance(fields, dict) else lambda k: getattr(fields, k, None)
    given, given_extra = tokens(get("given_name"))
    family, family_extra = tokens(get("family_name"))
    other, other_extra = tokens(get("other_names"), fallback=False)
    everything = (*given, *family, *other, *given_extra, *family_extra, *other_extra)
    return Profile(
        given=tuple(given),
        family=tuple(family),
        others=(*given_extra, *family_extra, *other, *other_extra),
        fathers=(*given_extra, *family_extra, *other_extra),
        date_of_birth=get("date_of_birth"),
        sex=get("sex"),
        facility_id=get("facility_id"),
        number=number_key(get("prison_number")),
        scripts=frozenset(t.script for t in everything),
    )


def number_key(number: str | None) -> str:
    """A prison number as compared: upper case, letters and digits only."""
    return "".join(c for c in (number or "").upper() if c.isalnum())


def word_similarity(a: Token, b: Token) -> float:
    """0..1: how alike two words are, on consonants too where vowels are unreliable."""
    score = Indel.normalized_similarity(a.form, b.form)
    if a.skeleton and b.skeleton:
        consonants = Indel.normalized_similarity(a.skeleton, b.skeleton)
        weight = 1.0 if (a.arabic or b.arabic) else LATIN_SKELETON_WEIGHT
        score = max(score, weight * consonants)
    return score


def _best(word: Token, among: tuple[Token, ...]) -> tuple[float, int]:
    """(similarity, index) of the word's best counterpart among others."""
    best, where = 0.0, -1
    for index, other in enumerate(among):
        score = word_similarity(word, other)
        if score > best:
            best, where = score, index
    return best, where


def _directed(a: Profile, b: Profile, reasons: set) -> float | None:
    """How well a's given and family words are found among all of b's names."""
    if not a.names:
        return None
    among = (*b.given, *b.family, *b.others)
    scores = []
    for position, word in enumerate(a.names):
        score, where = _best(word, among)
        scores.append(score)
        if score >= SAME_WORD:
            reasons.update(_placement(a, b, position, where))
    # The weakest word weighs as much as all together: one name quite unlike (a
    # sibling's given name) is not made up for by a family name alike.
    return (sum(scores) / len(scores) + min(scores)) / 2


def _placement(a: Profile, b: Profile, position: int, where: int) -> tuple[str, ...]:
    """The reason a matched word gives: found as the other kind of name, or in other names."""
    in_given = position < len(a.given)
    if where >= len(b.given) + len(b.family):
        return ("other_names",)
    if in_given != (where < len(b.given)):
        return ("names_swapped",)
    return ()


def _joined(a: Profile, b: Profile) -> float:
    """The names compared run together, either way round ("Abdel Kader" ~ "Abdelkader")."""
    left = "".join(t.form for t in a.names)
    right = "".join(t.form for t in b.names)
    swapped = "".join(t.form for t in (*a.family, *a.given))
    return max(
        Indel.normalized_similarity(left, right), Indel.normalized_similarity(swapped, right)
    )


def name_score(a: Profile, b: Profile) -> tuple[float, set]:
    """(0..1, reasons) for the names of two people."""
    reasons: set = set()
    there = _directed(a, b, reasons)
    back = _directed(b, a, reasons)
    if there is None or back is None:
        return 0.0, set()
    score = (there + back) / 2
    if len(a.names) != len(b.names):
        score = max(score, _joined(a, b))  # a name split in two on one side only
    if score < SAME_WORD:
        return score, set()
    if "names_swapped" in reasons and (there + back) / 2 > _straight(a, b):
        reasons.add("names_swapped")
    else:
        reasons.discard("names_swapped")
    scripts = {s for s in a.scripts | b.scripts if s != "Any"}
    reasons.add("name_other_script" if _scripts_differ(a, b) and scripts else "name")
    return score, reasons


def _straight(a: Profile, b: Profile) -> float:
    """The names' score given against given and family against family only."""
    parts = [
        sum(_best(w, theirs)[0] for w in mine) / len(mine)
        for mine, theirs in ((a.given, b.given), (a.family, b.family))
        if mine and theirs
    ]
    return sum(parts) / len(parts) if parts else 0.0


def _scripts_differ(a: Profile, b: Profile) -> bool:
    """True when the two records were written in different scripts."""
    return bool(a.scripts and b.scripts and a.scripts.isdisjoint(b.scripts))


def date_adjustment(a: date | None, b: date | None) -> tuple[float, str | None]:
    """What the dates of birth add to the names' score, and the reason if they agree."""
    if a is None or b is None:
        return NO_DAY, None
    if a == b:
        return SAME_DAY, "date_of_birth"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return SWAPPED_DAY, "date_of_birth_swapped"
    if _one_slip(a, b):
        return NEAR_DAY, None
    if a.year == b.year:
        return SAME_YEAR, None
    return OTHER_DAY, None


def _one_slip(a: date, b: date) -> bool:
    """True when two dates differ in one part only (a typo), the year by one at most."""
    same = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    return same == 2 and abs(a.year - b.year) <= 1


def pair_score(a: Profile, b: Profile) -> tuple[float, tuple[str, ...]]:
    """(score 0..1 rounded to 3 decimals, reason codes) for two people."""
    score, reasons = name_score(a, b)
    change, reason = date_adjustment(a.date_of_birth, b.date_of_birth)
    score += change
    if reason:
        reasons.add(reason)
    if _other_fathers(a, b):
        score += OTHER_FATHER
    if a.sex in KNOWN_SEXES and b.sex in KNOWN_SEXES:
        if a.sex != b.sex:
            score += SEX_MISMATCH
        elif reasons:
            reasons.add("sex")
    if a.number and a.number == b.number and a.facility_id and a.facility_id == b.facility_id:
        score = max(score, SAME_NUMBER)
        reasons.add("prison_number")
    return round(min(max(score, 0.0), 1.0), 3), tuple(sorted(reasons, key=REASON_ORDER.index))


def _other_fathers(a: Profile, b: Profile) -> bool:
    """True when both records name a father and the first father of each is not the other's."""
    if not a.fathers or not b.fathers:
        return False
    return (
        _best(a.fathers[0], b.fathers)[0] < SAME_WORD
        and _best(b.fathers[0], a.fathers)[0] < SAME_WORD
    )


REASON_ORDER = (
    "prison_number",
    "name",
    "name_other_script",
    "names_swapped",
    "other_names",
    "date_of_birth",
    "date_of_birth_swapped",
    "sex",
)
