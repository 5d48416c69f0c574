"""Random offline edits, syncs, lost answers and retries keep the server equal to a model.

A device of a caseworker creates and edits contacts offline, while a colleague
edits on the server; syncs push the whole outbox and pull. An answer may be
lost (the server applied the batch, the device never heard): the outbox is
then sent again. A push without a session is refused (401) and changes nothing.
The model says what the server must hold and what each result must be.
"""

import datetime as dt
import uuid

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from prog_tracker.aftercare.models import Contact
from prog_tracker.auth.sessions import start_session
from prog_tracker.extensions import db
from tests.conftest import Api

SUMMARIES = st.sampled_from(["Met", "Phoned", "Found work", "Moved house"])


def _signed_in(app, user) -> Api:
    """A client with a fresh server-side session for user (no password hashing)."""
    row, token = start_session(user, fully_signed_in=True)
    db.session.commit()
    client = app.test_client()
    client.set_cookie("pt_session", token)
    return Api(client, row.csrf_token)


def _occurred() -> str:
    """An hour ago, as the device writes it."""
    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()


def make_machine(app, make):
    """The state machine class, bound to this test's app and factories."""

    class OfflineDevice(RuleBasedStateMachine):
        """One caseworker's device against the server, and the model of the server."""

        def __init__(self):
            super().__init__()
            ngo = make.organisation()
            self.caseworker = make.user("caseworker", organisation=ngo)
            colleague = make.user("caseworker", organisation=ngo)
            # Released two days ago: "an hour ago" is after the release day at the
            # facility whatever the hour (Almaty's day starts at 19:00 UTC).
            released_on = dt.date.today() - dt.timedelta(days=2)
            self.people = [
                make.client_of(self.caseworker, released_on=released_on) for _ in range(2)
            ]
            self.device = _signed_in(app, self.caseworker)
            self.other = _signed_in(app, colleague)
            self.model: dict = {}  # contact id -> (summary, version): what the server holds
            self.applied: dict = {}  # mutation_id -> (id, version) first answered
            self.outbox: list = []
            self.held: dict = {}  # contact id -> (summary, version): what the device holds
            self.cursor = None

        @rule(person=st.integers(0, 1), summary=SUMMARIES, valid=st.integers(0, 5))
        def create_offline(self, person, summary, valid):
            """The device records a contact offline; now and then one the server must
            refuse (dated in the future): rejected, and nothing written."""
            data = {
                "participant_id": self.people[person].id,
                "occurred_at": _occurred() if valid else "2999-01-01T00:00:00Z",
                "mode": "visit",
                "summary": summary,
            }
            self._queue("create", str(uuid.uuid4()), None, data)

        @precondition(lambda self: self.held)
        @rule(pick=st.integers(0, 50), summary=SUMMARIES)
        def edit_offline(self, pick, summary):
            """The device corrects a contact it holds, based on the version it holds."""
            record_id = sorted(self.held)[pick % len(self.held)]
            self._queue("update", record_id, self.held[record_id][1], {"summary": summary})

        @precondition(lambda self: self.model)
        @rule(pick=st.integers(0, 50), summary=SUMMARIES)
        def colleague_edits_on_the_server(self, pick, summary):
            """A colleague corrects a contact online (the device's edit may now conflict)."""
            record_id = sorted(self.model)[pick % len(self.model)]
            response = self.other.patch(f"/contacts/{record_id}", json={"summary": summary})
            assert response.status_code == 200, response.get_json()
            self.model[record_id] = (summary, response.get_json()["version"])

        @rule(lost=st.booleans())
        def sync(self, lost):
            """Push the outbox, then pull; a lost answer leaves the outbox as it was."""
            expected = [self._expect(m) for m in self.outbox]
            body = {"device_id": "phone", "mutations": self.outbox}
            response = self.device.post("/sync/push", json=body)
            assert response.status_code == 200, response.get_json()
            found = response.get_json()["results"]
            assert [r["status"] for r in found] == [e[0] for e in expected]
            for mutation, result, (status, version) in zip(
                self.outbox, found, expected, strict=True
            ):
                if status == "applied":
                    self.applied[mutation["mutation_id"]] = (result["id"], result["version"])
                if version is not None:
                    assert result["version"] == version
            if lost:
                return
            self.outbox = []
            self._pull()

        @rule()
        def push_without_a_session(self):
            """A push after the session ended: 401, the outbox waits."""
            response = app.test_client().post(
                "/api/v1/sync/push", json={"device_id": "phone", "mutations": self.outbox}
            )
            assert response.status_code == 401

        def _queue(self, op, record_id, base_version, data):
            """Add a mutation to the device's outbox."""
            self.outbox.append(
                {
                    "mutation_id": str(uuid.uuid4()),
                    "entity": "contact",
                    "op": op,
                    "id": record_id,
                    "base_version": base_version,
                    "data": data,
                }
            )

        def _expect(self, m) -> tuple:
            """What the server must answer to m, applying it to the model: (status, version)."""
            if m["mutation_id"] in self.applied:
                return "duplicate", self.applied[m["mutation_id"]][1]
            if m["data"].get("occurred_at", "").startswith("2999"):
                return "rejected", None
            if m["op"] == "create":
                self.model[m["id"]] = (m["data"]["summary"], 1)
                return "applied", 1
            summary, version = self.model[m["id"]]
            if m["base_version"] != version:
                return "conflict", version
            if m["data"]["summary"] != summary:
                version += 1
            self.model[m["id"]] = (m["data"]["summary"], version)
            return "applied", version

        def _pull(self):
            """Pull until done, applying changes and removals to what the device holds."""
            while True:
                query = {"cursor": self.cursor} if self.cursor else {}
                response = self.device.get("/sync/pull", query_string=query)
                assert response.status_code == 200, response.get_json()
                body = response.get_json()
                for change in body["changes"]:
                    if change["entity"] == "contact":
                        self.held[change["id"]] = (change["data"]["summary"], change["version"])
                for gone in body["removed"]:
                    self.held.pop(gone["id"], None)
                self.cursor = body["cursor"]
                if not body["has_more"]:
                    break
            assert self.held == self.model

        @invariant()
        def server_holds_exactly_the_model(self):
            """Each record once, with the model's text and version."""
            ids = [p.id for p in self.people]
            rows = db.session.execute(
                select(Contact.id, Contact.summary, Contact.version).where(
                    Contact.participant_id.in_(ids)
                )
            ).all()
            assert {row.id: (row.summary, row.version) for row in rows} == self.model

    return OfflineDevice


def test_offline_edits_syncs_failures_and_retries_keep_server_and_model_equal(app, make):
    from hypothesis.stateful import run_state_machine_as_test

    machine = make_machine(app, make)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=10,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        ),
    )
