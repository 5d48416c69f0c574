"""What device protection costs (issue 21): unlock time, and the encrypted store's first
pull and push against the plaintext store it replaced, in one run, in Chromium.

Builds the sync benchmark's world (bench/sync.py: a caseworker following --people
released people, each with a referral, consent, follow-ups, a plan, contacts and an
outcome), serves it with `prog-tracker serve --workers 2`, and drives Debian's
Chromium with Playwright. In the page:

- unlock: PBKDF2-SHA-256 (600,000 iterations) from a PIN, then the data key
  unwrapped, as the lock screen does; at full speed and with the CPU slowed 4x
  (Lighthouse's mid-range phone), median of --unlocks;
- first pull: every page of /sync/pull fetched and stored (applyPull), into the
  app's encrypted store (static/app/store.js) and into the plaintext store of
  commit PLAIN_COMMIT (the last one before encryption, read with `git show` and
  served from a page route), alternating, median of --rounds;
- push: 500 contacts queued on the device (queueMutation), sent in batches of
  100 to /sync/push and settled, the same way for both stores.

Prints each figure with its store-only part (the time spent in the store module,
without the network and the server), and the ratios encrypted / plaintext. The
issue's target is each whole operation within 1.3x of plaintext, unlock under 1 s
on the slowed CPU. Exits non-zero on an error, never on a figure.

    .venv/bin/python bench/device.py [--people 500] [--rounds 5]
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# The server helpers of the other benchmarks (this folder is on sys.path when run).
from caseload import bench_environment, free_port, start_server, stop_server
from sync import contact_batch, prepare

ROOT = Path(__file__).resolve().parents[1]
PLAIN_COMMIT = "adf3494"  # static/app/store.js before encryption at rest
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The in-page half (an ES module, served from a page route: the app's CSP allows no
# inline script, and a module from the page's own origin is what it allows).
HARNESS = Path(__file__).with_name("device_harness.js")


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=500, help="people in the caseload")
    parser.add_argument("--contacts", type=int, default=5, help="contacts per person")
    parser.add_argument("--rounds", type=int, default=5, help="pull and push rounds per store")
    parser.add_argument("--unlocks", type=int, default=5, help="unlocks per CPU speed")
    return parser.parse_args(argv)


def plaintext_store() -> str:
    """The plaintext store module, as it was before encryption."""
    done = subprocess.run(  # noqa: S603 - git with fixed arguments
        ["git", "show", f"{PLAIN_COMMIT}:static/app/store.js"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"git show {PLAIN_COMMIT}:static/app/store.js failed: {done.stderr}")
    return done.stdout


def serve_bench_modules(page, plain_source: str) -> None:
    """Answer /bench/harness.js, and /bench/plain-store.js?db=NAME with the old module
    using database NAME (a fresh one per round)."""
    marker = "const DB_NAME = 'prog-tracker-field';"
    if marker not in plain_source:
        sys.exit(f"the plaintext store of {PLAIN_COMMIT} does not name its database as expected")

    def plain(route):
        name = route.request.url.split("db=", 1)[1]
        body = plain_source.replace(marker, f"const DB_NAME = '{name}';")
        route.fulfill(status=200, content_type="text/javascript", body=body)

    page.route("**/bench/plain-store.js*", plain)
    page.route(
        "**/bench/harness.js",
        lambda route: route.fulfill(content_type="text/javascript", body=HARNESS.read_text()),
    )


def unlock_times(page, cdp, runs: int) -> dict:
    """Median unlock ms at full speed and with the CPU slowed 4x."""
    figures = {}
    for rate in (1, 4):
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        times = [page.evaluate("() => window.bench.unlock()") for _ in range(runs)]
        figures[rate] = statistics.median(times)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    return figures


def pull_and_push(page, token: str, world: dict, rounds: int) -> dict:
    """Median ms of each store's first pull and push (whole, and store-only)."""
    runs: dict = {}
    for n in range(rounds):
        for kind in ("plain", "encrypted"):  # alternating: both meet the same machine
            pulled = page.evaluate(
                "([kind, token, n]) => window.bench.pull(kind, token, n)", [kind, token, n]
            )
            wanted = len(world["people"])
            if pulled["people"] != wanted:
                sys.exit(f"{kind} pull stored {pulled['people']} people, not {wanted}")
            batch = contact_batch(world["people"])
            pushed = page.evaluate(
                "([kind, token, n, batch]) => window.bench.push(kind, token, n, batch)",
                [kind, token, n, batch],
            )
            if pushed["sent"] != len(batch):
                sys.exit(f"{kind} push: {pushed['sent']} of {len(batch)} applied")
            for name, value in {**pulled, **pushed}.items():
                runs.setdefault((kind, name), []).append(value)
    return {key: statistics.median(values) for key, values in runs.items()}


def report(unlock: dict, figures: dict, world: dict, records: int) -> None:
    """Print the figures and the ratios."""
    print(f"Caseload: {len(world['people'])} people, {records} records in the first pull")
    slow = f"CPU slowed 4x: {unlock[4]:.0f} ms"
    print(f"Unlock (PBKDF2 600,000 + unwrap): {unlock[1]:.0f} ms; {slow}")
    print(f"{'':24}{'plaintext':>12}{'encrypted':>12}{'ratio':>8}")
    for name, label in (
        ("pull_ms", "first pull (whole)"),
        ("pull_store_ms", "  of which the store"),
        ("push_ms", "push 500 (whole)"),
        ("push_store_ms", "  of which the store"),
    ):
        plain, encrypted = figures[("plain", name)], figures[("encrypted", name)]
        print(f"{label:24}{plain:>10.0f}ms{encrypted:>10.0f}ms{encrypted / plain:>7.2f}x")


def main(argv=None) -> int:
    """Build, serve, measure, print."""
    args = parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="prog-tracker-device-bench-") as folder:
        instance = Path(folder)
        world = prepare(instance, args)
        env = bench_environment(instance)
        port = free_port()
        server = start_server(argparse.Namespace(workers=2), env, port, instance / "server.log")
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                serve_bench_modules(page, plaintext_store())
                page.goto(f"http://127.0.0.1:{port}/app")
                page.evaluate("async () => { window.bench = await import('/bench/harness.js'); }")
                records = page.evaluate("(token) => window.bench.records(token)", world["token"])
                unlock = unlock_times(page, page.context.new_cdp_session(page), args.unlocks)
                figures = pull_and_push(page, world["token"], world, args.rounds)
                browser.close()
        finally:
            stop_server(server)
    report(unlock, figures, world, records)
    print(json.dumps({"unlock_ms": unlock, **{f"{k[0]}_{k[1]}": v for k, v in figures.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
