"""Where the top-level folders (templates, static, migrations) live.

In a source checkout they sit beside the package; in a wheel they are carried
inside it (see pyproject.toml). Both layouts resolve here.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    """Return the path of a top-level resource in either layout."""
    inside = PACKAGE_DIR / name
    if inside.exists():
        return inside
    return PACKAGE_DIR.parent / name
