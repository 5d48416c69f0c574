"""Every route, every role: the expected status, so no route ships unchecked.

A route added to the app without a row here fails `test_every_route_has_a_row`.
Each call uses a fresh session, so a logout or a reset cannot spoil the next.
"""

import importlib
import itertools
import pkgutil
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from prog_tracker.auth.sessions import start_session
from prog_tracker.extensions import db

ROLES = ("anon", "admin", "supervisor", "officer", "instructor", "caseworker")
_n = itertools.count(1)


@dataclass
class World:
    """The records the matrix acts on: all in facility A, country KZ."""

    facility: object
    organisation: object
    participant: object
    other_user: object
    token_id: str
    users: dict
    trade: object = None
    skill: object = None
    qualification: object = None
    cohort: object = None
    enrolment: object = None
    session: object = None
    certificate: object = None


def _participant_body(w):
    return {
        "prison_number": f"M-{next(_n)}",
        "given_name": "Dana",
        "family_name": "Ermek",
        "facility_id": w.facility.id,
    }


def _user_body(_w):
    return {
        "username": f"matrix{next(_n)}",
        "display_name": "Matrix User",
        "role": "supervisor",
        "password": "a long enough password",
    }


def _certifiable_body(w: World) -> dict:
    """A person in the cohort whose skill the instructor assessed competent."""
    from tests.factories import Factory

    make = Factory()
    person = make.participant(facility=w.facility)
    make.enrolment(w.cohort, person)
    make.assessment(w.cohort, person, w.skill, w.users["instructor"])
    return {"participant_id": person.id, "qualification_id": w.qualification.id}


def _new_candidate(w: World) -> dict:
    """A person in custody at the facility, to enrol."""
    from tests.factories import Factory

    return {"participant_id": Factory().participant(facility=w.facility).id}


ADMIN_PAGE = (302, 200, 403, 403, 403, 403)
ALL_READ = (401, 200, 200, 200, 200, 200)
ADMIN_CREATE = (401, 201, 403, 403, 403, 403)
ADMIN_CHANGE = (401, 200, 403, 403, 403, 403)
# The cohort's records: caseworkers have no way in.
COHORT_READ = (401, 200, 200, 200, 200, 404)
ADMIN_POST = (400, 302, 403, 403, 403, 403)

