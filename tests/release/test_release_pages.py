"""Release pages through the browser's eyes: release, return, transfer, plan, releases ahead."""

import html
import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.release.models import ReleaseEpisode, ReleasePlanItem
from prog_tracker.workshops.models import Enrolment


def _shown(day) -> str:
    """A day as pages show it to an English reader, machine-readable ISO beside it."""
    return f'<time datetime="{day.isoformat()}">{format_date(day, "medium", locale="en")}</time>'


@pytest.fixture
def prison(make):
    """Facility A with an officer, an instructor's cohort and a person enrolled in it."""
    facility = make.facility(name="Colony A")
    instructor = make.user("instructor", facility=facility)
    cohort = make.cohort(facility, instructors=[instructor], title="Joinery spring")
    today = today_at(facility)
    person = make.participant(
        facility=facility, family_name="Sadykova", expected_release_date=today + timedelta(days=30)
    )
    enrolment = make.enrolment(cohort, person)
    return {
        "facility": facility,
        "officer": make.user("officer", facility=facility),
        "instructor": instructor,
        "cohort": cohort,
        "person": person,
        "enrolment": enrolment,
        "today": today,
    }


@pytest.fixture(name="signin")
def signin_afresh(signin):
    """Sign a user in, dropping whoever was signed in on that client before."""

    def _signin(client, user):
        client.delete_cookie("pt_session")
        return signin(client, user)

    return _signin


def _text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def _fresh(record):
    """The record read again from the database."""
    db.session.expire_all()
    return db.session.get(type(record), record.id)


def _section(page: str, start: str, end: str | None = None) -> str:
    """The part of a page from the element with id=start to the one with id=end."""
    part = page.split(f'id="{start}"', 1)[1]
    return part.split(f'id="{end}"', 1)[0] if end else part


def _item(page: str, item) -> str:
    """One plan item's card on the plan page."""
    return page.split(f'id="item-{item.id}"', 1)[1].split("</li>", 1)[0]


def _release(client, csrf, person, day) -> object:
    """Post the release form."""
    return client.post(
        f"/participants/{person.id}/release",
        data={"csrf_token": csrf, "released_on": day.isoformat()},
    )


# Release, return to custody, transfer


def test_officer_records_a_release_and_sees_enrolments_ended_and_the_episode(
    client, signin, prison
):
    person, today = prison["person"], prison["today"]
    csrf = signin(client, prison["officer"])
    page = _text(client.get(f"/participants/{person.id}"))
    form = _section(page, "release-title", "episodes-title")
    assert "Record the release" in form and f'value="{today.isoformat()}"' in form
    assert 'for="release-released_on"' in form

    response = _release(client, csrf, person, today)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/participants/{person.id}#release")
    page = _text(client.get(f"/participants/{person.id}"))
    assert "The release is recorded." in page
    episodes = _section(page, "episodes-title", "status-history-title")
    assert f"Released on {_shown(today)}" in episodes and "Out now" in episodes
    history = _section(page, "status-history-title")
    assert "Released" in history and today.isoformat() in history
    assert "Return to custody…" in page and "Record the release" not in page

    enrolment = _fresh(prison["enrolment"])
    assert isinstance(enrolment, Enrolment)
    assert (enrolment.status, enrolment.status_reason) == ("withdrawn", "released")
    # The cohort page shows the enrolment ended for that reason.
    cohort_page = _text(client.get(f"/cohorts/{prison['cohort'].id}"))
    ended = _section(cohort_page, "ended", "sessions")
    assert "Sadykova" in ended and "Released" in ended


def test_return_to_custody_closes_the_episode_and_keeps_the_note(client, signin, prison):
    person, today = prison["person"], prison["today"]
    csrf = signin(client, prison["officer"])
    assert _release(client, csrf, person, today - timedelta(days=10)).status_code == 302
    response = client.post(
        f"/participants/{person.id}/return-to-custody",
        data={"csrf_token": csrf, "on": today.isoformat(), "note": "Recalled by the court"},
    )
    assert response.status_code == 302
    page = _text(client.get(f"/participants/{person.id}"))
    assert "The return to custody is recorded." in page
    episodes = _section(page, "episodes-title", "status-history-title")
    assert f"returned on {_shown(today)}" in episodes and "Out now" not in episodes
    history = _section(page, "status-history-title")
    assert "Returned to custody" in history and "Recalled by the court" in history
    episode = db.session.scalar(
        select(ReleaseEpisode).where(ReleaseEpisode.participant_id == person.id)
    )
    assert episode.returned_on == today
    # Back in custody: a new release can be recorded.
    assert "Record the release" in page


