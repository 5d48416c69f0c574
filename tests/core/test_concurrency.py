"""Requests racing for the same record: one wins, the others get 409, none a 5xx."""

import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import update

from prog_tracker import create_app
from prog_tracker.auth.services import create_api_token
from prog_tracker.core.conflicts import commit_or_conflict
from prog_tracker.core.errors import ApiError
from prog_tracker.extensions import db
from tests.factories import Factory


@pytest.mark.own_database
def test_parallel_patches_on_sqlite_give_one_200_and_409s(tmp_path):
    app = create_app(
        {
            "ENV": "test",
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "s" * 48,
            "AUDIT_KEY": "a" * 48,
            "MFA_KEY": "m" * 48,
            "DATABASE_URL": f"sqlite:///{tmp_path}/race.db",
        }
    )
    with app.app_context():
        upgrade()
        make = Factory()
        token = create_api_token(make.user("admin"), "race")[1]
        target = make.user("officer")
        target_id, version = target.id, target.version
        db.session.remove()
    statuses = []
    start = threading.Barrier(6)

    def patch(n):
        client = app.test_client()
        start.wait()
        response = client.patch(
            f"/api/v1/users/{target_id}",
            json={"display_name": f"Name {n}", "version": version},
            headers={"Authorization": f"Bearer {token}"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=patch, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 5


def test_an_update_that_lost_a_race_at_flush_answers_409_with_the_current_record(make):
    facility = make.facility()
    # Another process bumps the version after we loaded the row.
    model = type(facility)
    bump = update(model).where(model.id == facility.id).values(version=7)
    db.session.execute(bump.execution_options(synchronize_session=False))
    facility.name = "Renamed"
    with pytest.raises(ApiError) as raised:
        commit_or_conflict(facility)
    assert raised.value.status == 409 and raised.value.record is facility
    assert db.session.get(model, facility.id).name != "Renamed"


def test_users_are_rendered_in_409_answers(api_as, make):
    admin = api_as("admin")
    user = make.user("officer")
    response = admin.patch(f"/users/{user.id}", json={"display_name": "X", "version": 99})
    assert response.status_code == 409
    assert response.get_json()["current"]["username"] == user.username
    assert "password_hash" not in response.get_json()["current"]


def test_facilities_and_organisations_are_rendered_in_409_answers(api_as, make):
    admin = api_as("admin")
    for path, record in (
        ("facilities", make.facility()),
        ("organisations", make.organisation()),
    ):
        response = admin.patch(f"/{path}/{record.id}", json={"name": "X", "version": 99})
        assert response.status_code == 409
        assert response.get_json()["current"]["name"] == record.name
