"""Requests per second of GET /api/v1/caseload against GET /healthz on the same server.

Builds (or with --reuse, reuses) a SQLite database of 20,000 synthetic
participants with `prog-tracker init` and `prog-tracker seed-scale`, gives the
benchmark caseworker (50 people in scope) an API token, serves the app with
`prog-tracker serve --workers 2` (gunicorn) on a free local port, and measures
both endpoints in alternating rounds so machine noise hits both alike. Every
response must be 200 and every caseload must hold exactly the 50 people; the
script exits non-zero on any error, never on a low ratio.

    .venv/bin/python bench/caseload.py [--reuse] [--rounds 3] [--seconds 5]

`--path /api/v1/auth/me` measures another endpoint the same way (checked for
200 only), e.g. the fixed cost of any request signed in with a token, or
`--path /api/v1/participants/<id>` that of the smallest audited read.

`--database-url postgresql+psycopg://…/bench` runs on an empty PostgreSQL
database instead (with --reuse, on the one a previous run filled).
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGET_RATIO = 0.25
BENCH_USERNAME = "bench.caseworker"
CASELOAD_SIZE = 50


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=20000)
    parser.add_argument(
        "--instance",
        type=Path,
        default=Path(tempfile.gettempdir()) / "prog-tracker-bench",
        help="instance folder of the benchmark database (default: %(default)s)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database a previous run built there"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="per endpoint and round")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per endpoint")
    parser.add_argument("--threads", type=int, default=4, help="concurrent client connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--path", default="/api/v1/caseload", help="the endpoint measured")
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite")
    return parser.parse_args(argv)


def command() -> list[str]:
    """The prog-tracker console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("prog-tracker")
    if script.exists():
        return [str(script)]
    found = shutil.which("prog-tracker")
    if not found:
        sys.exit("prog-tracker is not installed in this environment")
    return [found]


