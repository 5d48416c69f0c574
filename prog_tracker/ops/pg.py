"""PostgreSQL dumps and restores through the client tools (pg_dump, pg_restore, psql).

The connection comes from the configured SQLAlchemy URL as libpq environment
variables; the password goes in a passfile readable by the owner only, never
on a command line (where `ps` would show it to every user of the host).
"""

import contextlib
import os
import shutil
import subprocess  # nosec B404 # runs the PostgreSQL client tools, never a shell
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from prog_tracker.ops import files

# URL query parameters libpq also reads from the environment.
QUERY_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "options": "PGOPTIONS",
}
# Everything in the restored database comes from the dump: start from an empty schema.
EMPTY_SCHEMA = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"


class ToolError(Exception):
    """A PostgreSQL client tool is missing or failed; the message says which and why."""


def tool(name: str) -> str:
    """The full path of a client tool, or a ToolError saying how to get it."""
    found = shutil.which(name)
    if not found:
        raise ToolError(
            f"{name} is not on PATH: install the PostgreSQL client tools "
            "(Debian: postgresql-client), of the server's major version or newer."
        )
    return found


def _escape(value: str) -> str:
    """A passfile field: backslashes and colons escaped."""
    return value.replace("\\", "\\\\").replace(":", "\\:")


def libpq_env(url: str, work: Path) -> dict:
    """The environment that points the client tools at url (a passfile in work)."""
    parsed = make_url(url)
    # Inherited PG* settings must not redirect the tools to another database.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for name, value in (
        ("PGHOST", parsed.host),
        ("PGPORT", parsed.port),
        ("PGUSER", parsed.username),
        ("PGDATABASE", parsed.database),
    ):
        if value not in (None, ""):
            env[name] = str(value)
    for key, value in parsed.query.items():
        if key in QUERY_ENV:
            env[QUERY_ENV[key]] = value if isinstance(value, str) else value[-1]
    if parsed.password:
        passfile = work / "pgpass"
        with files.create_private(passfile) as handle:
            handle.write(f"*:*:*:*:{_escape(str(parsed.password))}\n".encode())
        env["PGPASSFILE"] = str(passfile)
    return env


def _failed(name: str, stderr: str) -> ToolError:
    """The error for a tool that exited non-zero: its last line of complaint."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    return ToolError(f"{name} failed: {lines[-1] if lines else 'no message'}")


def dump(url: str, destination: Path) -> None:
    """pg_dump the database at url to destination (custom format, compressed)."""
    with tempfile.TemporaryDirectory(prefix="pt-pg-") as work:
        command = [tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
        done = subprocess.run(  # noqa: S603 # nosec B603 # fixed argv, no shell
            [*command, "--file", str(destination)],
            env=libpq_env(url, Path(work)),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise _failed("pg_dump", done.stderr)


def check_archive(archive: Path) -> None:
    """Refuse a file pg_restore cannot read, before anything is dropped."""
    done = subprocess.run(  # noqa: S603 # nosec B603 # fixed argv, no shell
        [tool("pg_restore"), "--list", str(archive)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise _failed("pg_restore", done.stderr)


def restore(url: str, archive: Path) -> None:
    """Replace the database at url with archive, in one transaction: all or nothing.

    pg_restore turns the archive into SQL, which psql runs after emptying the
    public schema, inside a single transaction stopped at the first error, so
    a failed restore leaves the database as it was.
    """
    check_archive(archive)
    with tempfile.TemporaryDirectory(prefix="pt-pg-") as work:
        env = libpq_env(url, Path(work))
        errors = [Path(work) / "pg_restore.err", Path(work) / "psql.err"]
        with (
            files.create_private(errors[0]) as restore_err,
            files.create_private(errors[1]) as psql_err,
        ):
            script = subprocess.Popen(  # noqa: S603 # nosec B603 # fixed argv, no shell
                [tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(archive)],
                stdout=subprocess.PIPE,
                stderr=restore_err,
                env=env,
            )
            psql = subprocess.Popen(  # noqa: S603 # nosec B603 # fixed argv, no shell
                [tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=psql_err,
                env=env,
            )
            _feed(script, psql)
        # psql first: when it stops at an error, pg_restore dies of the closed pipe.
        if psql.returncode != 0:
            raise _failed("psql", errors[1].read_text())
        if script.returncode != 0:
            raise _failed("pg_restore", errors[0].read_text())


def _feed(script: subprocess.Popen, psql: subprocess.Popen) -> None:
    """Send the empty-schema statements, then pg_restore's SQL, into psql; wait for both."""
    try:
        psql.stdin.write(EMPTY_SCHEMA)
        shutil.copyfileobj(script.stdout, psql.stdin, 1024 * 1024)
    except BrokenPipeError:
        pass  # psql stopped at an error: its exit status and message say which
    finally:
        with contextlib.suppress(BrokenPipeError):
            psql.stdin.close()
        script.stdout.close()
        script.wait()
        psql.wait()
