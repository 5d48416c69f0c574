"""Anonymised records still load in every page and API route, with a neutral label,
and search no longer finds them by their old name or number."""

import pytest

from prog_tracker.extensions import db
from prog_tracker.privacy.retention import apply_retention
from tests.conftest import Api, signin
from tests.privacy.retention_world import TODAY, build

OLD_IDENTITY = ("Zhaksylykova", "Ainur", "Aika", "KZ-1001", "1985-07-14")


@pytest.fixture
def world(make):
    """The retention cases, anonymised as of the run day; an officer and an instructor
    of the facility (the instructor teaches the 2018 cohort the old case completed)."""
    w = build(make)
    w.officer = make.user("officer", facility=w.facility)
    w.instructor = make.user("instructor", facility=w.facility)
    w.records["cohort"].instructors.append(w.instructor)
    db.session.commit()
    apply_retention(TODAY)
    return w


def _page(client, path):
    """GET a page; it must load and name nobody by the old identity."""
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    assert not [found for found in OLD_IDENTITY if found in html], path
    return html


def test_officer_pages_show_a_neutral_label(world, app):
    client = app.test_client()
    signin(client, world.officer)
    old = world.people["old"].id
    assert "Anonymised record" in _page(client, "/participants")
    shown = _page(client, f"/participants/{old}")
    assert "Anonymised record" in shown and "1985" in shown  # the year of birth only
    # Nothing is offered that the services would refuse; the page says why.
    assert "cannot be changed" in shown
    assert f"/participants/{old}/edit" not in shown
    assert f"/participants/{old}/return-to-custody" not in shown
    for path in (
        f"/participants/{old}/release-plan",
        f"/participants/{old}/referrals",
        f"/cohorts/{world.records['cohort'].id}",
        "/releases",
        "/",
    ):
        _page(client, path)


def test_instructor_pages_of_an_old_cohort_load(world, app):
    client = app.test_client()
    signin(client, world.instructor)
    cohort, old = world.records["cohort"].id, world.people["old"].id
    assert "Anonymised record" in _page(client, f"/cohorts/{cohort}")
    _page(client, f"/sessions/{world.records['session'].id}/attendance")
    _page(client, f"/cohorts/{cohort}/participants/{old}/skills")


def test_search_no_longer_finds_the_old_name_or_number(world, app):
    client = app.test_client()
    signin(client, world.officer)
    old = world.people["old"].id
    for q in ("Zhaksylykova", "ainur", "KZ-1001", "Aika"):
        # (the page repeats the query itself in its search box)
        page = client.get(f"/participants?q={q}")
        assert page.status_code == 200 and old not in page.get_data(as_text=True)
        found = client.get(f"/api/v1/participants?q={q}").get_json()["items"]
        assert found == []
    # The kept name of a case within the identity period is still found.
    assert world.people["recent"].id in _page(client, "/participants?q=recent")


def test_the_api_returns_the_anonymised_record(world, app):
    client = app.test_client()
    api = Api(client, signin(client, world.officer))
    old = world.people["old"].id
    person = api.get(f"/participants/{old}").get_json()
    assert (person["given_name"], person["family_name"], person["other_names"]) == ("", "", None)
    assert person["date_of_birth"] == "1985-01-01" and person["anonymised_at"].endswith("Z")
    assert person["status"] == "released" and person["actual_release_date"] == "2019-01-10"
    history = api.get(f"/participants/{old}/release-date-history").get_json()
    assert [change["reason"] for change in history["items"]] == [None]
    referrals = api.get(f"/referrals?participant_id={old}")
    assert referrals.status_code == 200
