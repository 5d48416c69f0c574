"""The OpenAPI document says what the API really does (found by schemathesis)."""

import jsonschema_rs
import pytest

from prog_tracker.core.security import PUBLIC_ENDPOINTS


def _document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _error_validator(document: dict):
    """A validator for the documented error response."""
    root = {"$ref": "#/components/schemas/Error", "components": document["components"]}
    return jsonschema_rs.validator_for(root)


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method.upper(), path, operation


def _public_api_rules(app) -> set:
    """(method, OpenAPI path) of every API view marked @public."""
    rules = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        public = getattr(view, "is_public", False) or rule.endpoint in PUBLIC_ENDPOINTS
        if public and rule.rule.startswith("/api/") and "openapi" not in rule.endpoint:
            path = rule.rule.replace("<", "{").replace(">", "}")
            rules.update((m, path) for m in rule.methods - {"HEAD", "OPTIONS"})
    return rules


def test_public_operations_say_they_need_no_credentials(app, client):
    document = _document(client)
    public = _public_api_rules(app)
    assert public == {
        ("POST", "/api/v1/auth/login"),
        ("GET", "/api/v1/verify/{code}"),
        # A revoked device's wipe receipt: its session is gone, its one-time token proves it.
        ("POST", "/api/v1/devices/{device_id}/wiped"),
        # Whether a device was revoked, asked before sign-in (at start, before unlock).
        ("GET", "/api/v1/sync/device"),
    }
    for method, path, operation in _operations(document):
        if (method, path) in public:
            assert operation.get("security") == [], (method, path)
        else:
            # Every other operation keeps the document's default: a session or a token.
            assert "security" not in operation, (method, path)
    assert document["security"] == [{"cookieAuth": [], "csrfToken": []}, {"bearerAuth": []}]


def test_a_409_with_the_current_record_matches_the_documented_error(api_as, make, client):
    validator = _error_validator(_document(client))
    facility = make.facility()
    person = make.participant(facility=facility)
    officer = api_as("officer", facility=facility)
    stale = officer.patch(f"/participants/{person.id}", json={"other_names": "A", "version": 99})
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["current"]["id"] == person.id
    assert validator.is_valid(body), list(validator.iter_errors(body))


def test_a_rule_error_with_extra_fields_matches_the_documented_error(api_as, make, client):
    validator = _error_validator(_document(client))
    facility = make.facility()
    person = make.participant(facility=facility)
    qualification = make.qualification()  # two skills nobody assessed yet
    supervisor = api_as("supervisor")
    body = {"participant_id": person.id, "qualification_id": qualification.id}
    response = supervisor.post("/certificates", json=body)
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["error"]["code"] == "requirements_not_met"
    assert sorted(answer["missing_skill_ids"]) == sorted(qualification.skill_ids)
    assert validator.is_valid(answer), list(validator.iter_errors(answer))


@pytest.mark.parametrize(
    "body",
    [
        {"error": {"code": "not_found", "message": "No such record."}},
        {"error": {"code": "validation_error", "message": "x", "fields": {"a": ["b"]}}},
    ],
)
def test_plain_errors_match_the_documented_error(client, body):
    assert _error_validator(_document(client)).is_valid(body)


def test_the_documented_error_still_needs_its_error_object(client):
    validator = _error_validator(_document(client))
    assert not validator.is_valid({"current": {}})
    assert not validator.is_valid({"error": {"code": "x"}})  # no message


def _patterns(node) -> set:
    """Every `pattern` in the document."""
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(value) for value in node))
    return set()


def test_documented_patterns_are_anchored_as_json_schema_reads_them(client):
    patterns = _patterns(_document(client))
    assert len(patterns) >= 4
    for regex in patterns:
        # JSON Schema patterns are searched, not matched, and ECMA-262 has no \Z.
        assert regex.startswith("^") and regex.endswith("$") and "\\Z" not in regex, regex


def test_required_names_document_that_they_cannot_be_empty(client):
    properties = _document(client)["components"]["schemas"]["ParticipantCreate"]["properties"]
    assert properties["given_name"]["minLength"] == 1
    # A nullable name may be sent blank: that clears it.
    assert "minLength" not in properties["other_names"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/reports/indicators?country=KZ%0A", "country"),
        (
            "/participants?facility_id=" + "0" * 8 + "-0000-0000-0000-" + "0" * 12 + "%0A",
            "facility_id",
        ),
    ],
)
def test_a_trailing_newline_does_not_pass_a_pattern(api_as, path, field):
    response = api_as("admin").get(path)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_value_the_document_calls_valid_is_valid_and_a_prefix_is_not(api_as):
    admin = api_as("admin")
    body = {"name": "Colony 7", "country": "KZ", "public_name": "Skills Centre"}
    assert admin.post("/facilities", json=body).status_code == 201
    for country in ("KZ\n", "xKZ", "KZx"):
        answer = admin.post("/facilities", json={**body, "name": "Colony 8", "country": country})
        assert answer.status_code == 422 and "country" in answer.get_json()["error"]["fields"]


def test_a_device_revoked_answer_matches_the_documented_error(app, make, client):
    validator = _error_validator(_document(client))
    user = make.user("caseworker")
    device = make.device(user, revoked=True)
    answer = client.get("/api/v1/sync/pull", headers={"X-Device-Id": device.id})
    assert answer.status_code == 401
    body = answer.get_json()
    validator.validate(body)
    assert body["error"]["receipt_token"]
