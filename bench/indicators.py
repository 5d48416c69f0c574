"""Time of GET /api/v1/reports/indicators against one hand-written SQL query.

Builds (or with --reuse, reuses) a database of 100,000 synthetic participants
with `prog-tracker init` and `prog-tracker seed-scale`, gives the synthetic
admin an API token, serves the app with `prog-tracker serve --workers 2` on a
free local port, and times, in alternating repetitions, the indicators of one
country over a period (default: KZ, the last twelve months) and the single
hand-written query that computes `completion_rate` alone, run directly through
the DB-API (sqlite3 or psycopg) on the same database. It prints the median and
the slowest of each, the ratio of the medians and whether the endpoint met the
1 s target. Every answer must be 200 and hold a `completion_rate` whose
numerator and denominator are the hand-written query's; the script exits
non-zero on any such failure, never on a slow time.

    .venv/bin/python bench/indicators.py [--reuse] [--repetitions 10]
    .venv/bin/python bench/indicators.py --country TN --from 2025-01-01 --to 2025-12-31

`--database-url postgresql+psycopg://…/bench` runs on an empty PostgreSQL
database instead (with --reuse, on the one a previous run filled).
"""

import argparse
import datetime as dt
import http.client
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

# The script's own folder is on sys.path: reuse the caseload benchmark's set-up.
from caseload import bench_environment, free_port, prepare_database, start_server, stop_server

TARGET_SECONDS = 1.0
ADMIN_USERNAME = "scale.admin"
# completion_rate (SPEC §7) of one country's enrolments that ended in the period.
COMPLETION_SQL = """
SELECT SUM(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END) AS completed,
       SUM(CASE WHEN e.status = 'completed' OR (e.status = 'withdrawn'
           AND e.status_reason NOT IN ('released','transferred')) THEN 1 ELSE 0 END) AS denominator
FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id JOIN facilities f ON f.id = c.facility_id
WHERE f.country = :country AND e.status IN ('completed','withdrawn')
  AND e.ended_on BETWEEN :from AND :to
"""


