"""Fifty field users for a minute against gunicorn on PostgreSQL: requests/s, latency, errors.

Creates a scratch PostgreSQL database (dropped at the end unless --keep),
builds it with `prog-tracker init`, then seeds it (load_world.py, in a child
process with the instance's settings): organisations of --per-organisation
caseworkers, each holding --people released people with their whole aftercare
record, as many people out of every caseworker's scope, and a signed-in session
per caseworker (the field app's cookie and CSRF token). The app is served with
`prog-tracker serve --workers N` (gunicorn, the production options).

Each simulated user first pulls its whole scope (untimed: the phone's first
sync), then, from a random moment in the first --interval seconds, sends one
request every --interval seconds for --duration seconds: 60 % GET
/api/v1/caseload, 20 % GET /api/v1/sync/pull with the cursor of its previous
pull, 20 % POST /api/v1/sync/push of 5 new contacts for people in its
caseload. A request that takes longer than the interval delays only that
user's next one. Every answer is checked (200; the whole caseload; a cursor;
every mutation applied). The script prints requests per second, the p50, p95
and p99 latency overall and per kind, the error count and the load average,
and exits non-zero on any error, never on a slow time.

    .venv/bin/python bench/load.py [--users 50] [--duration 60] [--workers 2]
    .venv/bin/python bench/load.py --postgres postgresql+psycopg://postgres@db-host/postgres
"""

import argparse
import datetime as dt
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

# The server helpers of the caseload benchmark (this folder is on sys.path when run).
from caseload import bench_environment, command, free_port, start_server, stop_server
from load_world import create_database, drop_database, seed
from sync import Clock

P95_TARGET_MS = 300
MIX = (("caseload", 60), ("pull", 20), ("push", 20))
PUSH_SIZE = 5


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated field users")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument(
        "--interval", type=float, default=2.0, help="seconds between a user's requests"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--people", type=int, default=10, help="people assigned to each caseworker")
    parser.add_argument(
        "--per-organisation",
        type=int,
        default=5,
        help="caseworkers per organisation (each sees all its people)",
    )
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL maintenance database the scratch database is created from",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--random-seed", type=int, default=9, help="the request mix's seed")
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def prepare(instance: Path, url: str, args) -> dict:
    """`prog-tracker init` and the seed, each in its own process."""
    env = bench_environment(instance, url)
    subprocess.run([*command(), "init"], env=env, check=True, capture_output=True)  # noqa: S603
    options = ["--users", str(args.users), "--people", str(args.people)]
    options += ["--per-organisation", str(args.per_organisation)]
    done = subprocess.run(  # noqa: S603 - this script, in a child with the instance's env
        [sys.executable, __file__, "--seed-into", str(instance), *options],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"Seeding failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# The load.


class Tally:
    """Latencies and errors of every user, by kind of request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.late = 0

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        """One request's latency and its error, if any."""
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


class FieldUser:
    """One caseworker's phone: a keep-alive connection, a session cookie, a pull cursor."""

    def __init__(self, port: int, user: dict, rng: random.Random):
        self.port, self.user, self.rng = port, user, rng
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Cookie": f"pt_session={user['cookie']}", "X-CSRF-Token": user["csrf"]}
        self.cursor: str | None = None

    def call(self, method: str, path: str, body=None) -> tuple[int, dict]:
        """(status, JSON body) of one request on the kept-alive connection."""
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload, headers["Content-Type"] = json.dumps(body), "application/json"
        try:
            return self._send(method, path, payload, headers)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed the idle connection: once more on a new one, as a browser
            # does (safe for a push too: its mutation ids make a replay harmless).
            self.connection.close()
            return self._send(method, path, payload, headers)

    def _send(self, method: str, path: str, payload, headers: dict) -> tuple[int, dict]:
        """Send and read the whole answer."""
        self.connection.request(method, path, body=payload, headers=headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read() or b"null")

    def first_pull(self) -> str | None:
        """Pull the whole scope (every page) to get a cursor; an error text or None."""
        while True:
            path = "/api/v1/sync/pull" + (f"?cursor={self.cursor}" if self.cursor else "")
            status, body = self.call("GET", path)
            if status != 200:
                return f"first pull answered {status}: {str(body)[:200]}"
            self.cursor = body["cursor"]
            if not body["has_more"]:
                return None

    def one(self, kind: str) -> str | None:
        """One request of the given kind; an error text or None."""
        if kind == "caseload":
            status, body = self.call("GET", "/api/v1/caseload")
            if status != 200:
                return f"caseload answered {status}: {str(body)[:200]}"
            if len(body["items"]) != self.user["scope"] or body.get("next_cursor"):
                return f"caseload held {len(body['items'])} people, not {self.user['scope']}"
            return None
        if kind == "pull":
            status, body = self.call("GET", f"/api/v1/sync/pull?cursor={self.cursor}")
            if status != 200:
                return f"pull answered {status}: {str(body)[:200]}"
            self.cursor = body["cursor"]
            return None
        status, body = self.call("POST", "/api/v1/sync/push", self._batch())
        if status != 200:
            return f"push answered {status}: {str(body)[:200]}"
        wrong = [r for r in body["results"] if r["status"] != "applied"]
        return f"{len(wrong)} mutations not applied: {wrong[0]}" if wrong else None

    def _batch(self) -> dict:
        """PUSH_SIZE new contacts for people of this user's caseload."""
        moment = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)).isoformat()
        mutations = [
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": "contact",
                "op": "create",
                "id": str(uuid.uuid4()),
                "data": {
                    "participant_id": self.rng.choice(self.user["people"]),
                    "occurred_at": moment,
                    "mode": "phone",
                    "summary": "Called about the job interview.",
                },
            }
            for _ in range(PUSH_SIZE)
        ]
        return {"device_id": f"load-{self.user['people'][0][:8]}", "mutations": mutations}


