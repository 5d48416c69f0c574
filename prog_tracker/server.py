"""Running the app under gunicorn from the command line."""

from gunicorn.app.base import BaseApplication


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
