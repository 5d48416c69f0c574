"""Permission-matrix rows for the device registry (SPEC §11): the JSON API.

`<device_id>` is a device of `world.other_user` (an officer of facility A, KZ):
only an admin may revoke it (the others meet the plain 404); the wipe receipt
answers 404 to everyone, since the device is not revoked and the token a guess.
"""


def extend(make, world) -> None:
    """A device of the world's other officer."""
    world.device = make.device(world.other_user)


ROWS = {
    ("GET", "/api/v1/devices"): (None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/devices/<device_id>/revoke"): (None, (401, 200, 404, 404, 404, 404)),
    ("POST", "/api/v1/devices/<device_id>/wiped"): (
        {"receipt_token": "a guess", "unsent_count": 0},
        (404, 404, 404, 404, 404, 404),
    ),
}
