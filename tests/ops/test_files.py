"""The safe-file helper shared by backup, restore and subject-export (issue 18, finding 5)."""

import errno
import os
import stat

import pytest

from prog_tracker.ops import files


def test_a_private_file_is_new_owner_only_and_never_opened_through_a_symlink(tmp_path):
    previous = os.umask(0)  # the mode must not depend on the caller's umask
    try:
        files.write_private(tmp_path / "new", b"data")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o600
    victim, link = tmp_path / "victim", tmp_path / "link"
    victim.write_text("untouched")
    link.symlink_to(victim)
    for taken in (victim, link, tmp_path / "new"):
        with pytest.raises(FileExistsError):
            files.create_private(taken)
    assert victim.read_text() == "untouched"


def test_the_private_folder_is_owner_only_beside_the_output_and_removed(tmp_path):
    with files.private_folder(tmp_path / "out.zip") as folder:
        assert folder.parent == tmp_path
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        files.write_private(folder / "part", b"x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("hard_links", [True, False])
def test_publish_without_force_never_replaces_what_appeared_meanwhile(
    tmp_path, monkeypatch, hard_links
):
    if not hard_links:  # FAT and some network shares

        def no_link(*_args, **_kwargs):
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(files.os, "link", no_link)
    finished, output = tmp_path / "finished", tmp_path / "out"
    finished.write_text("new")
    output.symlink_to(tmp_path / "elsewhere")  # appeared after the first check
    with pytest.raises(files.OutputExists):
        files.publish(finished, output, force=False)
    assert output.is_symlink() and not (tmp_path / "elsewhere").exists()
    output.unlink()
    files.publish(finished, output, force=False)
    assert output.read_text() == "new" and not finished.exists()