def bench_environment(instance: Path, database_url: str | None = None) -> dict:
    """The environment of every child: only the instance folder from PROG_TRACKER_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROG_TRACKER_")}
    # Several production workers share their rate-limit counters in Redis, as
    # `serve` requires (it refuses --workers N>1 without a shared store).
    env["PROG_TRACKER_REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    env["PROG_TRACKER_INSTANCE_PATH"] = str(instance)
    if database_url:
        env["PROG_TRACKER_DATABASE_URL"] = database_url
    return env


def prepare_database(args, env: dict) -> float | None:
    """init + seed-scale in the instance folder; returns the seed time (None if reused)."""
    database = args.instance / "prog_tracker.db"
    if args.reuse and (database.exists() or args.database_url):
        print(f"Reusing {args.database_url.rsplit('@', 1)[-1] if args.database_url else database}")
        return None
    if args.instance.exists():
        shutil.rmtree(args.instance)
    subprocess.run([*command(), "init"], env=env, check=True, capture_output=True)  # noqa: S603
    started = time.perf_counter()
    seeded = subprocess.run(  # noqa: S603 - our own console script
        [*command(), "seed-scale", "--participants", str(args.participants)],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if seeded.returncode != 0:
        sys.exit(f"seed-scale failed:\n{seeded.stdout}{seeded.stderr}")
    print(seeded.stdout.rstrip())
    return elapsed


def issue_token(instance: Path, env: dict) -> str:
    """An API token for the benchmark caseworker (written in its own process)."""
    code = (
        "from sqlalchemy import select\n"
        "from prog_tracker import create_app\n"
        "from prog_tracker.auth.models import User\n"
        "from prog_tracker.auth.services import create_api_token\n"
        "from prog_tracker.extensions import db\n"
        "with create_app().app_context():\n"
        f"    user = db.session.scalar(select(User).where(User.username == {BENCH_USERNAME!r}))\n"
        "    print(create_api_token(user, 'caseload benchmark')[1])\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"Could not create the API token:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(args, env: dict, port: int, log_path: Path) -> subprocess.Popen:
    """prog-tracker serve in the background; returns once /healthz answers."""
    log = log_path.open("w")
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [*command(), "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The server stopped at start; see {log_path}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    sys.exit(f"The server did not answer within 30 s; see {log_path}")


def stop_server(server: subprocess.Popen) -> None:
    """Stop the gunicorn master (it stops its workers)."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class Load:
    """Client threads sending one request over and over for a fixed time."""

    def __init__(self, port: int, path: str, headers: dict, check):
        self.port, self.path, self.headers, self.check = port, path, headers, check
        self.lock = threading.Lock()
        self.count = 0
        self.errors: list[str] = []

    def run(self, threads: int, seconds: float) -> float:
        """Requests per second over `seconds` with `threads` connections."""
        self.count = 0
        deadline = time.monotonic() + seconds
        workers = [threading.Thread(target=self._loop, args=(deadline,)) for _ in range(threads)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return self.count / (time.perf_counter() - started)

    def _loop(self, deadline: float) -> None:
        """One connection's requests until the deadline (reconnecting when the server closes)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        done = 0
        while time.monotonic() < deadline and len(self.errors) < 10:
            try:
                connection.request("GET", self.path, headers=self.headers)
                response = connection.getresponse()
                body = response.read()
                problem = self.check(response.status, body)
            except (OSError, http.client.HTTPException) as err:
                problem = f"{type(err).__name__}: {err}"
                connection.close()
            if problem:
                with self.lock:
                    self.errors.append(problem)
            else:
                done += 1
        connection.close()
        with self.lock:
            self.count += done


def check_health(status: int, body: bytes) -> str | None:
    """/healthz answers 200."""
    return None if status == 200 else f"/healthz answered {status}: {body[:200]!r}"


def check_caseload(status: int, body: bytes) -> str | None:
    """The caseload answers 200 with exactly the 50 people of the benchmark caseworker."""
    if status != 200:
        return f"caseload answered {status}: {body[:300]!r}"
    data = json.loads(body)
    items = data.get("items", [])
    if len(items) != CASELOAD_SIZE or data.get("next_cursor"):
        return f"caseload held {len(items)} items (next_cursor {data.get('next_cursor')!r})"
    return None


def check_ok(status: int, body: bytes) -> str | None:
    """Any other --path (e.g. /api/v1/auth/me, to measure the fixed cost) answers 200."""
    return None if status == 200 else f"answered {status}: {body[:300]!r}"


def checker(path: str):
    """The check of the measured endpoint: the full caseload check for the caseload."""
    return check_caseload if path.split("?")[0] == "/api/v1/caseload" else check_ok


def preflight(port: int, path: str, headers: dict) -> str | None:
    """One request before any load: a clear message if it is not right."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    problem = checker(path)(response.status, response.read())
    connection.close()
    return problem


def measure(args, port: int, token: str) -> tuple[list[float], list[float], list[str]]:
    """Warm up, then alternate the two endpoints for --rounds rounds."""
    headers = {"Authorization": f"Bearer {token}"}
    problem = preflight(port, args.path, headers)
    if problem:
        return [], [], [problem]
    health = Load(port, "/healthz", {}, check_health)
    caseload = Load(port, args.path, headers, checker(args.path))
    for load in (health, caseload):
        load.run(args.threads, args.warmup)
    health_rps, caseload_rps = [], []
    for number in range(1, args.rounds + 1):
        # Swap the order each round so a slow spell of the machine is shared.
        pair = (health, caseload) if number % 2 else (caseload, health)
        for load in pair:
            rps = load.run(args.threads, args.seconds)
            (health_rps if load is health else caseload_rps).append(rps)
        print(
            f"  round {number}: healthz {health_rps[-1]:8.1f} rps   "
            f"caseload {caseload_rps[-1]:8.1f} rps   ratio {caseload_rps[-1] / health_rps[-1]:.3f}"
        )
    return health_rps, caseload_rps, health.errors + caseload.errors


def main(argv=None) -> int:
    """Build or reuse the database, serve, measure, report; 1 on any error."""
    args = parse_args(argv)
    env = bench_environment(args.instance, args.database_url)
    seed_seconds = prepare_database(args, env)
    token = issue_token(args.instance, env)
    port = free_port()
    log_path = args.instance / "server.log"
    server = start_server(args, env, port, log_path)
    try:
        print(
            f"Serving on 127.0.0.1:{port} with {args.workers} workers; "
            f"{args.threads} client threads, {args.rounds} rounds of {args.seconds:g} s each"
        )
        health_rps, caseload_rps, errors = measure(args, port, token)
    finally:
        stop_server(server)
    if errors:
        print(f"{len(errors)} failed requests; the first: {errors[0]}", file=sys.stderr)
        return 1
    health, caseload = sum(health_rps) / len(health_rps), sum(caseload_rps) / len(caseload_rps)
    if seed_seconds is not None:
        print(f"seed-scale --participants {args.participants}: {seed_seconds:.1f} s")
    print(f"GET /healthz:  {health:8.1f} requests/s")
    print(f"GET {args.path}: {caseload:8.1f} requests/s ({CASELOAD_SIZE} people)")
    verdict = "meets" if caseload / health >= TARGET_RATIO else "BELOW"
    print(f"ratio caseload/healthz: {caseload / health:.3f} ({verdict} the target {TARGET_RATIO})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
