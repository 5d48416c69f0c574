"""Files holding personal data, written so no other local user can read or redirect them.

The commands run as root or as the app's user, often into shared folders
(/tmp, a backup mount). So: nothing is created through a symlink or over an
existing file (O_EXCL | O_NOFOLLOW, mode 600), work happens in a private
folder (mkdtemp, 700) beside the output, and the finished file is renamed
into place: a rename replaces the name itself, never writes through a link,
and is atomic because the folder is on the output's filesystem.
"""

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

NEW_PRIVATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
# Filesystems without hard links (FAT, some network shares) answer link() with these.
NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}


class OutputExists(Exception):
    """The output path is taken (by a file, a folder or a symlink, even a dangling one)."""

    def __init__(self, path: Path):
        super().__init__(f"{path} already exists; nothing was written (--force replaces it).")
        self.path = path


def create_private(path: Path) -> BinaryIO:
    """A new owner-only file open for writing; OSError when anything is at path already."""
    return os.fdopen(os.open(path, NEW_PRIVATE, 0o600), "wb")


def write_private(path: Path, data: bytes) -> None:
    """Write data to a new owner-only file and flush it to disk."""
    with create_private(path) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def refuse_existing(path: Path, force: bool) -> None:
    """OutputExists when path is taken and force was not given (lexists: a symlink counts)."""
    if not force and os.path.lexists(path):
        raise OutputExists(path)


@contextlib.contextmanager
def private_folder(output: Path) -> Iterator[Path]:
    """A new owner-only folder beside output (same filesystem), removed with all in it."""
    folder = Path(tempfile.mkdtemp(prefix=".pt-", dir=output.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(finished: Path, output: Path, force: bool) -> None:
    """Move a finished (fsynced) file to output atomically; without force, only while
    output is still free, so a file or symlink that appeared meanwhile is not replaced."""
    if force:
        os.replace(finished, output)
    else:
        _link_if_free(finished, output)
    _sync_folder(output.parent)


def _link_if_free(finished: Path, output: Path) -> None:
    """Hard-link finished to output (fails if the name is taken), then drop finished."""
    try:
        os.link(finished, output, follow_symlinks=False)
    except FileExistsError:
        raise OutputExists(output) from None
    except OSError as err:
        if err.errno not in NO_HARD_LINKS:
            raise
        # No hard links here: check, then rename (a rename still never writes through a link).
        refuse_existing(output, force=False)
        os.replace(finished, output)
        return
    finished.unlink()


def _sync_folder(folder: Path) -> None:
    """fsync a folder so the rename survives a crash (best effort where unsupported)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    # Some filesystems refuse fsync on a folder; the rename itself is done by then.
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)
