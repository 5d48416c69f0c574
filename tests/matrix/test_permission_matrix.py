"""Every route, every role: the expected status, so no route ships unchecked.

A route added to the app without a row in tests/matrix/ fails `test_every_route_has_a_row`.
Each call uses a fresh session, so a logout or a reset cannot spoil the next.
"""

import importlib
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


# The rows live beside this file: tests/matrix/<domain>.py (API) and
# <domain>_pages.py (pages). Each module has ROWS, (method, rule) -> (body or
# None or callable(world), expected statuses in ROLES order), merged here, and
# may have extend(make, world), which adds the records its routes act on as
# attributes of the world (<name_id> in a rule is replaced by world.<name>.id).
# A row given twice is an error: the later one would silently replace the first.
MATRIX: dict = {}
WORLD_EXTENSIONS = []
for _module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)])):
    if _module.name.startswith("test_"):
        continue  # this module, and any other test module beside the rows
    _rows = importlib.import_module(f"tests.matrix.{_module.name}")
    _twice = set(MATRIX) & set(_rows.ROWS)
    assert not _twice, f"tests/matrix/{_module.name}.py repeats rows: {sorted(_twice)}"
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
