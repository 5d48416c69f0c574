"""Permission-matrix rows for the offline sync routes (SPEC §5).

Sync is built for the roles that work offline: instructors and caseworkers.
Other roles are refused with 403 (they work online, on the pages and the API).
A push answers 200 with a result per mutation even when the mutation itself
is refused: here the caseworker's contact applies, the instructor's is
rejected inside the 200 (the person is not in their scope).
"""

import datetime as dt
import uuid

FIELD_ROLES = (401, 403, 403, 403, 200, 200)


def _push(w) -> dict:
    """One contact for the world's caseworker's client (from tests/matrix/aftercare.py)."""
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    return {
        "device_id": "matrix-device",
        "mutations": [
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": "contact",
                "op": "create",
                "id": str(uuid.uuid4()),
                "data": {
                    "participant_id": w.aftercare_client.id,
                    "occurred_at": moment.isoformat(),
                    "mode": "phone",
                },
            }
        ],
    }


ROWS = {
    ("POST", "/api/v1/sync/push"): (_push, FIELD_ROLES),
    ("GET", "/api/v1/sync/pull"): (None, FIELD_ROLES),
    # Public: a device check with no device named answers 204 to anyone.
    ("GET", "/api/v1/sync/device"): (None, (204, 204, 204, 204, 204, 204)),
}
