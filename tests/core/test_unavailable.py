"""When the database cannot be reached the app says so: 503 with Retry-After."""

import pytest

from prog_tracker import create_app

pytestmark = pytest.mark.own_database


def test_readyz_and_api_answer_503_when_the_database_is_down(tmp_path):
    app = create_app(
        {
            "ENV": "test",
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "s" * 48,
            "AUDIT_KEY": "a" * 48,
            # Nothing listens on port 1: connecting fails at once.
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
        }
    )
    client = app.test_client()
    client.set_cookie("pt_session", "a-session-token-to-look-up")
    assert client.get("/healthz").status_code == 200
    for path in ("/readyz", "/api/v1/participants"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.get_json()["error"]["code"] == "unavailable"
        assert int(response.headers["Retry-After"]) > 0
