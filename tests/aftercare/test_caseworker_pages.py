"""Caseworker pages through the browser's eyes: caseload, card, contacts, outcomes, inbox."""

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.partners.models import Referral
from tests.pages import inline_script


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


@pytest.fixture
def ngo(make):
    """NGO A (me and a colleague), NGO B, a facility in Almaty and people around the rule.

    Visible to me: bob (mine, released 9 days ago: the day-7 follow-up is
    overdue), alice (mine, released 2 days ago: nothing due yet), hana (my
    colleague's, overdue). Not visible: carol (NGO B), dan (pending referral,
    consent given), gus (pending, no consent), erin (consent expired), fay
    (consent withdrawn).
    """
    facility = make.facility(name="Colony Secret", timezone="Asia/Almaty")
    today = today_at(facility)
    officer = make.user("officer", facility=facility)
    org_a = make.organisation(name="Jol NGO")
    org_b = make.organisation(name="Other NGO")
    me = make.user("caseworker", organisation=org_a, display_name="Aliya Me")
    colleague = make.user("caseworker", organisation=org_a, display_name="Berik Colleague")
    stranger = make.user("caseworker", organisation=org_b, display_name="Other Worker")
    people = {}
    plan = {
        "bob": (9, org_a, "accepted", me, {}),
        "alice": (2, org_a, "accepted", me, {}),
        "hana": (9, org_a, "accepted", colleague, {}),
        "carol": (9, org_b, "accepted", stranger, {}),
        "dan": (None, org_a, "pending", None, {}),
        "gus": (None, org_a, "pending", None, None),
        "erin": (9, org_a, "accepted", me, {"expires_on": today - dt.timedelta(days=1)}),
        "fay": (9, org_a, "accepted", me, {"withdrawn_on": today - dt.timedelta(days=1)}),
    }
    for name, (days_out, org, status, caseworker, consent) in plan.items():
        person = make.participant(
            facility=facility,
            given_name=name.title(),
            family_name=f"{name.title()}ova",
            prison_number=f"SECRET-{name.upper()}",
            preferred_language="kk",
        )
        if days_out is not None:
            make.release(person, today - dt.timedelta(days=days_out), actor=officer)
        assigned = {"assigned_caseworker_id": caseworker.id} if caseworker else {}
        make.referral(person, org, status, referred_by=officer.id, **assigned)
        if consent is not None:
            given_on = today - dt.timedelta(days=30)
            make.consent(person, org, given_on=given_on, recorded_by=officer.id, **consent)
        people[name] = person
    return {
        "facility": facility,
        "today": today,
        # Contacts are logged for yesterday: "now" at the facility may be early morning.
        "yesterday": (today - dt.timedelta(days=1)).isoformat(),
        "officer": officer,
        "org_a": org_a,
        "org_b": org_b,
        "me": me,
        "colleague": colleague,
        "stranger": stranger,
        **people,
    }


def _names_in_order(page: str, names) -> list[str]:
    """The given names as they appear, in page order."""
    found = [(page.find(f"{n.title()}ova"), n) for n in names if f"{n.title()}ova" in page]
    return [n for _pos, n in sorted(found)]


def _contact_form(**fields) -> dict:
    """A contact form with sensible defaults."""
    return {"occurred_on": "", "occurred_time": "", "mode": "phone", **fields}


def _contacts_of(person) -> list[Contact]:
    """A person's contacts, read fresh."""
    db.session.expire_all()
    return list(db.session.scalars(select(Contact).where(Contact.participant_id == person.id)))


# The caseworker's home: the caseload


def test_home_lists_only_my_visible_people_mine_and_overdue_first(client, signin, ngo):
    signin(client, ngo["me"])
    response = client.get("/")
    assert response.status_code == 200
    page = _text(response)
    everyone = ("bob", "alice", "hana", "carol", "dan", "gus", "erin", "fay")
    assert _names_in_order(page, everyone) == ["bob", "alice", "hana"]
    assert "Assigned to you" in page and "Others in your organisation" in page
    # Overdue is written out (not colour alone), on bob and hana only.
    bob_row = page[page.find("Bobova") : page.find("Aliceova")]
    alice_row = page[page.find("Aliceova") : page.find("Hanaova")]
    assert "Overdue" in bob_row and "Overdue" not in alice_row
    assert "Berik Colleague" in page[page.find("Hanaova") :]
    # The inbox: two referrals wait (dan's and gus's).
    assert "2 referrals wait for your answer." in page
    assert 'href="/referrals/inbox"' in page


