"""PostgreSQL unreachable for a few seconds: 503 `unavailable`, nothing half-written,
and the service back on its own.

The server (gunicorn, as in production, so its connection pool and workers
live through the outage as they would in the field) reaches PostgreSQL only
through a TCP proxy that the test cuts: every open connection breaks and new
ones are refused. A push is paused after its first mutation when the cut
comes, so the outage lands in the middle of a write. While the proxy is cut,
reads, a push, an API write and an HTML form write all answer 503 with
Retry-After; the rows counted directly in the database show each change whole
or absent; once the proxy is back, the same requests succeed with no restart.
tests/core/test_unavailable.py covers the in-process app with no database at all.
"""

import datetime as dt
import http.client
import re
import threading
import time
import uuid
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from prog_tracker.aftercare.models import Contact
from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.sync.models import SyncMutation
from tests.factories import PASSWORD
from tests.faults.conftest import bearer, call, contact_batch, seed
from tests.faults.proxy import Proxy
from tests.faults.serve import PAUSE_DEVICE

pytestmark = [pytest.mark.faults, pytest.mark.own_database]
CUT_SECONDS = 3


def _through(proxy: Proxy, url: str) -> str:
    """The database URL with the proxy's port in place of the server's."""
    return make_url(url).set(port=proxy.port).render_as_string(hide_password=False)


def _sign_in(port: int, username: str) -> dict:
    """A browser-like session: its cookie and CSRF token, as headers for later calls."""
    status, headers, body = call(
        port, "POST", "/api/v1/auth/login", {"username": username, "password": PASSWORD}
    )
    assert status == 200, body
    cookie = re.search(r"pt_session=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    return {"Cookie": f"pt_session={cookie}", "X-CSRF-Token": body["csrf_token"]}


def _form(session: dict, person: str) -> tuple[str, bytes, dict]:
    """The 'log a contact' page's POST: (path, urlencoded body, headers)."""
    yesterday = dt.datetime.now(ZoneInfo("Asia/Almaty")).date() - dt.timedelta(days=1)
    fields = {
        "csrf_token": session["X-CSRF-Token"],
        "occurred_on": yesterday.isoformat(),
        "occurred_time": "10:00",
        "mode": "visit",
        "summary": "Home visit.",
    }
    body = urlencode(fields).encode()
    headers = {"Cookie": session["Cookie"], "Content-Type": "application/x-www-form-urlencoded"}
    return f"/aftercare/participants/{person}/contacts/new", body, headers


def _requests(world, session: dict) -> dict:
    """name -> (method, path, body, headers): reads, a push, an API write, a form write."""
    moment = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).isoformat()
    contact = {"id": str(uuid.uuid4()), "participant_id": world.people[1], "occurred_at": moment}
    form_path, form_body, form_headers = _form(session, world.people[2])
    batch = {"device_id": "field-phone", "mutations": contact_batch(world.people, 4)}
    return {
        "readyz": ("GET", "/readyz", None, {}),
        "caseload": ("GET", "/api/v1/caseload", None, bearer(world)),
        "pull": ("GET", "/api/v1/sync/pull", None, bearer(world)),
        "card page": ("GET", f"/aftercare/participants/{world.people[0]}", None, session),
        "push": ("POST", "/api/v1/sync/push", batch, bearer(world)),
        "api write": ("POST", "/api/v1/contacts", {**contact, "mode": "phone"}, session),
        "form write": ("POST", form_path, form_body, form_headers),
    }


def _written(world) -> dict:
    """What the database holds, read directly (not through the proxy)."""

    def read() -> dict:
        events = db.session.scalars(
            select(AuditEvent.entity_ids).where(AuditEvent.action == "contact.create")
        )
        return {
            "contacts": set(db.session.scalars(select(Contact.id))),
            "ledger": set(db.session.scalars(select(SyncMutation.record_id))),
            "audited": [i for ids in events for i in ids],
        }

    return {**world.read(read), "intact": world.audit_intact()}


