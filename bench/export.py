"""Memory and speed of a million-row CSV export: GET /api/v1/reports/export.csv.

Builds (or with --reuse, reuses) a database of 100,000 synthetic participants
with `prog-tracker init` and `prog-tracker seed-scale` (about ten contacts per
person: a million contact rows), gives the synthetic admin an API token,
serves the app with `prog-tracker serve --workers 1` on a free local port,
downloads `export.csv?dataset=contacts` over twenty years (the widest
period a report takes: every synthetic record) and samples the
serving worker's resident memory (VmRSS in /proc/<pid>/status) while it
streams. It prints the row count, the worker's peak memory against the
300 MB target and rows per second. It exits non-zero only when the request
fails, never on a high peak or a slow rate.

    .venv/bin/python bench/export.py [--participants 100000] [--reuse]
    .venv/bin/python bench/export.py --dataset attendance --format xlsx

`--database-url postgresql+psycopg://…/bench` runs on an empty PostgreSQL
database instead (with --reuse, on the one a previous run filled).
"""

import argparse
import csv
import datetime as dt
import http.client
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# The script's own folder is on sys.path: reuse the caseload benchmark's set-up.
from caseload import (
    bench_environment,
    free_port,
    prepare_database,
    start_server,
    stop_server,
)

TARGET_MB = 300
ADMIN_USERNAME = "scale.admin"
SAMPLE_SECONDS = 0.02


def twenty_years_ago() -> dt.date:
    """The first day of the twenty years up to today (reports cover at most twenty)."""
    today = dt.date.today()
    return today.replace(year=today.year - 20, day=min(today.day, 28)) + dt.timedelta(days=1)


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument(
        "--instance",
        type=Path,
        default=Path(tempfile.gettempdir()) / "prog-tracker-bench-export",
        help="instance folder of the benchmark database (default: %(default)s)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database a previous run built there"
    )
    parser.add_argument("--dataset", default="contacts")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    # The widest period a report takes (twenty years): every synthetic record is in it.
    parser.add_argument("--from", dest="start", default=twenty_years_ago().isoformat())
    parser.add_argument("--identified", action="store_true")
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite")
    args = parser.parse_args(argv)
    args.workers = 1  # one worker: its memory is the export's
    return args


def issue_token(env: dict) -> str:
    """An API token for the synthetic admin (written in its own process).

    Admins need MFA before a token works; the synthetic admin gets a secret
    nobody holds, which is enough for the token.
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
        f"    user = db.session.scalar(select(User).where(User.username == {ADMIN_USERNAME!r}))\n"
        "    if not user.mfa_enabled:\n"
        "        user.totp_secret, user.mfa_confirmed_at = pyotp.random_base32(), utcnow()\n"
        "        db.session.commit()\n"
        "    print(create_api_token(user, 'export benchmark')[1])\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"Could not create the API token:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def worker_pid(master: int) -> int:
    """The gunicorn worker forked by the master (waits for it to appear)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    sys.exit("The server started no worker")


def memory_kb(pid: int, field: str) -> int:
    """A memory figure of a process from /proc (VmRSS, VmHWM) in kB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


class Sampler:
    """Samples a process's VmRSS in a thread until stopped; keeps the highest."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb, self.samples = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, memory_kb(self.pid, "VmRSS"))
            self.samples += 1
            self._stop.wait(SAMPLE_SECONDS)


def download(port: int, path: str, token: str, out: Path) -> tuple[int, int, float, str]:
    """GET path into the file out, reading the body as it comes; returns (status, bytes,
    seconds, error text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    size = 0
    with out.open("wb") as body:
        while chunk := response.read(1 << 16):
            size += len(chunk)
            body.write(chunk)
    elapsed = time.perf_counter() - started
    connection.close()
    error = "" if response.status == 200 else out.read_text("utf-8", "replace")[:300]
    return response.status, size, elapsed, error


def count_rows(out: Path, kind: str) -> int:
    """The data rows of a downloaded CSV or of a workbook's first sheet (header excluded)."""
    if kind == "csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            return sum(1 for _row in csv.reader(handle)) - 1
    from openpyxl import load_workbook

    book = load_workbook(out, read_only=True)
    return sum(1 for _row in book[book.sheetnames[0]].iter_rows(values_only=True)) - 1


def main(argv=None) -> int:
    """Build or reuse the database, serve, download once while sampling memory, report."""
    args = parse_args(argv)
    env = bench_environment(args.instance, args.database_url)
    seed_seconds = prepare_database(args, env)
    token = issue_token(env)
    port = free_port()
    server = start_server(args, env, port, args.instance / "server.log")
    path = f"/api/v1/reports/export.{args.format}?dataset={args.dataset}&from={args.start}" + (
        "&identified=true" if args.identified else ""
    )
    out = args.instance / f"export.{args.format}"
    try:
        pid = worker_pid(server.pid)
        idle_kb = memory_kb(pid, "VmRSS")
        with Sampler(pid) as sampler:
            status, size, seconds, error = download(port, path, token, out)
        high_water_kb = memory_kb(pid, "VmHWM")
    finally:
        stop_server(server)
    if seed_seconds is not None:
        print(f"seed-scale --participants {args.participants}: {seed_seconds:.1f} s")
    if status != 200:
        print(f"GET {path} answered {status}: {error}", file=sys.stderr)
        return 1
    rows = count_rows(out, args.format)
    out.unlink()
    peak_mb = max(sampler.peak_kb, high_water_kb) / 1024
    verdict = "within" if peak_mb <= TARGET_MB else "ABOVE"
    print(f"GET {path}")
    print(
        f"  {rows:,} rows, {size / 2**20:.1f} MB in {seconds:.1f} s: {rows / seconds:,.0f} rows/s"
    )
    print(
        f"  worker memory: {idle_kb / 1024:.1f} MB before, peak {peak_mb:.1f} MB "
        f"(VmRSS sampled {sampler.samples} times: {sampler.peak_kb / 1024:.1f} MB; "
        f"VmHWM {high_water_kb / 1024:.1f} MB) - {verdict} the {TARGET_MB} MB target"
    )
    if rows < 1_000_000 and args.format == "csv":
        print("  note: fewer than 1,000,000 rows; seed more participants for the full test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