def run_user(phone: FieldUser, args, start: threading.Barrier, clock: dict, tally: Tally) -> None:
    """The user's first sync, then one request every interval until the end."""
    try:
        problem = phone.first_pull()
    except (OSError, http.client.HTTPException, ValueError) as err:
        problem = f"first pull: {type(err).__name__}: {err}"
    if problem:
        tally.add("first pull", 0.0, problem)
    start.wait()  # everyone has a cursor: the timed minute begins for all at once
    begin = clock["start"]
    end = begin + args.duration
    due = begin + phone.rng.uniform(0, args.interval)
    kinds, weights = zip(*MIX, strict=True)
    while due < end:
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        else:
            with tally.lock:
                tally.late += 1
        kind = phone.rng.choices(kinds, weights)[0]
        started = time.perf_counter()
        try:
            problem = phone.one(kind)
        except (OSError, http.client.HTTPException, ValueError, KeyError) as err:
            problem = f"{kind}: {type(err).__name__}: {err}"
        tally.add(kind, time.perf_counter() - started, problem)
        due += args.interval
    phone.connection.close()


def drive(port: int, users: list, args) -> tuple[Tally, float]:
    """All the users at once; (their tally, seconds from the common start to the last answer)."""
    tally = Tally()
    clock: dict = {}
    start = threading.Barrier(
        len(users), action=lambda: clock.setdefault("start", time.monotonic())
    )
    threads = [
        threading.Thread(
            target=run_user,
            args=(
                FieldUser(port, user, random.Random(args.random_seed * 1000 + n)),
                args,
                start,
                clock,
                tally,
            ),
        )
        for n, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - clock["start"]


def percentiles(seconds: list[float]) -> tuple[float, float, float, float]:
    """(p50, p95, p99, max) in milliseconds."""
    if len(seconds) < 2:
        value = seconds[0] * 1000 if seconds else 0.0
        return value, value, value, value
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000, max(seconds) * 1000


def report(tally: Tally, elapsed: float, args, load_before: float) -> int:
    """Print the figures; the number of errors."""
    timed = {k: v for k, v in tally.latencies.items() if k != "first pull"}
    every = [s for values in timed.values() for s in values]
    errors = sum(len(v) for v in tally.errors.values())
    print(f"requests: {len(every)} in {elapsed:.1f} s = {len(every) / elapsed:.1f} requests/s")
    print(f"{'latency (ms)':<22}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'count':>8}")
    rows = [("all", every)] + [(kind, timed.get(kind, [])) for kind, _weight in MIX]
    for name, values in rows:
        p50, p95, p99, top = percentiles(values)
        label = {"push": f"push of {PUSH_SIZE}", "pull": "pull with a cursor"}.get(name, name)
        print(f"{label:<22}{p50:8.1f}{p95:8.1f}{p99:8.1f}{top:8.1f}{len(values):8}")
    p95 = percentiles(every)[1]
    verdict = "meets" if p95 <= P95_TARGET_MS else "MISSES"
    print(f"p95 {p95:.0f} ms: {verdict} the {P95_TARGET_MS} ms target")
    print(f"errors: {errors}")
    for kind, problems in tally.errors.items():
        print(f"  {kind}: {len(problems)}; the first: {problems[0]}")
    if tally.late:
        print(f"requests sent late (the one before took over {args.interval:g} s): {tally.late}")
    load_after = os.getloadavg()[0]
    print(
        f"load average: {load_before:.2f} before, {load_after:.2f} at the end "
        f"({os.cpu_count()} CPUs)"
    )
    return errors


def main(argv=None) -> int:
    """Create and seed the database, serve, drive the users, report; 1 on any error."""
    args = parse_args(argv)
    if args.seed_into:
        print(json.dumps(seed(args)))
        return 0
    name, url = create_database(args.postgres)
    try:
        with tempfile.TemporaryDirectory(prefix="prog-tracker-load-bench-") as folder:
            instance = Path(folder)
            started = time.perf_counter()
            world = prepare(instance, url, args)
            print(f"Seeded {args.users} caseworkers in {time.perf_counter() - started:.1f} s")
            port = free_port()
            server = start_server(
                args, bench_environment(instance, url), port, instance / "server.log"
            )
            try:
                print(
                    f"Serving on 127.0.0.1:{port} with {args.workers} workers (PostgreSQL {name}); "
                    f"{args.users} users, one request every {args.interval:g} s each "
                    f"for {args.duration:g} s"
                )
                load_before = os.getloadavg()[0]
                clock = Clock(server.pid)
                _wall, (tally, elapsed) = clock.timed(
                    "load", lambda: drive(port, world["users"], args)
                )
            finally:
                stop_server(server)
    finally:
        if args.keep:
            print(f"Kept the database {name}")
        else:
            drop_database(args.postgres, name)
    errors = report(tally, elapsed, args, load_before)
    cpu = clock.cpu["load"][0]
    if cpu is not None:
        # Wall times stretch when other work shares the machine; the workers' CPU much less.
        count = sum(len(v) for k, v in tally.latencies.items() if k != "first pull")
        print(
            f"server CPU (gunicorn workers, not PostgreSQL): {cpu:.1f} s, "
            f"{cpu / max(count, 1) * 1000:.1f} ms per request (the first pulls included)"
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