def _whole(written: dict) -> None:
    """Every contact with its one audit event, every ledger row with its contact."""
    assert sorted(written["audited"]) == sorted(written["contacts"])
    assert written["ledger"] <= written["contacts"]
    assert written["intact"]


def _cut_in_the_middle(server, proxy: Proxy, body: dict, headers: dict):
    """Cut the proxy while a push is paused after its first mutation; the push's answer."""
    answer: list = []

    def send() -> None:
        try:
            answer.append(call(server.port, "POST", "/api/v1/sync/push", body, headers))
        except (OSError, http.client.HTTPException) as err:
            answer.append((None, {}, repr(err).encode()))

    pushing = threading.Thread(target=send)
    pushing.start()
    server.wait_paused()
    proxy.cut()  # the first mutation is committed; the second has not begun
    server.release()
    pushing.join(timeout=30)
    return answer[0] if answer else (None, {}, b"no answer in 30 s")


def test_a_database_outage_answers_503_writes_nothing_half_and_heals(
    scratch_url, tmp_path, servers
):
    world = seed(scratch_url, tmp_path / "instance")
    upstream = make_url(scratch_url).port or 5432
    with Proxy(upstream) as proxy:
        server = servers(_through(proxy, world.url), world.instance, workers=2)
        session = _sign_in(server.port, world.username)
        requests = _requests(world, session)
        assert call(server.port, "GET", "/readyz")[0] == 200

        paused = contact_batch(world.people, 6)
        body = {"device_id": PAUSE_DEVICE, "mutations": paused}
        answers = {"paused push": _cut_in_the_middle(server, proxy, body, bearer(world))}
        cut_at = time.monotonic()
        for name, (method, path, payload, headers) in requests.items():
            answers[name] = call(server.port, method, path, payload, headers)
        wrong = {name: _not_unavailable(reply) for name, reply in answers.items()}
        assert {name: why for name, why in wrong.items() if why} == {}
        during = _written(world)
        _whole(during)
        # Only the mutation committed before the cut is there, with its ledger row.
        assert during["contacts"] == during["ledger"] == {paused[0]["id"]}
        time.sleep(max(0.0, CUT_SECONDS - (time.monotonic() - cut_at)))

        proxy.restore()
        # No restart: the very next requests are served (broken pooled connections replaced).
        expected = {name: {"api write": 201, "form write": 302}.get(name, 200) for name in requests}
        served = {name: call(server.port, *request) for name, request in requests.items()}
        assert {name: reply[0] for name, reply in served.items()} == expected
        status, _headers, reply = call(
            server.port, "POST", "/api/v1/sync/push", body, bearer(world)
        )
        assert status == 200, reply
        statuses = [r["status"] for r in reply["results"]]
        assert statuses == ["duplicate"] + ["applied"] * (len(paused) - 1)
    after = _written(world)
    _whole(after)
    # The paused batch, the cut push's batch, the API write and the form write: each once.
    assert len(after["contacts"]) == len(paused) + 4 + 1 + 1
    assert len(after["ledger"]) == len(paused) + 4


def _not_unavailable(answer: tuple) -> str | None:
    """What is wrong with an answer that should be a 503 `unavailable`, or None.

    API routes: the standard JSON error; pages: an HTML error page; both with Retry-After.
    """
    status, headers, body = answer
    if status != 503:
        return f"{status}: {body if isinstance(body, dict) else body[:200]!r}"
    if not headers.get("Retry-After", "").isdigit() or int(headers["Retry-After"]) <= 0:
        return f"Retry-After is {headers.get('Retry-After')!r}"
    if isinstance(body, dict):
        error = body.get("error") or {}
        if set(body) != {"error"} or error.get("code") != "unavailable" or not error.get("message"):
            return f"not the standard unavailable error: {body}"
    elif not headers.get("Content-Type", "").startswith("text/html"):
        return f"neither JSON nor a page: {headers.get('Content-Type')}"
    return None
