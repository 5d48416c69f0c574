"""The matcher on the labelled evaluation set: precision >= 0.90, recall >= 0.95 (SPEC §12).

pairs.jsonl comes from tests/data/duplicates/generator.py (seeded); hand_checked.jsonl
holds pairs reasoned about one by one (each with a note). The scorer is the one
likely_duplicates uses, at MATCH_THRESHOLD.
"""

import json
from datetime import date
from pathlib import Path

from prog_tracker.participants.matching import MATCH_THRESHOLD
from prog_tracker.participants.matching.scoring import pair_score, profile_of

DATA = Path(__file__).parents[1] / "data" / "duplicates"
FILES = ("pairs.jsonl", "hand_checked.jsonl")


def load_pairs(name: str) -> list[dict]:
    """The labelled pairs of one file, dates as dates."""
    pairs = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        for side in ("a", "b"):
            born = pair[side].get("date_of_birth")
            pair[side]["date_of_birth"] = date.fromisoformat(born) if born else None
        pairs.append(pair)
    return pairs


def confusion(pairs: list[dict], threshold: float = MATCH_THRESHOLD) -> dict:
    """tp, fp, fn, tn of the scorer over labelled pairs."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for pair in pairs:
        found = pair_score(profile_of(pair["a"]), profile_of(pair["b"]))[0] >= threshold
        key = ("t" if found == pair["duplicate"] else "f") + ("p" if found else "n")
        counts[key] += 1
    return counts


def test_the_set_is_large_and_balanced_enough():
    pairs = load_pairs("pairs.jsonl")
    hand = load_pairs("hand_checked.jsonl")
    assert len(pairs) >= 2000 and len(hand) >= 60
    assert all(p.get("note") for p in hand)
    assert sum(p["duplicate"] for p in pairs) > 500 and sum(not p["duplicate"] for p in pairs) > 500


def test_precision_and_recall_hold():
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for name in FILES:
        part = confusion(load_pairs(name))
        print(name, part)
        counts = {k: counts[k] + part[k] for k in counts}
    precision = counts["tp"] / (counts["tp"] + counts["fp"])
    recall = counts["tp"] / (counts["tp"] + counts["fn"])
    print(f"all: {counts} precision={precision:.3f} recall={recall:.3f}")
    assert precision >= 0.90 and recall >= 0.95