def last_twelve_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """The year that ends today, both ends included (the reports' default period)."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + dt.timedelta(days=1), today


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument(
        "--instance",
        type=Path,
        default=Path(tempfile.gettempdir()) / "prog-tracker-bench-indicators",
        help="instance folder of the benchmark database (default: %(default)s)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database a previous run built there"
    )
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests and queries")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--country", default="KZ")
    parser.add_argument("--from", dest="start", type=dt.date.fromisoformat)
    parser.add_argument("--to", dest="end", type=dt.date.fromisoformat)
    parser.add_argument(
        "--username", default=ADMIN_USERNAME, help="an admin or supervisor (e.g. scale.supervisor)"
    )
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite")
    args = parser.parse_args(argv)
    default_start, default_end = last_twelve_months(args.end or dt.date.today())
    args.start, args.end = args.start or default_start, args.end or default_end
    return args


def issue_token(env: dict, username: str) -> str:
    """An API token for a synthetic admin or supervisor (written in its own process).

    Both roles need MFA before a token works; the user gets a secret nobody
    holds, which is enough for the token.
    """
    code = (
        "import pyotp\n"
        "from sqlalchemy import select\n"
        "from prog_tracker import create_app\n"
        "from prog_tracker.auth.models import User\n"
        "from prog_tracker.auth.services import create_api_token\n"
        "from prog_tracker.core.models import utcnow\n"
        "from prog_tracker.extensions import db\n"
        "with create_app().app_context():\n"
        f"    user = db.session.scalar(select(User).where(User.username == {username!r}))\n"
        "    if not user.mfa_enabled:\n"
        "        user.totp_secret, user.mfa_confirmed_at = pyotp.random_base32(), utcnow()\n"
        "        db.session.commit()\n"
        "    print(create_api_token(user, 'indicators benchmark')[1])\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"Could not create the API token:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


class HandWritten:
    """The completion_rate query on a DB-API connection of its own (sqlite3 or psycopg)."""

    def __init__(self, args):
        self.params = {"country": args.country, "from": args.start, "to": args.end}
        if args.database_url:
            import psycopg

            url = args.database_url.replace("+psycopg", "", 1)
            self.connection = psycopg.connect(url, autocommit=True)
            self.sql = COMPLETION_SQL.replace(":country", "%(country)s")
            self.sql = self.sql.replace(":from", "%(from)s").replace(":to", "%(to)s")
        else:
            database = args.instance / "prog_tracker.db"
            self.connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            self.sql = COMPLETION_SQL
            # Days are stored as ISO text on SQLite.
            self.params |= {"from": args.start.isoformat(), "to": args.end.isoformat()}

    def run(self) -> tuple[float, tuple[int, int]]:
        """(seconds, (completed, denominator))."""
        started = time.perf_counter()
        completed, denominator = self.connection.execute(self.sql, self.params).fetchone()
        return time.perf_counter() - started, (int(completed or 0), int(denominator or 0))

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


class Endpoint:
    """GET /api/v1/reports/indicators with the benchmark's filters, over one connection."""

    def __init__(self, args, port: int, token: str):
        query = {"country": args.country, "from": args.start, "to": args.end}
        self.path = "/api/v1/reports/indicators?" + urlencode(query)
        self.port, self.headers = port, {"Authorization": f"Bearer {token}"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def run(self) -> tuple[float, tuple[int, int] | None, str | None]:
        """(seconds, (numerator, denominator) of completion_rate, error text or None)."""
        started = time.perf_counter()
        try:
            self.connection.request("GET", self.path, headers=self.headers)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as err:
            self.connection.close()
            return time.perf_counter() - started, None, f"{type(err).__name__}: {err}"
        elapsed = time.perf_counter() - started
        if response.status != 200:
            return elapsed, None, f"answered {response.status}: {body[:300]!r}"
        figure = json.loads(body).get("completion_rate")
        if not isinstance(figure, dict) or "numerator" not in figure:
            return elapsed, None, f"no completion_rate with a numerator: {body[:300]!r}"
        return elapsed, (figure["numerator"], figure["denominator"]), None

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def measure(args, endpoint: Endpoint, query: HandWritten) -> tuple[list, list, list, tuple]:
    """Warm both up, then alternate them; returns (endpoint s, query s, errors, counts)."""
    errors: list[str] = []
    _, expected = query.run()
    for _ in range(args.warmup):
        query.run()
        _check(endpoint.run(), expected, errors)
    served, written = [], []
    for number in range(1, args.repetitions + 1):
        # Swap the order each repetition so a slow spell of the machine is shared.
        steps = ("endpoint", "query") if number % 2 else ("query", "endpoint")
        for step in steps:
            if step == "query":
                seconds, counts = query.run()
                written.append(seconds)
                if counts != expected:
                    errors.append(f"the hand-written query changed its answer: {counts}")
            else:
                seconds = _check(endpoint.run(), expected, errors)
                served.append(seconds)
        print(f"  {number:2}: endpoint {served[-1]:7.3f} s   hand-written {written[-1]:7.3f} s")
    return served, written, errors, expected


def _check(result: tuple, expected: tuple[int, int], errors: list[str]) -> float:
    """Note a failed answer or one whose completion_rate differs; returns its seconds."""
    seconds, counts, error = result
    if error:
        errors.append(error)
    elif counts != expected:
        errors.append(
            f"completion_rate numerator/denominator {counts[0]}/{counts[1]}, "
            f"hand-written {expected[0]}/{expected[1]}"
        )
    return seconds


def report(path: str, served: list, written: list, expected: tuple) -> None:
    """Print the medians, the slowest, their ratio and the verdict on the target."""
    endpoint, query = statistics.median(served), statistics.median(written)
    print(f"GET {path}")
    print(f"  endpoint:     median {endpoint:7.3f} s, slowest {max(served):7.3f} s")
    print(
        f"  hand-written: median {query:7.3f} s, slowest {max(written):7.3f} s "
        f"(completion_rate {expected[0]:,}/{expected[1]:,})"
    )
    print(f"  ratio endpoint/hand-written (medians): {endpoint / query:.1f}")
    verdict = "meets" if endpoint <= TARGET_SECONDS else "MISSES"
    print(f"  the endpoint {verdict} the {TARGET_SECONDS:g} s target (median {endpoint:.3f} s)")


def main(argv=None) -> int:
    """Build or reuse the database, serve, measure, report; 1 on any failed answer."""
    args = parse_args(argv)
    env = bench_environment(args.instance, args.database_url)
    seed_seconds = prepare_database(args, env)
    token = issue_token(env, args.username)
    port = free_port()
    server = start_server(args, env, port, args.instance / "server.log")
    query = HandWritten(args)
    endpoint = Endpoint(args, port, token)
    try:
        print(
            f"Serving on 127.0.0.1:{port} with {args.workers} workers; "
            f"{args.repetitions} alternating repetitions as {args.username}"
        )
        served, written, errors, expected = measure(args, endpoint, query)
    finally:
        endpoint.close()
        query.close()
        stop_server(server)
    if seed_seconds is not None:
        print(f"seed-scale --participants {args.participants}: {seed_seconds:.1f} s")
    if errors:
        print(f"{len(errors)} failed answers; the first: {errors[0]}", file=sys.stderr)
        return 1
    report(endpoint.path, served, written, expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
