"""The duplicates page, the merge confirmation, the undo offered after a merge, and
"not the same person" (the duplicate finder mostly stood in for, to choose the pairs; one
test uses the real one)."""

import re
import sys
import types
from dataclasses import dataclass

import pytest

from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from tests.conftest import signin


@dataclass(frozen=True)
class Match:
    participant_id: str
    score: float
    reasons: tuple


@pytest.fixture
def finder(monkeypatch, pair):
    """A stand-in prog_tracker.participants.matching: the pair at 0.93, and what was marked."""
    module = types.ModuleType("prog_tracker.participants.matching")
    module.marked = []
    module.likely_pairs = lambda actor, facility_id, threshold=None, limit=200: (
        [(pair.source.id, pair.into.id, Match(pair.into.id, 0.93, ("name_other_script", "sex")))]
        if facility_id == pair.facility.id
        else []
    )
    module.mark_not_duplicates = lambda actor, a, b: module.marked.append((a, b))
    module.refresh_match_keys = lambda participant: None
    monkeypatch.setitem(sys.modules, "prog_tracker.participants.matching", module)
    import prog_tracker.participants as package

    monkeypatch.setattr(package, "matching", module, raising=False)
    return module


def _client(app, user):
    client = app.test_client()
    return client, signin(client, user)


def test_the_page_shows_the_pair_side_by_side(app, pair, finder):
    client, _csrf = _client(app, pair.officer)
    page = client.get("/participants/duplicates")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "93%" in text and "Same name in another script" in text
    assert "Дана" in text and "Dana" in text
    assert text.count("Merge into this one") == 2
    assert pair.source.prison_number in text


def test_the_participants_list_links_to_it_for_officers(app, make, pair):
    client, _csrf = _client(app, pair.officer)
    assert "/participants/duplicates" in client.get("/participants").get_data(as_text=True)
    instructor, _csrf = _client(app, make.user("instructor", facility=pair.facility))
    assert "/participants/duplicates" not in instructor.get("/participants").get_data(as_text=True)


def test_admins_pick_the_facility(app, make, pair, finder):
    make.facility()
    client, _csrf = _client(app, pair.admin)
    assert "Choose a facility" in client.get("/participants/duplicates").get_data(as_text=True)
    page = client.get(f"/participants/duplicates?facility_id={pair.facility.id}")
    assert "93%" in page.get_data(as_text=True)


def test_merge_confirm_then_undo_from_the_flash(app, pair, finder):
    client, csrf = _client(app, pair.officer)
    form = {"csrf_token": csrf, "into_id": pair.into.id}
    confirm = client.post(f"/participants/{pair.source.id}/merge", data=form)
    assert confirm.status_code == 200
    assert "can be undone" in confirm.get_data(as_text=True)
    done = client.post(f"/participants/{pair.source.id}/merge", data={**form, "confirm": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith(pair.into.id)
    survivor_page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Undo" in survivor_page and "/merges/" in survivor_page
    merge_path = re.search(r'action="(/merges/[^"]+/undo)"', survivor_page).group(1)
    # Offered once: the next page does not repeat it.
    assert "/undo" not in client.get(done.headers["Location"]).get_data(as_text=True)
    undone = client.post(merge_path, data={"csrf_token": csrf})
    assert undone.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participant, pair.source.id).merged_into_id is None


def test_not_the_same_person_is_remembered(app, pair, finder):
    client, csrf = _client(app, pair.officer)
    response = client.post(
        "/participants/duplicates/not-the-same",
        data={"csrf_token": csrf, "a_id": pair.source.id, "b_id": pair.into.id},
    )
    assert response.status_code == 302
    assert finder.marked == [(pair.source.id, pair.into.id)]


def test_other_roles_get_no_page(app, make, pair):
    client, _csrf = _client(app, make.user("supervisor", country="KZ"))
    assert client.get("/participants/duplicates").status_code == 403


def test_the_real_matcher_offers_the_pair_and_remembers_not_the_same_person(app, make, pair):
    """No stand-in: Dana Ermek in Latin and in Cyrillic, one date of birth, are offered."""
    import datetime as dt

    for person in (pair.source, pair.into):
        person.date_of_birth = dt.date(1991, 4, 12)
    from prog_tracker.participants import matching

    for person in (pair.source, pair.into):
        matching.refresh_match_keys(person)
    db.session.commit()
    client, csrf = _client(app, pair.officer)
    text = client.get("/participants/duplicates").get_data(as_text=True)
    assert "Дана" in text and "Dana" in text and "Merge into this one" in text
    a, b = sorted((pair.source.id, pair.into.id))
    marked = client.post(
        "/participants/duplicates/not-the-same",
        data={"a_id": a, "b_id": b, "csrf_token": csrf},
    )
    assert marked.status_code in (302, 303)
    assert "Merge into this one" not in client.get("/participants/duplicates").get_data(
        as_text=True
    )
