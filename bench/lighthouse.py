"""Lighthouse 12 (mobile) on the field app: performance, layout shift and accessibility.

Serves a fresh instance (`prog-tracker init`, then `prog-tracker serve` with one
worker, SQLite) and runs Lighthouse from npm through npx (not a dependency of
the project: it is large, and only this script needs it) with Debian's Chromium,
headless, the mobile preset (a mid-range phone on a slow 4G link, simulated).
The page is /app as a new device first opens it: nobody signed in, so the app
draws its sign-in screen. Prints each run's scores and the median; the issue's
targets are performance >= 98 with CLS < 0.02, and accessibility 100.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--path /app]

It exits non-zero when Lighthouse cannot run, never on a score: it measures, the
tests decide (tests/browser/test_app_shell.py holds the header's layout).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# The server helpers of the caseload benchmark (this folder is on sys.path when run).
from caseload import bench_environment, command, free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = "lighthouse@12"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
AUDITS = {
    "cumulative-layout-shift": ("CLS", "{:.3f}", 1),
    "first-contentful-paint": ("FCP", "{:.0f} ms", 1),
    "largest-contentful-paint": ("LCP", "{:.0f} ms", 1),
    "total-blocking-time": ("TBT", "{:.0f} ms", 1),
    "speed-index": ("SI", "{:.0f} ms", 1),
}


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs (median shown)")
    parser.add_argument("--path", default="/app", help="the page to measure")
    parser.add_argument("--save", type=Path, help="a folder to keep the JSON reports in")
    parser.add_argument("--chromium", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    return parser.parse_args(argv)


def lighthouse(url: str, chromium: str, report: Path) -> dict:
    """One Lighthouse run (mobile, performance and accessibility); its JSON report."""
    npx = shutil.which("npx")
    if not npx:
        sys.exit("npx (Node.js) is needed to fetch and run Lighthouse")
    done = subprocess.run(  # noqa: S603 - npx with fixed arguments and our local URL
        [
            npx,
            "--yes",
            LIGHTHOUSE,
            url,
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": chromium},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not report.exists():
        sys.exit(f"Lighthouse failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def figures(result: dict) -> dict:
    """The scores (0-100) and the timings of one report."""
    categories = result["categories"]
    found = {
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
    }
    for audit, (name, _shape, scale) in AUDITS.items():
        found[name] = result["audits"][audit]["numericValue"] * scale
    return found


def failed_accessibility(result: dict) -> list[str]:
    """The accessibility audits that did not pass (to fix them, not just count them)."""
    refs = result["categories"]["accessibility"]["auditRefs"]
    audits = result["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']]['title']}"
        for ref in refs
        if ref["weight"] and audits[ref["id"]]["score"] not in (None, 1)
    ]


def show(label: str, row: dict) -> None:
    """One line of figures."""
    timings = "  ".join(
        f"{name} {shape.format(row[name])}" for name, shape, _scale in AUDITS.values()
    )
    print(
        f"{label:>8}: performance {row['performance']:>3}  accessibility "
        f"{row['accessibility']:>3}  {timings}"
    )


def main(argv=None) -> int:
    """Serve a fresh instance, run Lighthouse --runs times, print each run and the median."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="prog-tracker-lighthouse-") as folder:
        instance = Path(folder)
        env = bench_environment(instance)
        env["PROG_TRACKER_REDIS_URL"] = ""  # one worker: its own rate-limit counters
        # This checkout's code and static files, even where another one is installed.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        subprocess.run([*command(), "init"], env=env, check=True, capture_output=True)  # noqa: S603
        port = free_port()
        server = start_server(argparse.Namespace(workers=1), env, port, instance / "server.log")
        rows, problems = [], set()
        try:
            url = f"http://127.0.0.1:{port}{args.path}"
            print(f"Lighthouse 12, mobile preset, on {url}")
            for run in range(1, args.runs + 1):
                result = lighthouse(url, args.chromium, instance / f"report-{run}.json")
                rows.append(figures(result))
                problems.update(failed_accessibility(result))
                if args.save:
                    args.save.mkdir(parents=True, exist_ok=True)
                    shutil.copy(instance / f"report-{run}.json", args.save)
                show(f"run {run}", rows[-1])
        finally:
            stop_server(server)
    median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    show("median", median)
    for problem in sorted(problems):
        print(f"accessibility: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
