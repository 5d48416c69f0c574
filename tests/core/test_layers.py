"""The domains import one another downward only, as docs/architecture.md draws them.

The contract is in pyproject.toml ([tool.importlinter]); import-linter follows
imports inside functions too, and indirect chains through other modules.
"""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def test_the_layers_contract_is_kept(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    assert exit_code == 0, capsys.readouterr().out
