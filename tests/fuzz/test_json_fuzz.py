"""Any bytes, any JSON shape, any content type on the JSON API: a 4xx in the standard
error shape, never a 5xx, and a refused request writes nothing.

The request parsing under test: core/input.py (check_api_input, before every
view), flask-smorest's body parsing into the marshmallow schemas (core/schemas.py
and each domain's), and the schemas' own validation.
"""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import FUZZ, JSON, SCALARS, assert_error_shape, row_counts

# (method, path template) of JSON bodies: creates, a PATCH, a PUT, sync and sign-in.
TARGETS = [
    ("post", "/api/v1/participants"),
    ("patch", "/api/v1/participants/{person}"),
    ("put", "/api/v1/sessions/{session}/attendance"),
    ("post", "/api/v1/contacts"),
    ("post", "/api/v1/sync/push"),
    ("post", "/api/v1/auth/login"),
]
JSON_TYPES = ["application/json", "application/json; charset=utf-8"]
OTHER_TYPES = [
    None,
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/octet-stream",
    "text/json",
    "application/jsonp",
]


@pytest.fixture
def desk(make, app):
    """An admin's bearer token (an admin may call every target) and the paths."""
    from prog_tracker.auth.services import create_api_token

    facility = make.facility()
    person = make.participant(facility=facility)
    cohort = make.cohort(facility)
    make.enrolment(cohort, person)
    session = make.session(cohort)
    _row, token = create_api_token(make.user("admin"), "fuzz")
    paths = [(m, p.format(person=person.id, session=session.id)) for m, p in TARGETS]
    return app.test_client(), token, paths


def _send(desk, index: int, data: bytes, content_type):
    client, token, paths = desk
    method, path = paths[index % len(paths)]
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    return getattr(client, method)(path, data=data, headers=headers)


def _refused_without_writes(desk, index, data, content_type, allowed=range(400, 500)):
    before = row_counts()
    response = _send(desk, index, data, content_type)
    body = assert_error_shape(response, allowed)
    assert row_counts() == before
    return body


@FUZZ
@given(index=st.integers(0, 5), data=st.binary(max_size=400), kind=st.sampled_from(JSON_TYPES))
def test_any_bytes_as_json_are_refused_without_a_write(desk, index, data, kind):
    # Bytes that happen to be a JSON object are checked below; these are the rest.
    try:
        if isinstance(json.loads(data), dict):
            return
    except ValueError:
        pass
    _refused_without_writes(desk, index, data, kind)


@FUZZ
@given(index=st.integers(0, 5), body=JSON, content_type=st.sampled_from(OTHER_TYPES))
def test_json_sent_with_another_content_type_is_a_400(desk, index, body, content_type):
    data = json.dumps(body).encode()
    answer = _refused_without_writes(desk, index, data, content_type, allowed=(400,))
    assert answer["error"]["code"] == "bad_request"


@FUZZ
@given(index=st.integers(0, 5), body=JSON)
def test_any_json_value_gets_a_4xx_or_success_never_a_5xx(desk, index, body):
    before = row_counts()
    response = _send(desk, index, json.dumps(body).encode(), "application/json")
    if response.status_code < 300:
        return  # a well-formed request (a sign-in, an empty sync) may succeed
    assert_error_shape(response)
    assert row_counts() == before


@FUZZ
@given(
    index=st.integers(0, 5),
    body=st.dictionaries(st.text(max_size=20), SCALARS, max_size=5),
    encoding=st.sampled_from(["utf-16", "utf-32", "latin-1", "utf-8-sig"]),
)
def test_objects_in_other_encodings_never_crash(desk, index, body, encoding):
    data = json.dumps(body, ensure_ascii=False).encode(encoding, "replace")
    before = row_counts()
    response = _send(desk, index, data, "application/json")
    if response.status_code >= 300:
        assert_error_shape(response)
        assert row_counts() == before


def test_deep_nesting_is_a_4xx(desk):
    for depth in (100, 1_000, 100_000):
        for opener, closer in (("[", "]"), ('{"a":', "}")):
            data = (opener * depth + "1" + closer * depth).encode()
            for index in range(len(TARGETS)):
                _refused_without_writes(desk, index, data, "application/json")


HUGE = [
    "1" * 5_000,  # past Python's 4,300-digit limit for int()
    "-" + "9" * 4_000,
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "1" + "0" * 400 + ".5",
    "123456789012345678901234567890",
]
# Fields of the targets' bodies that take numbers, dates, lists or text.
NUMBER_FIELDS = [
    "version",
    "capacity",
    "base_version",
    "date_of_birth",
    "records",
    "mutations",
    "device_id",
    "username",
    "occurred_at",
]


def test_huge_numbers_in_every_field_are_a_4xx(desk):
    for number in HUGE:
        data = "{" + ",".join(f'"{name}": {number}' for name in NUMBER_FIELDS) + "}"
        for index in range(len(TARGETS)):
            _refused_without_writes(desk, index, data.encode(), "application/json")


UNSTORABLE = ['"\\u0000"', '"a\\u0000"', '"\\ud800"', '"x\\udfffy"', '"\\udc00\\ud800"']


def _unstorable_bodies(text: str) -> list[str]:
    """text as a value, as a key, and deep inside lists and objects."""
    value = f'{{"given_name": {text}, "device_id": {text}, "username": {text}}}'
    deep = (
        f'{{"mutations": [{{"data": {{"summary": [{text}]}}}}], "records": [{{"note": {text}}}]}}'
    )
    return [value, f"{{{text}: 1}}", deep]


def test_nul_and_lone_surrogates_anywhere_are_a_422(desk):
    for text in UNSTORABLE:
        for data in _unstorable_bodies(text):
            for index in range(len(TARGETS)):
                body = _refused_without_writes(desk, index, data.encode(), "application/json")
                assert body["error"]["code"] == "validation_error", (text, data, index)


def test_invalid_utf8_is_a_400(desk):
    for index in range(len(TARGETS)):
        body = _refused_without_writes(desk, index, b'{"a": "\xff\xfe"}', "application/json")
        assert body["error"]["code"] == "bad_request"