def test_home_gives_one_tap_to_log_a_contact_for_each_person(client, signin, ngo):
    signin(client, ngo["me"])
    page = _text(client.get("/"))
    for name in ("bob", "alice", "hana"):
        assert f'href="/aftercare/participants/{ngo[name].id}/contacts/new"' in page
    assert f"/aftercare/participants/{ngo['carol'].id}" not in page


def test_home_shows_last_contact_on_the_facility_local_date(client, signin, ngo):
    # 20:30 UTC is already the next morning in Almaty (UTC+5).
    day = ngo["today"] - dt.timedelta(days=1)
    when = dt.datetime.combine(day, dt.time(20, 30), tzinfo=dt.UTC)
    db.session.add(
        Contact(
            participant_id=ngo["alice"].id,
            organisation_id=ngo["org_a"].id,
            caseworker_id=ngo["me"].id,
            occurred_at=when,
            mode="visit",
            needs=[],
        )
    )
    db.session.commit()
    signin(client, ngo["me"])
    page = _text(client.get("/"))
    alice_row = page[page.find("Aliceova") : page.find("Hanaova")]
    assert ngo["today"].isoformat() in alice_row
    assert "No contact yet" in page[page.find("Bobova") : page.find("Aliceova")]


def test_home_records_one_list_read_with_the_caseload_ids(client, signin, ngo):
    signin(client, ngo["me"])
    client.get("/")
    events = list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.actor_id == ngo["me"].id).order_by(AuditEvent.id)
        )
    )
    read = [e for e in events if set(e.entity_ids) == {ngo[n].id for n in ("bob", "alice", "hana")}]
    assert read, [(e.action, e.entity_ids) for e in events]


def test_empty_caseload_says_what_to_do(client, make, signin, ngo):
    newcomer = make.user("caseworker", organisation=make.organisation())
    signin(client, newcomer)
    page = _text(client.get("/"))
    assert "Nobody is on your caseload yet." in page
    assert "accept the referral in the inbox" in page


# The person's card


def test_card_shows_follow_ups_contacts_outcomes_and_never_the_prison_number(client, signin, ngo):
    signin(client, ngo["me"])
    response = client.get(f"/aftercare/participants/{ngo['bob'].id}")
    assert response.status_code == 200
    page = _text(response)
    assert "Bob Bobova" in page and "Қазақша" in page
    assert (ngo["today"] - dt.timedelta(days=9)).isoformat() in page  # released on
    assert "Overdue" in page  # the day-7 follow-up
    assert "SECRET-BOB" not in page and "Colony Secret" not in page
    assert "Log a contact" in page and "Record an outcome" in page


@pytest.mark.parametrize("name", ["carol", "dan", "gus", "erin", "fay"])
def test_card_of_someone_out_of_scope_is_404_with_a_denied_event(client, signin, ngo, name):
    signin(client, ngo["me"])
    response = client.get(f"/aftercare/participants/{ngo[name].id}")
    assert response.status_code == 404
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == "denied").order_by(AuditEvent.id.desc())
    ).first()
    assert denied.entity_ids == [ngo[name].id] and denied.actor_id == ngo["me"].id
    assert client.get(f"/aftercare/participants/{ngo[name].id}/contacts/new").status_code == 404


def test_officer_opens_the_card_but_may_not_log_contacts(client, signin, ngo):
    signin(client, ngo["officer"])
    page = _text(client.get(f"/aftercare/participants/{ngo['bob'].id}"))
    assert "Bob Bobova" in page and "Log a contact" not in page
    assert client.get(f"/aftercare/participants/{ngo['bob'].id}/contacts/new").status_code == 403


