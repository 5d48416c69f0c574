"""core/ and sync/ type-check cleanly: mypy with the settings of pyproject.toml [tool.mypy].

The two packages every domain stands on are checked throughout; the domains they
import are followed for their types only (follow_imports = "silent").
"""

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[2]


# About 20 s, and no database in it: once in CI (the slow marker), not in both passes.
@pytest.mark.slow
def test_core_and_sync_type_check(tmp_path):
    """mypy finds nothing in prog_tracker/core and prog_tracker/sync."""
    report, errors, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            # A cache of its own: nothing left in the tree, no clash with a parallel run.
            "--cache-dir",
            str(tmp_path / "mypy_cache"),
            str(ROOT / "prog_tracker" / "core"),
            str(ROOT / "prog_tracker" / "sync"),
        ]
    )
    assert status == 0, report + errors