def test_transfer_moves_the_person_out_of_the_officers_sight(client, make, signin, prison):
    person, today = prison["person"], prison["today"]
    other = make.facility(name="Colony B")
    csrf = signin(client, prison["officer"])
    page = _text(client.get(f"/participants/{person.id}"))
    assert "Colony B (Kazakhstan)" in _section(page, "release-title", "episodes-title")
    response = client.post(
        f"/participants/{person.id}/transfer",
        data={"csrf_token": csrf, "facility_id": other.id, "on": today.isoformat()},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/participants")
    assert client.get(f"/participants/{person.id}").status_code == 404
    assert _fresh(person).facility_id == other.id
    enrolment = _fresh(prison["enrolment"])
    assert (enrolment.status, enrolment.status_reason) == ("withdrawn", "transferred")

    signin(client, make.user("admin"))
    history = _section(_text(client.get(f"/participants/{person.id}")), "status-history-title")
    assert "Transferred" in history and "from Colony A to Colony B" in history


def test_a_refused_release_form_keeps_what_was_typed(client, signin, prison):
    person = prison["person"]
    csrf = signin(client, prison["officer"])
    response = client.post(
        f"/participants/{person.id}/release",
        data={"csrf_token": csrf, "released_on": "2031-02-30"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    form = _section(page, "release-title", "episodes-title")
    assert 'value="2031-02-30"' in form
    assert re.search(
        r'<details class="ws-change rl-action" open>\s*<summary>Record the release', form
    )
    assert 'aria-invalid="true"' in form
    assert 'aria-describedby="release-released_on-hint release-released_on-error"' in form
    assert 'id="release-released_on-error"' in form
    assert _fresh(person).status == "in_custody"


def test_a_broken_rule_is_shown_in_the_refused_form(client, signin, prison):
    person, today = prison["person"], prison["today"]
    csrf = signin(client, prison["officer"])
    assert _release(client, csrf, person, today).status_code == 302
    response = _release(client, csrf, person, today)  # already released
    assert response.status_code == 422
    assert 'class="flash flash-error rl-form-error" role="alert"' in response.get_data(as_text=True)
    episodes = db.session.scalars(
        select(ReleaseEpisode).where(ReleaseEpisode.participant_id == person.id)
    ).all()
    assert len(episodes) == 1


def test_who_may_act_on_a_release(client, make, signin, prison):
    person, today = prison["person"], prison["today"]
    # The supervisor reads the section without its forms and may not act.
    csrf = signin(client, make.user("supervisor", country="KZ"))
    page = _text(client.get(f"/participants/{person.id}"))
    assert 'id="release-title"' in page and "Record the release" not in page
    assert _release(client, csrf, person, today).status_code == 403
    # The instructor sees the person but no release section, and may not act.
    csrf = signin(client, prison["instructor"])
    page = _text(client.get(f"/participants/{person.id}"))
    assert 'id="release-title"' not in page and 'id="partners-title"' not in page
    assert _release(client, csrf, person, today).status_code == 403
    # An officer of another facility does not see the person at all.
    csrf = signin(client, make.user("officer"))
    assert _release(client, csrf, person, today).status_code == 404
    assert _fresh(person).status == "in_custody"


# The release plan


def _plan(make, person, org=None):
    """Three plan items: housing (overdue), documents (done), transport."""
    today = today_at(person.facility)
    items = [
        ReleasePlanItem(
            participant_id=person.id,
            kind="id_documents",
            status="done",
            due_date=today - timedelta(days=20),
        ),
        ReleasePlanItem(
            participant_id=person.id,
            kind="housing",
            due_date=today - timedelta(days=2),
            owner_organisation_id=org,
        ),
        ReleasePlanItem(
            participant_id=person.id, kind="transport", due_date=today + timedelta(days=29)
        ),
    ]
    return [make._save(item) for item in items]


def test_plan_page_shows_items_progress_and_overdue(client, make, signin, prison):
    person = prison["person"]
    org = make.organisation(name="Jol NGO")
    _documents, housing, _transport = _plan(make, person, org.id)
    signin(client, prison["officer"])
    page = _text(client.get(f"/participants/{person.id}/release-plan"))
    assert "1 of 3 done or not needed" in page and "1 overdue" in page
    assert page.index("Identity documents") < page.index("Housing") < page.index("Transport")
    item = _item(page, housing)
    assert "Jol NGO" in item and "Overdue" in item and "To do" in item
    assert f'name="version" value="{housing.version}"' in item
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "release_plan.read")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert len(event.entity_ids) == 3


def test_officer_changes_a_plan_item(client, make, signin, prison):
    person = prison["person"]
    org = make.organisation(name="Jol NGO")
    _documents, housing, _transport = _plan(make, person)
    csrf = signin(client, prison["officer"])
    response = client.post(
        f"/release-plan-items/{housing.id}",
        data={
            "csrf_token": csrf,
            "status": "done",
            "owner_organisation_id": org.id,
            "due_date": housing.due_date.isoformat(),
            "note": "Hostel bed booked",
            "version": str(housing.version),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/release-plan#item-{housing.id}")
    page = _text(client.get(f"/participants/{person.id}/release-plan"))
    assert "The plan item is saved." in page and "2 of 3 done or not needed" in page
    item = _item(page, housing)
    assert "Hostel bed booked" in item and "Jol NGO" in item and "Overdue" not in item
    saved = _fresh(housing)
    assert (saved.status, saved.owner_organisation_id) == ("done", org.id)


def test_a_stale_plan_item_form_says_so_and_keeps_the_typed_values(client, make, signin, prison):
    person = prison["person"]
    _documents, housing, _transport = _plan(make, person)
    stale = housing.version
    housing.note = "Changed meanwhile by a colleague"
    housing.version = stale + 1
    db.session.commit()
    csrf = signin(client, prison["officer"])
    response = client.post(
        f"/release-plan-items/{housing.id}",
        data={
            "csrf_token": csrf,
            "status": "in_progress",
            "note": "My note",
            "version": str(stale),
        },
    )
    assert response.status_code == 409
    page = _text(response)
    item = _item(page, housing)
    assert "Someone else changed this item while you were editing it." in item
    assert "Changed meanwhile by a colleague" in item  # the saved value
    assert ">My note</textarea>" in item  # what was typed
    assert re.search(r'<option value="in_progress"\s*selected>', item)
    assert f'name="version" value="{stale + 1}"' in item  # saving again is possible
    assert _fresh(housing).note == "Changed meanwhile by a colleague"


def test_plan_page_is_404_for_instructors_and_caseworkers_out_of_scope(
    client, make, signin, prison
):
    person = prison["person"]
    items = _plan(make, person)
    csrf = signin(client, prison["instructor"])
    assert client.get(f"/participants/{person.id}/release-plan").status_code == 404
    response = client.post(
        f"/release-plan-items/{items[1].id}", data={"csrf_token": csrf, "status": "done"}
    )
    assert response.status_code == 404
    signin(client, make.user("caseworker"))
    assert client.get(f"/participants/{person.id}/release-plan").status_code == 404
    assert _fresh(items[1]).status == "todo"


# Releases ahead


def test_releases_page_lists_the_officers_facility_only_soonest_first(client, make, signin, prison):
    facility, today = prison["facility"], prison["today"]
    soon = make.participant(
        facility=facility, family_name="Soonest", expected_release_date=today + timedelta(days=3)
    )
    make.participant(
        facility=facility, family_name="Faraway", expected_release_date=today + timedelta(days=200)
    )
    make.participant(
        family_name="Elsewhere", expected_release_date=today + timedelta(days=5)
    )  # another facility
    _plan(make, soon)
    signin(client, prison["officer"])
    home = _text(client.get("/"))
    assert 'href="/releases"' in home and "2 releases in the next 90 days" in home
    page = _text(client.get("/releases"))
    assert "Soonest" in page and "Sadykova" in page
    assert "Faraway" not in page and "Elsewhere" not in page
    assert page.index("Soonest") < page.index("Sadykova")
    assert "1 of 3 done or not needed" in page
    assert f'href="/participants/{soon.id}/release-plan"' in page
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "release.list").order_by(AuditEvent.id.desc())
    ).first()
    assert sorted(event.entity_ids) == sorted([soon.id, prison["person"].id])


def test_releases_page_is_refused_to_instructors_and_caseworkers(client, make, signin, prison):
    signin(client, prison["instructor"])
    assert client.get("/releases").status_code == 403
    assert 'href="/releases"' not in _text(client.get("/"))
    signin(client, make.user("caseworker"))
    assert client.get("/releases").status_code == 403


def test_supervisor_sees_releases_in_their_country(client, make, signin, prison):
    today = prison["today"]
    make.participant(
        facility=make.facility(country="UG"),
        family_name="Kampala",
        expected_release_date=today + timedelta(days=5),
    )
    signin(client, make.user("supervisor", country="KZ"))
    page = _text(client.get("/releases"))
    assert "Sadykova" in page and "Kampala" not in page
    assert db.session.scalar(select(Participant).where(Participant.family_name == "Kampala"))


def test_return_to_custody_at_another_facility(client, make, signin, prison):
    person, today = prison["person"], prison["today"]
    other = make.facility(name="Colony C")
    csrf = signin(client, prison["officer"])
    assert _release(client, csrf, person, today - timedelta(days=3)).status_code == 302
    form = _section(
        _text(client.get(f"/participants/{person.id}")), "release-title", "episodes-title"
    )
    assert "The same facility (Colony A)" in form and "Colony C (Kazakhstan)" in form
    response = client.post(
        f"/participants/{person.id}/return-to-custody",
        data={"csrf_token": csrf, "on": today.isoformat(), "facility_id": other.id},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/participants")
    saved = _fresh(person)
    assert (saved.status, saved.facility_id) == ("returned_to_custody", other.id)
