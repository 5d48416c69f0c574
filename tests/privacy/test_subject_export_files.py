"""Where `prog-tracker subject-export` writes (issue 18, finding 5), and who may be its actor.

Never over an existing file or through a symlink unless --force, and then by an
atomic rename; never through a file planted at a temporary name; owner-only;
nothing partial left on failure; the actor check is the policy's.
"""

import os
import stat
from pathlib import Path

import pytest

from prog_tracker.cli import main
from prog_tracker.core import policy
from prog_tracker.privacy import subject_export
from tests.privacy.subject_world import (
    last_event,
    open_zip,
    world_fixture,  # noqa: F401 - the `world` fixture
)


@pytest.fixture
def cli(app):
    """Run `prog-tracker …` against the test's app and transaction."""
    runner = app.test_cli_runner()
    previous = os.umask(0o022)
    yield lambda *args: runner.invoke(main, list(args))
    os.umask(previous)  # the CLI tightens the umask of the process it runs in


def _refused(cli, world, output: Path, *extra) -> None:
    """Refused with exit 1 and a clear line; nothing written, left behind or audited."""
    before, listing = last_event(), set(output.parent.iterdir())
    result = cli("subject-export", world["person"].id, "--output", str(output), *extra)
    assert result.exit_code == 1, result.output
    assert "already exists" in result.output and "--force" in result.output
    assert "Traceback" not in result.output
    assert set(output.parent.iterdir()) == listing and last_event() == before


def _is_the_export(output: Path, world) -> None:
    """A new regular owner-only file holding the person's ZIP."""
    assert not output.is_symlink() and stat.S_IMODE(output.lstat().st_mode) == 0o600
    assert open_zip(output.read_bytes())["json"]["participant"]["id"] == world["person"].id


def test_an_existing_output_is_refused(cli, world, tmp_path):
    output = tmp_path / "export.zip"
    output.write_text("last week's export")
    _refused(cli, world, output)
    assert output.read_text() == "last week's export"


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlink_at_the_output_is_refused_and_its_target_untouched(
    cli, world, tmp_path, dangling
):
    victim = tmp_path / "victim.conf"
    if not dangling:
        victim.write_text("root's file")
    output = tmp_path / "export.zip"
    output.symlink_to(victim)
    _refused(cli, world, output)
    assert output.is_symlink()
    assert victim.read_text() == "root's file" if not dangling else not victim.exists()


def test_force_replaces_an_existing_output_by_rename(cli, world, tmp_path):
    output, kept = tmp_path / "export.zip", tmp_path / "kept"
    output.write_text("last week's export")
    output.chmod(0o644)
    os.link(output, kept)  # written in place, this second name would change too
    result = cli("subject-export", world["person"].id, "--output", str(output), "--force")
    assert result.exit_code == 0, result.output
    _is_the_export(output, world)
    assert kept.read_text() == "last week's export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.zip", "kept"]


@pytest.mark.parametrize("dangling", [False, True])
def test_force_replaces_a_symlink_never_writing_through_it(cli, world, tmp_path, dangling):
    victim = tmp_path / "victim.conf"
    if not dangling:
        victim.write_text("root's file")
    output = tmp_path / "export.zip"
    output.symlink_to(victim)
    result = cli("subject-export", world["person"].id, "--output", str(output), "--force")
    assert result.exit_code == 0, result.output
    _is_the_export(output, world)
    assert victim.read_text() == "root's file" if not dangling else not victim.exists()


@pytest.mark.parametrize("planted", ["symlink", "world-readable file"])
def test_a_file_planted_at_a_temporary_name_is_not_used(cli, world, tmp_path, planted):
    victim, output = tmp_path / "victim.conf", tmp_path / "export.zip"
    victim.write_text("root's file")
    trap = tmp_path / ".export.zip.partial"  # the name the export used to write first
    if planted == "symlink":
        trap.symlink_to(victim)
    else:
        trap.write_text("")
        trap.chmod(0o666)
    result = cli("subject-export", world["person"].id, "--output", str(output))
    assert result.exit_code == 0, result.output
    _is_the_export(output, world)
    assert victim.read_text() == "root's file"
    assert trap.is_symlink() if planted == "symlink" else trap.read_text() == ""


def test_a_failed_export_leaves_the_old_file_and_nothing_partial(cli, world, tmp_path, monkeypatch):
    output = tmp_path / "export.zip"
    output.write_text("last week's export")
    before = set(tmp_path.iterdir())

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    # Fails after the file is written and before it is moved in place.
    monkeypatch.setattr(subject_export, "record_subject_export", disk_full)
    result = cli("subject-export", world["person"].id, "--output", str(output), "--force")
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert output.read_text() == "last week's export"
    assert set(tmp_path.iterdir()) == before


def test_the_actor_check_is_the_policys(cli, world, make, tmp_path, monkeypatch):
    supervisor, output = make.user("supervisor", country="KZ"), tmp_path / "export.zip"
    monkeypatch.setitem(policy.ACTIONS, "participant.subject_export", {"admin", "supervisor"})
    named = ("--actor", supervisor.username)
    result = cli("subject-export", world["person"].id, "--output", str(output), *named)
    assert result.exit_code == 0, result.output
    assert last_event().actor_id == supervisor.id


def test_a_named_admin_looks_the_person_up_through_the_policy(cli, world, tmp_path):
    admin, missing = world["admin"], "00000000-0000-4000-8000-000000000000"
    output = tmp_path / "export.zip"
    result = cli("subject-export", missing, "--output", str(output), "--actor", admin.username)
    assert result.exit_code == 1 and "No participant has this id" in result.output
    event = last_event()  # as on the page: a miss by a named user is a denied access
    assert (event.action, event.actor_id, event.outcome, event.entity_ids) == (
        "participant.subject_export",
        admin.id,
        "denied",
        [missing],
    )
    assert not output.exists()
