"""Time a 500-contact push and a first pull of a 200-person caseload against a real server.

Builds a SQLite database in a temporary instance folder (`prog-tracker init`,
then a caseworker whose organisation follows 200 released people, each with a
referral, a consent, follow-ups, a release plan, contacts and an outcome, plus
as many people out of scope), serves it with `prog-tracker serve --workers 2`
(gunicorn), and times over HTTP, one request at a time:

- GET /healthz round trips (the yardstick);
- the first pull of the whole caseload (every page, no cursor);
- a push of 500 contact mutations (new each round), and the same batch again
  (all duplicates);
- an incremental pull with nothing new.

Each figure is the median of --rounds, printed as seconds and as a multiple of
a /healthz round trip, with the CPU seconds the server's workers spent on it
(wall times stretch when other work shares the machine; CPU time much less).
Every answer is checked (200, every mutation applied, every person pulled);
the script exits non-zero on any error, never on a time.

    .venv/bin/python bench/sync.py [--rounds 5] [--people 200]
"""

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

# The server helpers of the caseload benchmark (this folder is on sys.path when run).
from caseload import bench_environment, command, free_port, start_server, stop_server

PUSH_TARGET = 1.5
PULL_TARGET = 0.5
BATCH = 500


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200, help="people in the caseload")
    parser.add_argument("--contacts", type=int, default=5, help="contacts per person")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def seed(people: int, contacts: int) -> dict:
    """The caseload (run inside the instance's app); returns ids and an API token."""
    from prog_tracker import create_app
    from prog_tracker.auth.services import create_api_token
    from prog_tracker.extensions import db

    app = create_app()
    with app.app_context():
        world = _world(people, contacts)
        token = create_api_token(world.pop("user"), "sync benchmark")[1]
        db.session.commit()
    return {**world, "token": token}


def _world(people: int, contacts: int) -> dict:
    """A facility, an NGO, its caseworker, and the people (committed)."""
    from prog_tracker.auth.models import User
    from prog_tracker.auth.passwords import hash_password
    from prog_tracker.directory.models import Facility, Organisation
    from prog_tracker.extensions import db

    facility = Facility(name="Bench colony", country="KZ", public_name="Bench centre")
    facility.timezone = "Asia/Almaty"
    ngo = Organisation(name="Bench NGO", country="KZ", kind="ngo")
    db.session.add_all([facility, ngo])
    db.session.flush()
    user = User(
        username="bench.sync",
        display_name="Bench caseworker",
        role="caseworker",
        organisation_id=ngo.id,
        password_hash=hash_password(uuid.uuid4().hex),
    )
    db.session.add(user)
    db.session.flush()
    ids = [seed_person(facility, ngo, user, f"{n:05d}", contacts, True) for n in range(people)]
    for n in range(people, 2 * people):  # as many out of the caseworker's scope
        seed_person(facility, ngo, user, f"{n:05d}", contacts, False)
    db.session.commit()
    return {"user": user, "people": ids}


