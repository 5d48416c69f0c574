"""`prog-tracker serve` for the fault tests, with one test hook installed before the fork.

    python tests/faults/serve.py --port P --workers N --control DIR

Runs the production server path (prog_tracker.server.run_gunicorn, the same
gunicorn options) on the app configured by PROG_TRACKER_* as the console
script does. The hook lives here, not in the product: the first push whose
device_id is PAUSE_DEVICE (one per server; later ones run straight through)
stops right after its first mutation went through the push's commit step
(committed on PostgreSQL, held in the open transaction on SQLite), writes
DIR/paused holding the worker's pid, and waits for DIR/release. The test
then kills that worker or cuts the database before letting it go on, so the
fault provably lands in the middle of a push.

It patches the sync push module in the gunicorn master, before the workers are
forked, so every worker inherits it; no other push is touched.
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

PAUSE_DEVICE = "fault-pause"
PAUSE_LIMIT_SECONDS = 60


def _pause(control: Path) -> None:
    """Announce the pause (atomically: the test reads the pid) and wait for the release."""
    if (control / "paused").exists():
        return  # this server paused a push already
    ready = control / "paused.tmp"
    ready.write_text(str(os.getpid()))
    ready.rename(control / "paused")
    deadline = time.monotonic() + PAUSE_LIMIT_SECONDS
    while time.monotonic() < deadline and not (control / "release").exists():
        time.sleep(0.02)


def install_pause(control: Path) -> None:
    """Make pushes from PAUSE_DEVICE pause after their first mutation's commit step."""
    from prog_tracker.sync import push as pushing

    state = threading.local()  # gthread workers: one push per thread
    original_push, original_commits = pushing.push, pushing.Commits

    class PausingCommits(original_commits):
        """The push's commit policy, then the pause once per marked push."""

        def one_done(self) -> None:
            """Count (and maybe commit) the mutation, then pause if this push is marked."""
            super().one_done()
            if getattr(state, "pause", False):
                state.pause = False
                _pause(control)

    def push(user, device_id, mutations):
        """The product's push, marked for a pause when it comes from PAUSE_DEVICE."""
        state.pause = device_id == PAUSE_DEVICE
        try:
            return original_push(user, device_id, mutations)
        finally:
            state.pause = False

    pushing.Commits = PausingCommits
    pushing.push = push


def main(argv=None) -> int:
    """Build the app from the environment, install the hook, serve with gunicorn."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--control", type=Path, required=True)
    args = parser.parse_args(argv)
    os.umask(0o077)  # as the console script: the instance folder holds personal data
    from prog_tracker import create_app
    from prog_tracker.server import run_gunicorn

    app = create_app()
    install_pause(args.control)
    run_gunicorn(app, "127.0.0.1", args.port, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
