"""The wheel carries what the app needs at run time."""

import subprocess
import sys
import zipfile

import pytest

pytestmark = [pytest.mark.own_database, pytest.mark.slow]


def test_wheel_carries_templates_static_manifest_and_migrations(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp_path),
            ".",
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("prog_tracker-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "prog_tracker/templates/base.html",
        "prog_tracker/manifest.json",
        "prog_tracker/migrations/env.py",
        "prog_tracker/migrations/alembic.ini",
        "prog_tracker/static/css/app.css",
        "prog_tracker/cli.py",
    ):
        assert needed in names, needed
    assert any(n.startswith("prog_tracker/migrations/versions/0001") for n in names)
    assert any(n.endswith("entry_points.txt") for n in names)
