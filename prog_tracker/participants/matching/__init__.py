"""The matcher: who is likely the same person, across scripts, spellings and name orders.

One module serves participant creation (a warning before saving), the duplicates
API and page, and import. normalise.py reduces names to a comparable form,
scoring.py scores a pair, keys.py writes the blocking keys that keep the search
sub-linear, search.py finds and scores candidates in the actor's scope.
"""

from prog_tracker.participants.matching.keys import fill_match_keys, refresh_match_keys
from prog_tracker.participants.matching.search import (
    MATCH_THRESHOLD,
    Match,
    duplicates_of,
    likely_duplicates,
    likely_pairs,
    mark_not_duplicates,
)

__all__ = [
    "MATCH_THRESHOLD",
    "Match",
    "duplicates_of",
    "fill_match_keys",
    "likely_duplicates",
    "likely_pairs",
    "mark_not_duplicates",
    "refresh_match_keys",
]
