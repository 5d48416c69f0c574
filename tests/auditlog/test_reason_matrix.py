"""Every route that reads one person's record asks supervisors and admins for a reason,
found by walking the permission matrix: a new route of that kind cannot skip it."""

import pytest

import tests.matrix.test_permission_matrix as matrix

world = matrix.world  # the permission matrix's records, as a fixture here too

# One-person reads that answer without a reason on purpose.
NOT_ASKED = {
    # The picker itself names nobody.
    "/access-reason/<participant_id>",
    # A certificate holds what its holder shows employers (also public at /verify):
    # reads stay audited, without a reason.
    "/api/v1/certificates/<certificate_id>",
    "/api/v1/certificates/<certificate_id>/pdf",
    "/certificates/<certificate_id>",
    "/certificates/<certificate_id>/pdf",
    # The subject-access export declares its reason itself (subject_access).
    "/participants/<participant_id>/subject-export",
}


def _asked(response) -> bool:
    """True when the answer is the reason rule: 403 reason_required, or the picker."""
    if response.status_code == 302:
        return response.headers["Location"].startswith("/access-reason/")
    if response.status_code == 403 and response.is_json:
        return response.get_json()["error"]["code"] == "reason_required"
    return False


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_one_person_reads_ask_for_a_reason_and_nothing_else_does(app, world, role):
    column = matrix.ROLES.index(role)
    asked, reached = set(), set()
    for (method, rule), (body, expected) in sorted(matrix.MATRIX.items()):
        if method != "GET" or expected[column] != 200:
            continue
        client, _csrf = matrix._client_for(app, role, world)
        if callable(body):
            body(world)  # some rows put the record they read on the world
        response = client.get(matrix._path(rule, world))
        (asked if _asked(response) else reached).add(rule)
    person_reads = {r for r in asked | reached if "<participant_id>" in r} - NOT_ASKED
    assert person_reads <= asked, sorted(person_reads - asked)
    # Lists, search, caseload, sync, exports and reports are not one person's record.
    assert all("_id>" in rule for rule in asked), sorted(asked)
    assert len(asked) >= 15, sorted(asked)
