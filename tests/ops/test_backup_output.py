"""Where `prog-tracker backup` writes (issue 18, finding 5): never over an existing file or
through a symlink unless --force, and then by an atomic rename; owner-only; nothing partial."""

import os
import stat
from pathlib import Path

import pytest

from prog_tracker.ops import backup
from tests.ops.sites import Site, build, events, people

pytestmark = pytest.mark.own_database


def _refused(site: Site, output: Path, folder_before: set) -> None:
    """The backup is refused: exit 1, a clear line, nothing left behind, nothing audited."""
    made = site.run("backup", "--output", str(output))
    assert made.exit_code == 1, made.output
    assert "already exists" in made.output and "--force" in made.output
    assert set(output.parent.iterdir()) == folder_before  # no partial file or work folder
    assert events(site, "backup.create") == []


def test_an_existing_output_is_refused(sqlite_site, tmp_path):
    build(sqlite_site)
    output = tmp_path / "nightly.ptbackup"
    output.write_text("yesterday's backup")
    _refused(sqlite_site, output, set(tmp_path.iterdir()))
    assert output.read_text() == "yesterday's backup"


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlink_at_the_output_is_refused_and_its_target_untouched(
    sqlite_site, tmp_path, dangling
):
    build(sqlite_site)
    victim = tmp_path / "victim.conf"
    if not dangling:
        victim.write_text("root's file")
    output = tmp_path / "nightly.ptbackup"
    output.symlink_to(victim)
    _refused(sqlite_site, output, set(tmp_path.iterdir()))
    assert output.is_symlink()
    assert victim.read_text() == "root's file" if not dangling else not victim.exists()


def _is_a_new_owner_only_file(output: Path) -> None:
    """A regular file of mode 600."""
    assert not output.is_symlink() and output.is_file()
    assert stat.S_IMODE(output.lstat().st_mode) == 0o600


def test_force_replaces_an_existing_output_by_rename(sqlite_site, tmp_path):
    ids = build(sqlite_site)
    output, kept = tmp_path / "nightly.ptbackup", tmp_path / "kept"
    output.write_text("yesterday's backup")
    output.chmod(0o644)
    os.link(output, kept)  # written in place, this second name would change too
    made = sqlite_site.run("backup", "--output", str(output), "--force")
    assert made.exit_code == 0, made.output
    _is_a_new_owner_only_file(output)
    assert kept.read_text() == "yesterday's backup"
    assert os.stat(output).st_ino != os.stat(kept).st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["instance", "kept", "nightly.ptbackup"]
    fresh = Site(tmp_path / "other", f"sqlite:///{tmp_path}/other/pt.db")
    assert fresh.run("restore", str(output)).exit_code == 0
    assert people(fresh) == {ids["kept"]: "Aigerim", ids["gone"]: "Timur"}


@pytest.mark.parametrize("dangling", [False, True])
def test_force_replaces_a_symlink_never_writing_through_it(sqlite_site, tmp_path, dangling):
    build(sqlite_site)
    victim = tmp_path / "victim.conf"
    if not dangling:
        victim.write_text("root's file")
    output = tmp_path / "nightly.ptbackup"
    output.symlink_to(victim)
    made = sqlite_site.run("backup", "--output", str(output), "--force")
    assert made.exit_code == 0, made.output
    _is_a_new_owner_only_file(output)
    assert victim.read_text() == "root's file" if not dangling else not victim.exists()


def test_a_failed_backup_leaves_the_old_file_and_nothing_partial(
    sqlite_site, tmp_path, monkeypatch
):
    build(sqlite_site)
    output = tmp_path / "nightly.ptbackup"
    output.write_text("yesterday's backup")
    before = set(tmp_path.iterdir())

    def disk_full(partial, *args):
        write_archive(partial, *args)  # the partial file is there when it fails
        raise OSError(28, "No space left on device")

    write_archive = backup._write_archive
    monkeypatch.setattr(backup, "_write_archive", disk_full)
    made = sqlite_site.run("backup", "--output", str(output), "--force")
    assert made.exit_code == 1 and "No space left on device" in made.output
    assert output.read_text() == "yesterday's backup"
    assert set(tmp_path.iterdir()) == before
    assert events(sqlite_site, "backup.create") == []
