"""Who is on a session's roll, on the shared table of cases (the field app's rule reads it too).

tests/data/roll_cases.json holds each case's enrolment and day with the answer
expected; tests/js/roll.test.mjs gives the same cases to onRoll in
static/app/rules.js. Here they go to on_roll itself, and through the database
to the paths that use it: the query (attending_enrolments), the roll page and
PUT /sessions/<id>/attendance (the push side, _check_roll).
"""

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from prog_tracker.extensions import db
from prog_tracker.workshops.attendance import attending_enrolments, on_roll

CASES = json.loads((Path(__file__).parents[1] / "data" / "roll_cases.json").read_text("utf-8"))[
    "cases"
]
IDS = [case["name"] for case in CASES]


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _fields(case: dict) -> dict:
    """The case's enrolment as model values."""
    given = case["enrolment"]
    return {
        "status": given["status"],
        "enrolled_on": _day(given["enrolled_on"]),
        "ended_on": _day(given["ended_on"]),
    }


@pytest.fixture
def placed(shop, make):
    """place(case) -> (person, session): the case's enrolment in the shop's cohort, stored."""

    def _place(case):
        person = make.participant(facility=shop.facility)
        enrolment = make.enrolment(shop.cohort, person, status="enrolled")
        for name, value in _fields(case).items():
            setattr(enrolment, name, value)  # as given, past the factory's defaults
        db.session.commit()
        return person, make.session(shop.cohort, date=_day(case["day"]))

    return _place


def test_the_table_has_enough_cases_each_named_once():
    assert len(IDS) >= 15 and len(set(IDS)) == len(IDS)
    assert {True, False} == {case["on_roll"] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_on_roll_gives_the_expected_answer(case):
    enrolment = SimpleNamespace(**_fields(case))
    assert on_roll(enrolment, _day(case["day"])) is case["on_roll"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_query_agrees(case, placed):
    person, session = placed(case)
    assert (person.id in attending_enrolments(session)) is case["on_roll"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_roll_page_and_the_push_side_agree(case, placed, shop, client, signin):
    person, session = placed(case)
    line = {"participant_id": person.id, "status": "present"}
    pushed = shop.instructor_api.put(f"/sessions/{session.id}/attendance", json={"records": [line]})
    if case["on_roll"]:
        assert pushed.status_code == 200
    else:
        assert pushed.status_code == 422
        assert pushed.get_json()["error"]["code"] == "not_enrolled"
    signin(client, shop.instructor)
    page = client.get(f"/sessions/{session.id}/attendance").get_data(as_text=True)
    assert (f'name="status-{person.id}"' in page) is case["on_roll"]