def seed_person(facility, ngo, user, key: str, contacts: int, in_scope: bool, label="Bench"):
    """One person released 100 days ago (id returned); in scope of user: an accepted
    referral, consent, a done plan, contacts and an outcome."""
    from prog_tracker.aftercare.models import Contact, Outcome
    from prog_tracker.extensions import db
    from prog_tracker.participants.models import Participant
    from prog_tracker.partners.models import Consent, Referral
    from prog_tracker.release.followups import create_schedule
    from prog_tracker.release.models import PLAN_KINDS, ReleaseEpisode, ReleasePlanItem

    released = dt.date.today() - dt.timedelta(days=100)
    person = Participant(
        facility_id=facility.id,
        prison_number=f"{label[0]}-{key}",
        given_name=label,
        family_name=f"Person {key}",
        status="released",
        actual_release_date=released,
    )
    db.session.add(person)
    db.session.flush()
    episode = ReleaseEpisode(participant_id=person.id, released_on=released)
    db.session.add(episode)
    db.session.flush()
    create_schedule(episode)
    if not in_scope:
        return person.id
    common = {"participant_id": person.id, "organisation_id": ngo.id}
    db.session.add_all(
        [
            Referral(
                **common,
                status="accepted",
                referred_by_id=user.id,
                assigned_caseworker_id=user.id,
            ),
            Consent(**common, given_on=released, method="signed", recorded_by_id=user.id),
            Outcome(
                **common,
                recorded_by_id=user.id,
                observed_on=released + dt.timedelta(days=60),
                employment="employed_formal",
                housing="stable",
            ),
            *(
                ReleasePlanItem(participant_id=person.id, kind=kind, status="done")
                for kind in PLAN_KINDS
            ),
            *(
                Contact(
                    **common,
                    caseworker_id=user.id,
                    # Spread over the 90 days since release.
                    occurred_at=dt.datetime.now(dt.UTC)
                    - dt.timedelta(days=90 - day * 90 // max(contacts, 1)),
                    mode="visit",
                    summary="Visited at home; looking for work.",
                    needs=["work"],
                )
                for day in range(contacts)
            ),
        ]
    )
    return person.id


def prepare(instance: Path, args) -> dict:
    """`prog-tracker init` and the seed, each in its own process."""
    env = bench_environment(instance)
    subprocess.run([*command(), "init"], env=env, check=True, capture_output=True)  # noqa: S603
    done = subprocess.run(  # noqa: S603 - this script, in a child with the instance's env
        [
            sys.executable,
            __file__,
            "--seed-into",
            str(instance),
            "--people",
            str(args.people),
            "--contacts",
            str(args.contacts),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"Seeding failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Client:
    """One keep-alive connection to the server."""

    def __init__(self, port: int, token: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body=None) -> tuple[int, dict, int]:
        """(status, JSON body, bytes received)."""
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=payload, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw), len(raw)


class Clock:
    """Wall time of an operation, and the CPU time the server's processes spent on it.

    Other work on the machine stretches wall times; the server's CPU seconds
    (read from /proc, Linux only) show what the operation itself cost.
    """

    def __init__(self, server_pid: int):
        self.pid = server_pid
        self.cpu: dict = {}

    def timed(self, name: str, fn) -> tuple[float, object]:
        """(wall seconds, result) of fn(); its server CPU seconds go to self.cpu[name]."""
        cpu = self._server_cpu()
        started = time.perf_counter()
        result = fn()
        wall = time.perf_counter() - started
        used = self._server_cpu() - cpu if cpu is not None else None
        self.cpu.setdefault(name, []).append(used)
        return wall, result

    def _server_cpu(self) -> float | None:
        """User + system seconds of the gunicorn master's workers, or None off Linux."""
        try:
            children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
            ticks = 0
            for child in children:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            return None
        return ticks / os.sysconf("SC_CLK_TCK")


def healthz_round_trip(client: Client, count: int = 300) -> float:
    """Mean seconds of one GET /healthz."""
    for _ in range(20):
        client.call("GET", "/healthz")
    started = time.perf_counter()
    for _ in range(count):
        client.call("GET", "/healthz")
    return (time.perf_counter() - started) / count


def first_pull(client: Client, people: set) -> dict:
    """Every page of a pull without a cursor; checks that every person came."""
    pages, changes, size, cursor = 0, [], 0, None
    while True:
        path = "/api/v1/sync/pull" + (f"?cursor={cursor}" if cursor else "")
        status, body, length = client.call("GET", path)
        if status != 200:
            sys.exit(f"pull answered {status}: {body}")
        pages, size, cursor = pages + 1, size + length, body["cursor"]
        changes += body["changes"]
        if not body["has_more"]:
            break
    pulled = {c["id"] for c in changes if c["entity"] == "participant"}
    if pulled != people:
        sys.exit(f"the pull brought {len(pulled)} people, not {len(people)}")
    return {"pages": pages, "records": len(changes), "bytes": size, "cursor": cursor}


def contact_batch(people: list) -> list:
    """500 new contact mutations spread over the caseload."""
    moment = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).isoformat()
    return [
        {
            "mutation_id": str(uuid.uuid4()),
            "entity": "contact",
            "op": "create",
            "id": str(uuid.uuid4()),
            "data": {
                "participant_id": people[n % len(people)],
                "occurred_at": moment,
                "mode": "phone",
                "summary": "Called about the job interview.",
            },
        }
        for n in range(BATCH)
    ]


def push(client: Client, batch: list, expected: str) -> None:
    """POST the batch; every result must have the expected status."""
    status, body, _ = client.call(
        "POST", "/api/v1/sync/push", {"device_id": "bench", "mutations": batch}
    )
    if status != 200:
        sys.exit(f"push answered {status}: {body}")
    wrong = [r for r in body["results"] if r["status"] != expected]
    if wrong:
        sys.exit(f"{len(wrong)} results were not {expected}; the first: {wrong[0]}")


def measure(client: Client, clock: Clock, world: dict, rounds: int) -> dict:
    """Median seconds of each operation, and what the pull carried."""
    people = set(world["people"])
    walls: dict = {}
    shape: dict = {}
    for _ in range(rounds):
        wall, shape = clock.timed("pull", lambda: first_pull(client, people))
        walls.setdefault("pull", []).append(wall)
    for _ in range(rounds):
        path = f"/api/v1/sync/pull?cursor={shape['cursor']}"
        wall, answer = clock.timed("incremental", lambda path=path: client.call("GET", path))
        walls.setdefault("incremental", []).append(wall)
        shape["cursor"] = answer[1]["cursor"]
    for _ in range(rounds):
        batch = contact_batch(world["people"])
        wall, _ = clock.timed("push", lambda batch=batch: push(client, batch, "applied"))
        walls.setdefault("push", []).append(wall)
        wall, _ = clock.timed("replay", lambda batch=batch: push(client, batch, "duplicate"))
        walls.setdefault("replay", []).append(wall)
    figures = {name: statistics.median(values) for name, values in walls.items()}
    cpu = {
        name: statistics.median(values) if None not in values else None
        for name, values in clock.cpu.items()
    }
    return {**figures, "cpu": cpu, "shape": shape}


def report(health: float, figures: dict, people: int) -> None:
    """Print each figure as seconds and as /healthz round trips."""
    shape = figures["shape"]
    print(f"GET /healthz round trip: {health * 1000:.2f} ms")
    pulled = (
        f"{shape['records']} records, {shape['pages']} page(s), {shape['bytes'] / 1024:.0f} KiB"
    )
    rows = (
        ("pull", f"first pull, {people} people ({pulled})", PULL_TARGET),
        ("incremental", "incremental pull, nothing new", None),
        ("push", f"push of {BATCH} new contacts", PUSH_TARGET),
        ("replay", f"the same {BATCH} again (duplicates)", None),
    )
    for name, label, target in rows:
        seconds = figures[name]
        verdict = ""
        if target is not None:
            verdict = f" ({'meets' if seconds <= target else 'MISSES'} the {target} s target)"
        cpu = figures["cpu"].get(name)
        spent = f"; server CPU {cpu:.3f} s" if cpu is not None else ""
        print(f"{label}: {seconds:.3f} s = {seconds / health:,.0f} x /healthz{verdict}{spent}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")


def main(argv=None) -> int:
    """Seed, serve, measure, report."""
    args = parse_args(argv)
    if args.seed_into:
        print(json.dumps(seed(args.people, args.contacts)))
        return 0
    with tempfile.TemporaryDirectory(prefix="prog-tracker-sync-bench-") as folder:
        instance = Path(folder)
        world = prepare(instance, args)
        port = free_port()
        server = start_server(args, bench_environment(instance), port, instance / "server.log")
        try:
            client = Client(port, world["token"])
            print(f"Serving on 127.0.0.1:{port} with {args.workers} workers (SQLite)")
            health = healthz_round_trip(client)
            figures = measure(client, Clock(server.pid), world, args.rounds)
        finally:
            stop_server(server)
    report(health, figures, args.people)
    return 0


if __name__ == "__main__":
    sys.exit(main())
