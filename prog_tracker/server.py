"""Running the app under gunicorn from the command line.

Sign-in and password-check limits are counted in the rate-limit store. The
in-memory store (no PROG_TRACKER_REDIS_URL) is private to one process, so N
workers would each allow the full limit: an attacker spread over them gets N
times the guesses. Production therefore runs one worker without a shared store.
"""

from gunicorn.app.base import BaseApplication

# Workers `serve` starts when not told: more only where they share the counters.
SHARED_DEFAULT_WORKERS = 2


class UnsharedLimits(RuntimeError):
    """More than one worker asked for in production without a shared limit store."""


def shares_limits(app) -> bool:
    """True when every worker process sees the same rate-limit counters."""
    return not app.config["RATELIMIT_STORAGE_URI"].startswith("memory://")


def default_workers(app) -> int:
    """The worker count when none is given: 2 with a shared limit store, else 1."""
    return SHARED_DEFAULT_WORKERS if shares_limits(app) else 1


def unshared_limits_problem(app, workers: int) -> str | None:
    """Why this many workers would weaken the sign-in limits, or None when they would not."""
    if workers <= 1 or shares_limits(app):
        return None
    return (
        f"{workers} workers without a shared rate-limit store would each count failed "
        f"sign-ins on their own, making the sign-in limits {workers} times weaker. "
        "Set PROG_TRACKER_REDIS_URL (e.g. redis://127.0.0.1:6379/0) so the workers "
        "share their counters, or serve with --workers 1."
    )


def check_workers(app, workers: int) -> None:
    """Refuse (production) or warn about (elsewhere) workers that do not share limits."""
    problem = unshared_limits_problem(app, workers)
    if problem is None:
        return
    if app.config["ENV"] == "production":
        raise UnsharedLimits(problem)
    app.logger.warning(problem)


class _Gunicorn(BaseApplication):
    """gunicorn with an app object and options given in code."""

    def __init__(self, app, options):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self):
        """Pass our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        """The WSGI app."""
        return self.application


def run_gunicorn(app, host: str, port: int, workers: int) -> None:
    """Serve app on host:port with the given number of worker processes."""
    from prog_tracker.extensions import db

    check_workers(app, workers)
    with app.app_context():
        # Connections opened before the fork must not be shared by workers.
        db.engine.dispose()
    _Gunicorn(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": max(1, workers),
            "accesslog": "-",
            # Query strings can carry search terms (names): log the path only.
            "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
            # Threaded workers: a long download (a million-row CSV, a large XLSX)
            # streams on one thread while the worker keeps telling the arbiter it
            # is alive, so `timeout` ends hung workers, not long downloads.
            "worker_class": "gthread",
            "threads": 4,
            "timeout": 60,
        },
    ).run()