def test_instructor_gets_no_aftercare_pages(client, make, signin, ngo):
    instructor = make.user("instructor", facility=ngo["facility"])
    cohort = make.cohort(ngo["facility"], instructors=[instructor])
    make.enrolment(cohort, ngo["bob"], status="completed")
    contact = Contact(
        participant_id=ngo["bob"].id,
        organisation_id=ngo["org_a"].id,
        caseworker_id=ngo["me"].id,
        occurred_at=dt.datetime.now(dt.UTC),
        mode="phone",
        needs=[],
    )
    db.session.add(contact)
    db.session.commit()
    signin(client, instructor)
    bob = ngo["bob"].id
    for path in (
        f"/aftercare/participants/{bob}",
        f"/aftercare/participants/{bob}/contacts/new",
        f"/aftercare/participants/{bob}/outcomes/new",
        f"/aftercare/contacts/{contact.id}",
        f"/aftercare/contacts/{contact.id}/edit",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/referrals/inbox").status_code == 403
    assert "/referrals/inbox" not in _text(client.get("/"))


# Logging, correcting and reading contacts


def test_log_a_failed_attempt_from_the_one_tap_link(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    link = re.search(
        rf'href="(/aftercare/participants/{ngo["bob"].id}/contacts/new)"', _text(client.get("/"))
    ).group(1)
    form = _text(client.get(link))
    # The form starts at today on the facility's clock, with every mode as a big radio.
    assert f'value="{ngo["today"].isoformat()}"' in form
    assert 'type="radio" id="mode-attempt_failed"' in form and "<legend>" in form
    assert "SECRET-BOB" not in form
    response = client.post(
        link,
        data={
            "csrf_token": csrf,
            "occurred_on": ngo["yesterday"],
            "occurred_time": "14:30",
            "mode": "attempt_failed",
            "location": "Home",
            "summary": "Nobody opened the door.",
            "needs": ["housing", "documents"],
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/aftercare/participants/{ngo['bob'].id}"
    [contact] = _contacts_of(ngo["bob"])
    assert contact.mode == "attempt_failed"
    assert contact.caseworker_id == ngo["me"].id and contact.organisation_id == ngo["org_a"].id
    assert sorted(contact.needs) == ["documents", "housing"]
    # 14:30 in Almaty is 09:30 UTC.
    assert contact.occurred_at.replace(tzinfo=dt.UTC) == dt.datetime.combine(
        ngo["today"] - dt.timedelta(days=1), dt.time(9, 30), tzinfo=dt.UTC
    )
    card = _text(client.get(f"/aftercare/participants/{ngo['bob'].id}"))
    assert "Nobody opened the door." in card and "Tried, could not reach" in card
    # A failed attempt does not meet the follow-up: still overdue.
    assert "Overdue" in card


def test_a_refused_contact_keeps_what_was_typed(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    summary = "Met at the bazaar;\nhe needs work boots — and a bus pass."
    response = client.post(
        f"/aftercare/participants/{ngo['bob'].id}/contacts/new",
        data={
            "csrf_token": csrf,
            "occurred_on": ngo["yesterday"],
            "occurred_time": "10:00",
            "location": "Bazaar",
            "summary": summary,
            "needs": ["work", "money"],
        },
    )
    assert response.status_code == 422
    page = _text(response)
    assert summary in page and 'value="Bazaar"' in page
    assert re.search(r'id="need-work" name="needs" value="work" checked', page)
    assert 'aria-describedby="mode-error"' in page and 'id="mode-error"' in page
    assert _contacts_of(ngo["bob"]) == []


def test_a_bad_time_is_refused_beside_the_when_field(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    response = client.post(
        f"/aftercare/participants/{ngo['bob'].id}/contacts/new",
        data={
            **_contact_form(occurred_on=ngo["yesterday"], occurred_time="25:99"),
            "csrf_token": csrf,
            "summary": "Kept",
        },
    )
    assert response.status_code == 422
    page = _text(response)
    assert 'id="f-occurred_time-error"' in page and "Kept" in page
    assert re.search(r'id="f-occurred_time"[^>]*aria-invalid="true"', page)


def test_editing_a_contact_keeps_the_earlier_version_in_its_history(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    client.post(
        f"/aftercare/participants/{ngo['alice'].id}/contacts/new",
        data={
            "csrf_token": csrf,
            "occurred_on": ngo["yesterday"],
            "occurred_time": "09:15",
            "mode": "visit",
            "summary": "First words",
        },
    )
    [contact] = _contacts_of(ngo["alice"])
    form = _text(client.get(f"/aftercare/contacts/{contact.id}/edit"))
    assert "First words" in form and 'name="version" value="1"' in form
    assert 'value="09:15"' in form  # the facility's clock, not UTC
    response = client.post(
        f"/aftercare/contacts/{contact.id}/edit",
        data={
            "csrf_token": csrf,
            "version": "1",
            "occurred_on": ngo["yesterday"],
            "occurred_time": "09:15",
            "mode": "office",
            "summary": "Corrected words",
            "needs": ["health"],
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/aftercare/contacts/{contact.id}"
    history = _text(client.get(f"/aftercare/contacts/{contact.id}"))
    assert history.find("Corrected words") < history.find("First words")
    assert "Version 1" in history and "Aliya Me" in history
    card = _text(client.get(f"/aftercare/participants/{ngo['alice'].id}"))
    assert "Edited" in card and "Corrected words" in card and "First words" not in card
    assert f'href="/aftercare/contacts/{contact.id}"' in card


def test_a_stale_edit_answers_409_and_keeps_the_typing(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    client.post(
        f"/aftercare/participants/{ngo['alice'].id}/contacts/new",
        data={
            **_contact_form(occurred_on=ngo["yesterday"], occurred_time="08:00"),
            "csrf_token": csrf,
            "summary": "One",
        },
    )
    [contact] = _contacts_of(ngo["alice"])
    edit = {
        **_contact_form(occurred_on=ngo["yesterday"], occurred_time="08:00"),
        "csrf_token": csrf,
    }
    client.post(
        f"/aftercare/contacts/{contact.id}/edit", data={**edit, "version": "1", "summary": "Two"}
    )
    response = client.post(
        f"/aftercare/contacts/{contact.id}/edit", data={**edit, "version": "1", "summary": "Three"}
    )
    assert response.status_code == 409
    page = _text(response)
    assert "Three" in page and 'name="version" value="2"' in page


def test_a_colleague_from_another_ngo_cannot_read_the_contact(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    client.post(
        f"/aftercare/participants/{ngo['bob'].id}/contacts/new",
        data={
            **_contact_form(occurred_on=ngo["yesterday"], occurred_time="08:00"),
            "csrf_token": csrf,
        },
    )
    [contact] = _contacts_of(ngo["bob"])
    signin(client, ngo["stranger"])
    assert client.get(f"/aftercare/contacts/{contact.id}").status_code == 404
    assert client.get(f"/aftercare/contacts/{contact.id}/edit").status_code == 404


# Outcomes


def test_record_an_outcome(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    form = _text(client.get(f"/aftercare/participants/{ngo['bob'].id}/outcomes/new"))
    assert f'value="{ngo["today"].isoformat()}"' in form and "SECRET-BOB" not in form
    response = client.post(
        f"/aftercare/participants/{ngo['bob'].id}/outcomes/new",
        data={
            "csrf_token": csrf,
            "observed_on": ngo["today"].isoformat(),
            "employment": "employed_formal",
            "uses_trained_skill": "yes",
            "housing": "stable",
            "note": "Joinery workshop in town",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    [outcome] = db.session.scalars(select(Outcome).where(Outcome.participant_id == ngo["bob"].id))
    assert outcome.employment == "employed_formal" and outcome.uses_trained_skill is True
    assert outcome.housing == "stable" and outcome.returned_to_custody is False
    card = _text(client.get(f"/aftercare/participants/{ngo['bob'].id}"))
    assert "Employed, with a contract" in card and "Joinery workshop in town" in card


def test_a_refused_outcome_keeps_the_note(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    response = client.post(
        f"/aftercare/participants/{ngo['bob'].id}/outcomes/new",
        data={
            "csrf_token": csrf,
            "observed_on": "not a day",
            "employment": "unemployed",
            "housing": "temporary",
            "note": "Looking for work with his cousin",
        },
    )
    assert response.status_code == 422
    page = _text(response)
    assert "Looking for work with his cousin" in page
    assert 'id="f-observed_on-error"' in page
    assert re.search(r'id="employment-unemployed"[^>]*checked', page)


# The referral inbox


def test_inbox_names_people_only_once_they_consented(client, signin, ngo):
    signin(client, ngo["me"])
    response = client.get("/referrals/inbox")
    assert response.status_code == 200
    page = _text(response)
    pending = page[
        page.find("Waiting for your answer") : page.find("Accepted by your organisation")
    ]
    assert "Dan Danova" in pending  # consent given, referral pending
    assert "Gusova" not in page and "Name shared after consent" in pending
    assert "Carolova" not in page  # another NGO's
    accepted = page[page.find("Accepted by your organisation") :]
    for name in ("Bob Bobova", "Alice Aliceova", "Hana Hanaova"):
        assert name in accepted
    assert "Berik Colleague" in accepted
    for name in ("bob", "dan", "gus", "erin", "fay"):
        assert f"SECRET-{name.upper()}" not in page


def test_accept_and_decline_from_the_inbox(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    referral_of = {
        name: db.session.scalar(select(Referral).where(Referral.participant_id == ngo[name].id))
        for name in ("dan", "gus")
    }
    response = client.post(f"/referrals/{referral_of['dan'].id}/accept", data={"csrf_token": csrf})
    assert response.status_code == 302 and response.headers["Location"] == "/referrals/inbox"
    response = client.post(f"/referrals/{referral_of['gus'].id}/decline", data={"csrf_token": csrf})
    assert response.status_code == 302
    db.session.expire_all()
    assert referral_of["dan"].status == "accepted"
    assert referral_of["dan"].assigned_caseworker_id == ngo["me"].id
    assert referral_of["gus"].status == "declined"
    # Dan (consented) joins my caseload at once.
    assert "Dan Danova" in _text(client.get("/")) or "Danova, Dan" in _text(client.get("/"))
    # Answering twice meets the rule, shown beside the referral.
    again = client.post(f"/referrals/{referral_of['gus'].id}/decline", data={"csrf_token": csrf})
    assert again.status_code == 422


def test_reassign_within_the_organisation(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    referral = db.session.scalar(select(Referral).where(Referral.participant_id == ngo["bob"].id))
    page = _text(client.get("/referrals/inbox"))
    assert f'action="/referrals/{referral.id}/assign"' in page
    assert "Other Worker" not in page  # only colleagues of my organisation are offered
    response = client.post(
        f"/referrals/{referral.id}/assign",
        data={"csrf_token": csrf, "caseworker_id": ngo["colleague"].id},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert referral.assigned_caseworker_id == ngo["colleague"].id
    home = _text(client.get("/"))
    assert home.find("Bobova") > home.find("Others in your organisation")


def test_reassign_outside_the_organisation_is_refused_beside_the_referral(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    referral = db.session.scalar(select(Referral).where(Referral.participant_id == ngo["bob"].id))
    response = client.post(
        f"/referrals/{referral.id}/assign",
        data={"csrf_token": csrf, "caseworker_id": ngo["stranger"].id},
    )
    assert response.status_code == 422
    page = _text(response)
    assert f'id="referral-error-{referral.id}"' in page
    db.session.expire_all()
    assert referral.assigned_caseworker_id == ngo["me"].id


def test_another_ngos_referral_is_404_in_the_inbox_actions(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    referral = db.session.scalar(select(Referral).where(Referral.participant_id == ngo["carol"].id))
    for action in ("accept", "decline"):
        response = client.post(f"/referrals/{referral.id}/{action}", data={"csrf_token": csrf})
        assert response.status_code == 404


def test_no_prison_number_or_inline_code_on_caseworker_pages(client, signin, ngo):
    csrf = signin(client, ngo["me"])
    client.post(
        f"/aftercare/participants/{ngo['bob'].id}/contacts/new",
        data={
            **_contact_form(occurred_on=ngo["yesterday"], occurred_time="08:00"),
            "csrf_token": csrf,
        },
    )
    [contact] = _contacts_of(ngo["bob"])
    bob = ngo["bob"].id
    for path in (
        "/",
        "/referrals/inbox",
        f"/aftercare/participants/{bob}",
        f"/aftercare/participants/{bob}/contacts/new",
        f"/aftercare/participants/{bob}/outcomes/new",
        f"/aftercare/contacts/{contact.id}",
        f"/aftercare/contacts/{contact.id}/edit",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        page = _text(response)
        assert "SECRET-" not in page and "Colony Secret" not in page, path
        # No inline script or style (CSP), and personal pages are not cached.
        assert not inline_script(page) and "style=" not in page, path
        assert response.headers["Cache-Control"] == "no-store", path
