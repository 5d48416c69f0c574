"""Permission-matrix row for the home page: every signed-in role has one; the
anonymous client is sent to sign in."""

ROWS = {
    ("GET", "/"): (None, (302, 200, 200, 200, 200, 200)),
}