# (method, rule) -> (body or None, expected statuses in ROLES order)
MATRIX = {
    # Public
    ("GET", "/healthz"): (None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/readyz"): (None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/manifest.json"): (None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/openapi.json"): (None, (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/auth/login"): (
        lambda w: {"username": "matrix.login", "password": "correct horse battery staple"},
        (200, 200, 200, 200, 200, 200),
    ),
    # Own session
    ("POST", "/api/v1/auth/logout"): (None, (401, 204, 204, 204, 204, 204)),
    ("GET", "/api/v1/auth/me"): (None, (401, 200, 200, 200, 200, 200)),
    ("PATCH", "/api/v1/auth/me"): ({"locale": "fr"}, (401, 200, 200, 200, 200, 200)),
    # MFA is already on for admin and supervisor (409); others may start it.
    ("POST", "/api/v1/auth/mfa/setup"): (None, (401, 409, 409, 200, 200, 200)),
    ("POST", "/api/v1/auth/mfa/confirm"): ({"code": "000000"}, (401, 422, 422, 422, 422, 422)),
    ("POST", "/api/v1/auth/password"): (
        {"current_password": "wrong one", "new_password": "a new long password"},
        (401, 422, 422, 422, 422, 422),
    ),
    ("GET", "/api/v1/auth/tokens"): (None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/auth/tokens"): ({"name": "sync job"}, (401, 201, 201, 201, 201, 201)),
    # The token belongs to the officer; admins may revoke anyone's.
    ("DELETE", "/api/v1/auth/tokens/<token_id>"): (None, (401, 204, 404, 204, 404, 404)),
    # Users (admin only)
    ("GET", "/api/v1/users"): (None, (401, 200, 403, 403, 403, 403)),
    ("POST", "/api/v1/users"): (_user_body, (401, 201, 403, 403, 403, 403)),
    ("GET", "/api/v1/users/<user_id>"): (None, (401, 200, 403, 403, 403, 403)),
    ("PATCH", "/api/v1/users/<user_id>"): (
        {"display_name": "Renamed"},
        (401, 200, 403, 403, 403, 403),
    ),
    ("POST", "/api/v1/users/<user_id>/reset-password"): (
        {"password": "a temporary password"},
        (401, 200, 403, 403, 403, 403),
    ),
    ("POST", "/api/v1/users/<user_id>/reset-mfa"): (None, (401, 200, 403, 403, 403, 403)),
    # Directory
    ("GET", "/api/v1/facilities"): (None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/facilities"): (
        {"name": "New colony", "country": "KZ", "public_name": "Skills Centre"},
        (401, 201, 403, 403, 403, 403),
    ),
    ("GET", "/api/v1/facilities/<facility_id>"): (None, (401, 200, 200, 200, 200, 404)),
    ("PATCH", "/api/v1/facilities/<facility_id>"): (
        {"timezone": "Asia/Almaty"},
        (401, 200, 403, 403, 403, 404),
    ),
    ("GET", "/api/v1/organisations"): (None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/organisations"): (
        {"name": "New NGO", "country": "KZ", "kind": "ngo"},
        (401, 201, 403, 403, 403, 403),
    ),
    ("GET", "/api/v1/organisations/<organisation_id>"): (None, (401, 200, 200, 200, 200, 200)),
    ("PATCH", "/api/v1/organisations/<organisation_id>"): (
        {"kind": "employer"},
        (401, 200, 403, 403, 403, 403),
    ),
    # Participants: the instructor sees the participant through the cohort they teach;
    # caseworkers see nobody until the referral domain.
    ("GET", "/api/v1/participants"): (None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/participants"): (_participant_body, (401, 201, 403, 201, 403, 403)),
    ("GET", "/api/v1/participants/<participant_id>"): (None, (401, 200, 200, 200, 200, 404)),
    ("PATCH", "/api/v1/participants/<participant_id>"): (
        {"other_names": "Dana"},
        (401, 200, 403, 200, 403, 404),
    ),
    # Instructors never receive the release-date history and its reasons (SPEC §3).
    ("GET", "/api/v1/participants/<participant_id>/release-date-history"): (
        None,
        (401, 200, 200, 200, 404, 404),
    ),
    # Workshop catalogue (admin changes it, everyone reads it)
    ("GET", "/api/v1/trades"): (None, ALL_READ),
    ("POST", "/api/v1/trades"): (lambda w: {"name": f"Trade M{next(_n)}"}, ADMIN_CREATE),
    ("GET", "/api/v1/trades/<trade_id>"): (None, ALL_READ),
    ("PATCH", "/api/v1/trades/<trade_id>"): (lambda w: {"name": f"T{next(_n)}"}, ADMIN_CHANGE),
    ("GET", "/api/v1/skills"): (None, ALL_READ),
    ("POST", "/api/v1/skills"): (
        lambda w: {"trade_id": w.trade.id, "code": f"M-{next(_n)}", "title": "Joinery"},
        ADMIN_CREATE,
    ),
    ("GET", "/api/v1/skills/<skill_id>"): (None, ALL_READ),
    ("PATCH", "/api/v1/skills/<skill_id>"): ({"title": "Renamed"}, ADMIN_CHANGE),
    ("GET", "/api/v1/qualifications"): (None, ALL_READ),
    ("POST", "/api/v1/qualifications"): (
        lambda w: {
            "trade_id": w.trade.id,
            "title": "Joiner",
            "level": "2",
            "skill_ids": [w.skill.id],
        },
        ADMIN_CREATE,
    ),
    ("GET", "/api/v1/qualifications/<qualification_id>"): (None, ALL_READ),
    ("PATCH", "/api/v1/qualifications/<qualification_id>"): ({"level": "3"}, ADMIN_CHANGE),
    # Cohorts: officers of the facility run them, instructors see those they teach
    ("GET", "/api/v1/cohorts"): (None, ALL_READ),
    ("POST", "/api/v1/cohorts"): (
        lambda w: {
            "trade_id": w.trade.id,
            "facility_id": w.facility.id,
            "title": "Evening joinery",
            "start_date": date.today().isoformat(),
            "end_date": date.today().isoformat(),
            "capacity": 8,
        },
        (401, 201, 403, 201, 403, 403),
    ),
    ("GET", "/api/v1/cohorts/<cohort_id>"): (None, COHORT_READ),
    ("PATCH", "/api/v1/cohorts/<cohort_id>"): (
        {"title": "Renamed"},
        (401, 200, 403, 200, 403, 404),
    ),
    ("GET", "/api/v1/cohorts/<cohort_id>/enrolments"): (None, COHORT_READ),
    ("POST", "/api/v1/cohorts/<cohort_id>/enrolments"): (
        _new_candidate,
        (401, 201, 403, 201, 201, 404),
    ),
    ("GET", "/api/v1/cohorts/<cohort_id>/candidates"): (None, (401, 200, 403, 200, 200, 404)),
    ("GET", "/api/v1/enrolments/<enrolment_id>"): (None, COHORT_READ),
    # Allowed roles reach the rule (enrolled -> enrolled is not a move): 422.
    ("PATCH", "/api/v1/enrolments/<enrolment_id>"): (
        {"status": "enrolled"},
        (401, 422, 403, 422, 422, 404),
    ),
    ("GET", "/api/v1/cohorts/<cohort_id>/sessions"): (None, COHORT_READ),
    ("POST", "/api/v1/cohorts/<cohort_id>/sessions"): (
        lambda w: {"date": date.today().isoformat()},
        (401, 201, 403, 403, 201, 404),
    ),
    ("GET", "/api/v1/sessions/<session_id>"): (None, COHORT_READ),
    ("GET", "/api/v1/sessions/<session_id>/attendance"): (None, COHORT_READ),
    ("PUT", "/api/v1/sessions/<session_id>/attendance"): (
        lambda w: {"records": [{"participant_id": w.participant.id, "status": "present"}]},
        (401, 200, 403, 403, 200, 404),
    ),
    # Certification
    ("GET", "/api/v1/assessments"): (None, ALL_READ),
    ("POST", "/api/v1/assessments"): (
        lambda w: {
            "participant_id": w.participant.id,
            "skill_id": w.skill.id,
            "cohort_id": w.cohort.id,
            "result": "competent",
            "assessed_on": date.today().isoformat(),
        },
        (401, 201, 403, 403, 201, 404),
    ),
    ("GET", "/api/v1/certificates"): (None, ALL_READ),
    ("POST", "/api/v1/certificates"): (_certifiable_body, (401, 201, 201, 403, 403, 404)),
    ("GET", "/api/v1/certificates/<certificate_id>"): (None, COHORT_READ),
    ("GET", "/api/v1/certificates/<certificate_id>/pdf"): (None, COHORT_READ),
    # The admin revokes first; the supervisor then meets the rule (already revoked).
    ("POST", "/api/v1/certificates/<certificate_id>/revoke"): (
        {"reason": "Issued in error"},
        (401, 200, 422, 403, 403, 404),
    ),
    ("GET", "/api/v1/verify/<code>"): (None, (200, 200, 200, 200, 200, 200)),
    # Pages
    ("GET", "/"): (None, (302, 200, 200, 200, 200, 200)),
    ("GET", "/login"): (None, (200, 200, 200, 200, 200, 200)),
    # Anonymous form posts carry no pre-sign-in CSRF token here: refused.
    ("POST", "/login"): (
        {"username": "matrix.login", "password": "x"},
        (400, 401, 401, 401, 401, 401),
    ),
    ("POST", "/logout"): (None, (400, 302, 302, 302, 302, 302)),
    ("GET", "/settings"): (None, (302, 200, 200, 200, 200, 200)),
    ("POST", "/settings"): ({"display_name": "Me", "locale": "fr"}, (400, 302, 302, 302, 302, 302)),
    ("GET", "/settings/password"): (None, (302, 200, 200, 200, 200, 200)),
    ("POST", "/settings/password"): ({"current_password": "wrong"}, (400, 422, 422, 422, 422, 422)),
    ("GET", "/settings/mfa"): (None, (302, 200, 200, 200, 200, 200)),
    # Admin and supervisor already have MFA (page says so); others have not started.
    ("POST", "/settings/mfa"): ({"code": "000000"}, (400, 200, 200, 302, 302, 302)),
    # Admin pages
    ("GET", "/admin/users"): (None, ADMIN_PAGE),
    ("GET", "/admin/users/new"): (None, ADMIN_PAGE),
    ("POST", "/admin/users/new"): (_user_body, ADMIN_POST),
    ("GET", "/admin/users/<user_id>"): (None, ADMIN_PAGE),
    ("POST", "/admin/users/<user_id>"): (
        lambda w: {
            "display_name": "Renamed",
            "role": "officer",
            "facility_id": w.facility.id,
            "active": "true",
        },
        ADMIN_POST,
    ),
    ("POST", "/admin/users/<user_id>/reset-password"): (
        {"password": "a temporary password"},
        ADMIN_POST,
    ),
    ("POST", "/admin/users/<user_id>/reset-mfa"): ({}, ADMIN_POST),
    ("GET", "/admin/facilities"): (None, ADMIN_PAGE),
    ("GET", "/admin/facilities/new"): (None, ADMIN_PAGE),
    ("POST", "/admin/facilities/new"): (
        {"name": "New colony", "country": "KZ", "public_name": "Skills Centre"},
        ADMIN_POST,
    ),
    ("GET", "/admin/facilities/<facility_id>"): (None, ADMIN_PAGE),
    ("POST", "/admin/facilities/<facility_id>"): (
        lambda w: {
            "name": w.facility.name,
            "country": "KZ",
            "public_name": "Skills Centre",
            "timezone": "Asia/Almaty",
        },
        ADMIN_POST,
    ),
    ("GET", "/admin/organisations"): (None, ADMIN_PAGE),
    ("GET", "/admin/organisations/new"): (None, ADMIN_PAGE),
    ("POST", "/admin/organisations/new"): (
        {"name": "New NGO", "country": "KZ", "kind": "ngo"},
        ADMIN_POST,
    ),
    ("GET", "/admin/organisations/<organisation_id>"): (None, ADMIN_PAGE),
    ("POST", "/admin/organisations/<organisation_id>"): (
        {"name": "NGO", "country": "KZ", "kind": "employer"},
        ADMIN_POST,
    ),
    # Participant pages
    ("GET", "/participants"): (None, (302, 200, 200, 200, 200, 200)),
    ("GET", "/participants/new"): (None, (302, 200, 403, 200, 403, 403)),
    ("POST", "/participants/new"): (
        lambda w: {**_participant_body(w), "sex": "female"},
        (400, 302, 403, 302, 403, 403),
    ),
    ("GET", "/participants/<participant_id>"): (None, (302, 200, 200, 200, 200, 404)),
    ("GET", "/participants/<participant_id>/edit"): (None, (302, 200, 403, 200, 403, 404)),
    ("POST", "/participants/<participant_id>/edit"): (
        lambda w: {
            "prison_number": w.participant.prison_number,
            "given_name": "Dana",
            "family_name": "Ermek",
            "sex": "female",
            "other_names": "Dana",
        },
        (400, 302, 403, 302, 403, 404),
    ),
}


# Rows for the workshop and certification pages live beside their tests.
from tests.web.matrix_certification_pages import ROWS as CERTIFICATION_PAGE_ROWS  # noqa: E402
from tests.web.matrix_workshop_pages import ROWS as WORKSHOP_PAGE_ROWS  # noqa: E402

MATRIX.update(WORKSHOP_PAGE_ROWS)
MATRIX.update(CERTIFICATION_PAGE_ROWS)

# Later domains keep their rows in tests/matrix/<area>.py: each module has
# ROWS (merged here) and may have extend(make, world), which adds the records
# its routes act on as attributes of the world (<name_id> in a rule is
# replaced by world.<name>.id).
WORLD_EXTENSIONS = []
for _module in sorted(pkgutil.iter_modules([str(Path(__file__).parent / "matrix")])):
    _rows = importlib.import_module(f"tests.matrix.{_module.name}")
    MATRIX.update(_rows.ROWS)
    if hasattr(_rows, "extend"):
        WORLD_EXTENSIONS.append(_rows.extend)


def _rules(app: Flask):
    """Every (method, rule) the app serves, without HEAD/OPTIONS and static files."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule.rule


def test_every_route_has_a_row(app):
    missing = sorted(set(_rules(app)) - set(MATRIX))
    assert not missing, f"routes without an expected status per role: {missing}"
    stale = sorted(set(MATRIX) - set(_rules(app)))
    assert not stale, f"rows for routes that no longer exist: {stale}"


@pytest.fixture
def world(make):
    facility = make.facility(country="KZ")
    organisation = make.organisation(country="KZ")
    users = {
        "admin": make.user("admin"),
        "supervisor": make.user("supervisor", country="KZ"),
        "officer": make.user("officer", facility=facility),
        "instructor": make.user("instructor", facility=facility),
        "caseworker": make.user("caseworker", organisation=organisation),
    }
    make.user("officer", facility=facility, username="matrix.login")
    from prog_tracker.auth.services import create_api_token

    token, _raw = create_api_token(users["officer"], "matrix")
    world = World(
        facility,
        organisation,
        make.participant(facility=facility),
        make.user("officer", facility=facility),
        token.id,
        users,
    )
    _add_workshop(make, world)
    for extend in WORLD_EXTENSIONS:
        extend(make, world)
    return world


def _add_workshop(make, w: World) -> None:
    """A cohort taught by the instructor, the participant enrolled, and a certificate."""
    from prog_tracker.certification.certificates import new_code
    from prog_tracker.certification.models import Certificate

    w.trade = make.trade()
    w.skill = make.skill(w.trade)
    w.qualification = make.qualification(w.trade, skills=[w.skill])
    w.cohort = make.cohort(
        w.facility,
        instructors=[w.users["instructor"]],
        trade=w.trade,
        qualification_id=w.qualification.id,
    )
    w.enrolment = make.enrolment(w.cohort, w.participant)
    w.session = make.session(w.cohort)
    w.certificate = make._save(
        Certificate(
            participant_id=w.participant.id,
            qualification_id=w.qualification.id,
            code=new_code(),
            issued_on=date.today(),
            issued_by_id=w.users["supervisor"].id,
            holder_name="Dana Ermek",
            issuer_facility_id=w.facility.id,
            assessment_ids=[],
        )
    )


def _path(rule: str, w: World) -> str:
    path = (
        rule.replace("<participant_id>", w.participant.id)
        .replace("<user_id>", w.other_user.id)
        .replace("<facility_id>", w.facility.id)
        .replace("<organisation_id>", w.organisation.id)
        .replace("<token_id>", w.token_id)
        .replace("<trade_id>", w.trade.id)
        .replace("<skill_id>", w.skill.id)
        .replace("<qualification_id>", w.qualification.id)
        .replace("<cohort_id>", w.cohort.id)
        .replace("<enrolment_id>", w.enrolment.id)
        .replace("<session_id>", w.session.id)
        .replace("<certificate_id>", w.certificate.id)
        .replace("<code>", w.certificate.code)
    )
    # Any other <name_id> names a record an extension put on the world.
    return re.sub(r"<(\w+)_id>", lambda m: getattr(w, m.group(1)).id, path)


def _client_for(app, role, w):
    """A client with a fresh session for role (none for anon); returns (client, csrf)."""
    client = app.test_client()
    if role == "anon":
        return client, None
    row, token = start_session(w.users[role], fully_signed_in=True)
    db.session.commit()
    client.set_cookie("pt_session", token)
    return client, row.csrf_token


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda k: f"{k[0]} {k[1]}")
def test_route_answers_each_role_as_expected(app, world, key):
    method, rule = key
    body, expected = MATRIX[key]
    got = {}
    for role in ROLES:
        client, csrf = _client_for(app, role, world)
        payload = body(world) if callable(body) else body
        headers = {"X-CSRF-Token": csrf} if csrf else {}
        # Roles, not reasons, are checked here (reasons: tests/auditlog/test_reason_matrix.py).
        headers["X-Access-Reason"] = "case_review"
        kwargs = {"headers": headers}
        if payload is not None:
            kwargs["json" if rule.startswith("/api/") else "data"] = payload
        got[role] = client.open(_path(rule, world), method=method, **kwargs).status_code
    assert got == dict(zip(ROLES, expected, strict=True))


def _endpoints(app: Flask) -> dict:
    """(method, rule) -> endpoint name."""
    return {
        (method, rule.rule): rule.endpoint
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def _half_signed_in(app, w, state):
    """A client whose session still owes an MFA set-up or a new password."""
    from tests.factories import Factory

    make = Factory()
    if state == "mfa_pending":
        user = make.user("admin", mfa=False)
    else:
        user = make.user("officer", facility=w.facility, must_change_password=True)
    row, token = start_session(user, fully_signed_in=state != "mfa_pending")
    db.session.commit()
    client = app.test_client()
    client.set_cookie("pt_session", token)
    return client, row.csrf_token


@pytest.mark.parametrize("state", ["mfa_pending", "password_owed"])
def test_half_signed_in_sessions_reach_only_their_setup_routes(app, world, state):
    from prog_tracker.core.security import MFA_SETUP_ENDPOINTS, PASSWORD_CHANGE_ENDPOINTS

    allowed = MFA_SETUP_ENDPOINTS if state == "mfa_pending" else PASSWORD_CHANGE_ENDPOINTS
    code = "mfa_setup_required" if state == "mfa_pending" else "password_change_required"
    page = "/settings/mfa" if state == "mfa_pending" else "/settings/password"
    endpoints = _endpoints(app)
    wrong, checked = {}, 0
    for (method, rule), (body, _expected) in sorted(MATRIX.items()):
        endpoint = endpoints[(method, rule)]
        view = app.view_functions[endpoint]
        if endpoint in allowed or getattr(view, "is_public", False) or "openapi" in endpoint:
            continue
        client, csrf = _half_signed_in(app, world, state)
        payload = body(world) if callable(body) else body
        kwargs = {"headers": {"X-CSRF-Token": csrf}}
        if payload is not None:
            kwargs["json" if rule.startswith("/api/") else "data"] = payload
        response = client.open(_path(rule, world), method=method, **kwargs)
        checked += 1
        if rule.startswith("/api/"):
            ok = response.status_code == 403 and response.get_json()["error"]["code"] == code
        else:
            ok = response.status_code == 302 and response.headers["Location"] == page
        if not ok:
            wrong[f"{method} {rule}"] = response.status_code
    assert not wrong and checked > 30, (wrong, checked)


# Routes where a bearer token answers differently from the officer's session.
BEARER_DIFFERS = {
    # A token cannot mint more tokens, and has no session to end.
    ("POST", "/api/v1/auth/tokens"): 403,
    # Nor set up the second factor: that takes a password sign-in.
    ("POST", "/api/v1/auth/mfa/setup"): 403,
    ("POST", "/api/v1/auth/mfa/confirm"): 403,
}
# What a `sync` token may write besides reading: a field device's outbox and reminders.
SYNC_WRITES = {
    ("POST", "/api/v1/sync/push"),
    ("POST", "/api/v1/push/subscriptions"),
    ("DELETE", "/api/v1/push/subscriptions"),
}


def _bearer_wants(scope: str, method: str, rule: str, session_status: int) -> int:
    """The status a token of scope should get where the officer's session gets session_status."""
    sync_write = scope == "sync" and (method, rule) in SYNC_WRITES
    in_scope = scope == "full" or method == "GET" or sync_write
    return BEARER_DIFFERS.get((method, rule), session_status) if in_scope else 403


@pytest.mark.parametrize("scope", ["read", "sync", "full"])
def test_a_bearer_token_acts_with_its_users_permissions_within_its_scope(app, world, scope):
    from prog_tracker.auth.sessions import new_api_token

    # Made directly: a scope narrows what the user may do and never widens it, so
    # even a full token (not given to officers) acts exactly as the officer would.
    _row, raw = new_api_token(world.users["officer"], "matrix bearer", scope, 90)
    db.session.commit()
    officer_column = ROLES.index("officer")
    wrong = {}
    for (method, rule), (body, expected) in sorted(MATRIX.items()):
        if not rule.startswith("/api/") or rule.endswith("/auth/login"):
            continue
        payload = body(world) if callable(body) else body
        kwargs = {"headers": {"Authorization": f"Bearer {raw}"}}
        if payload is not None:
            kwargs["json"] = payload
        response = app.test_client().open(_path(rule, world), method=method, **kwargs)
        want = _bearer_wants(scope, method, rule, expected[officer_column])
        if response.status_code != want:
            wrong[f"{method} {rule}"] = (response.status_code, want)
    assert not wrong
