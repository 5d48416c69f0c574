"""The server's follow-up status on the shared table of cases (the field app's rule reads it too).

tests/data/follow_up_status_cases.json holds each case's follow-up, release
episode, facility time zone, contacts and day, with the status expected;
tests/js/rules.test.mjs gives the same cases to static/app/rules.js, so the
two rules cannot drift apart unseen.
"""

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from prog_tracker.release.followups import status_on

CASES = json.loads(
    (Path(__file__).parents[1] / "data" / "follow_up_status_cases.json").read_text("utf-8")
)["cases"]


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _follow_up(case: dict) -> SimpleNamespace:
    """The shape status_on reads: the follow-up, its episode, the person's facility."""
    given = case["follow_up"]
    facility = SimpleNamespace(timezone=case["timezone"])
    episode = SimpleNamespace(
        participant_id=given["participant_id"],
        released_on=_day(case["episode"]["released_on"]),
        returned_on=_day(case["episode"]["returned_on"]),
        participant=SimpleNamespace(facility=facility),
    )
    return SimpleNamespace(
        due_on=_day(given["due_on"]),
        window_days=given["window_days"],
        offset_days=given["offset_days"],
        episode=episode,
    )


def _contacts(case: dict) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            id=c["id"],
            participant_id=c["participant_id"],
            mode=c["mode"],
            occurred_at=dt.datetime.fromisoformat(c["occurred_at"]),
        )
        for c in case["contacts"]
    ]


def test_the_table_has_enough_cases_each_named_once():
    names = [case["name"] for case in CASES]
    assert len(names) >= 25 and len(set(names)) == len(names)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_status_on_gives_the_expected_status(case):
    status, met_by = status_on(_follow_up(case), _contacts(case), _day(case["day"]))
    assert {"status": status, "met_by_contact_id": met_by} == case["expected"]
