"""GET /devices and POST /devices/<id>/revoke: who sees and revokes which device."""

from prog_tracker.devices.models import Device
from tests.devices.conftest import device_events, field_login, fresh, make_device, new_id


def _ids(api, query="") -> set:
    response = api.get("/devices" + query)
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_caseworkers_see_their_own_devices_only(api_as, make):
    caseworker, colleague = make.user("caseworker"), make.user("caseworker")
    mine, theirs = make_device(caseworker), make_device(colleague)
    assert _ids(api_as(caseworker)) == {mine.id}
    assert theirs.id not in _ids(api_as(caseworker), f"?user_id={colleague.id}")


def test_admins_see_every_device_and_filter_by_user(api_as, make):
    one, two = make.user("caseworker"), make.user("instructor")
    first, second = make_device(one), make_device(two)
    admin = api_as("admin")
    assert {first.id, second.id} <= _ids(admin)
    assert _ids(admin, f"?user_id={two.id}") == {second.id}


def test_supervisors_see_the_devices_of_their_countrys_staff(api_as, make):
    kz, ug = make.facility(country="KZ"), make.facility(country="UG")
    here = make_device(make.user("instructor", facility=kz))
    there = make_device(make.user("instructor", facility=ug))
    supervisor = make.user("supervisor", country="KZ")
    own = make_device(supervisor)
    seen = _ids(api_as(supervisor))
    assert seen == {here.id, own.id} and there.id not in seen


def test_the_list_is_newest_last_seen_first(api_as, make):
    from datetime import timedelta

    from prog_tracker.core.models import utcnow

    user = make.user("caseworker")
    old = make_device(user, last_seen_at=utcnow() - timedelta(days=3))
    new = make_device(user)
    items = api_as(user).get("/devices").get_json()["items"]
    assert [item["id"] for item in items] == [new.id, old.id]


def test_a_malformed_user_filter_is_a_422(api_as):
    response = api_as("admin").get("/devices?user_id=nope")
    assert response.status_code == 422


def test_the_owner_revokes_and_the_devices_sessions_end(app, api_as, make):
    user = make.user("caseworker")
    device_id = new_id()
    on_device = app.test_client()
    assert field_login(on_device, user, device_id).status_code == 200
    assert on_device.get("/api/v1/auth/me").status_code == 200
    owner = api_as(user)  # the settings page elsewhere: its own session stays
    response = owner.post(f"/devices/{device_id}/revoke")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["revoked_at"] is not None and "key" not in body
    assert on_device.get("/api/v1/auth/me").status_code == 401
    assert owner.get("/auth/me").status_code == 200
    stored = fresh(Device, device_id)
    assert stored.key_ciphertext is None and stored.revoked_by_id == user.id
    [event] = device_events("device.revoke")
    assert event.entity_ids == [device_id, user.id] and event.actor_id == user.id


def test_revoking_again_answers_200_as_it_is(api_as, make):
    user = make.user("caseworker")
    device = make_device(user)
    api = api_as(user)
    first = api.post(f"/devices/{device.id}/revoke").get_json()
    again = api.post(f"/devices/{device.id}/revoke")
    assert again.status_code == 200 and again.get_json()["revoked_at"] == first["revoked_at"]
    assert len(device_events("device.revoke")) == 1


def test_another_caseworker_gets_404_and_a_denied_event(api_as, make):
    owner, other = make.user("caseworker"), make.user("caseworker")
    device = make_device(owner)
    response = api_as(other).post(f"/devices/{device.id}/revoke")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert fresh(Device, device.id).revoked_at is None
    [event] = device_events("device.revoke")
    assert event.outcome == "denied" and event.actor_id == other.id


def test_supervisors_may_not_revoke_others_devices(api_as, make):
    facility = make.facility(country="KZ")
    device = make_device(make.user("instructor", facility=facility))
    response = api_as(make.user("supervisor", country="KZ")).post(f"/devices/{device.id}/revoke")
    assert response.status_code == 404


def test_admins_revoke_anyones_device(api_as, make):
    device = make_device(make.user("caseworker"))
    admin = make.user("admin")
    response = api_as(admin).post(f"/devices/{device.id}/revoke")
    assert response.status_code == 200
    assert fresh(Device, device.id).revoked_by_id == admin.id


def test_unknown_and_malformed_ids_are_404(api_as):
    api = api_as("admin")
    assert api.post(f"/devices/{new_id()}/revoke").status_code == 404
    assert api.post("/devices/not-an-id/revoke").status_code == 404


def test_deactivating_a_user_revokes_their_devices(api_as, make):
    user = make.user("caseworker")
    live, already = make_device(user), make_device(user, revoked=True)
    admin = make.user("admin")
    response = api_as(admin).patch(f"/users/{user.id}", json={"active": False})
    assert response.status_code == 200
    assert fresh(Device, live.id).revoked_at is not None
    assert fresh(Device, live.id).revoked_by_id == admin.id
    events = device_events("device.revoke")
    assert [event.entity_ids for event in events] == [[live.id, user.id]]
    assert already.id not in {i for event in events for i in event.entity_ids}


def test_audit_events_name_no_label_or_person(app, api_as, make):
    user = make.user("caseworker", display_name="Aigerim Nurlanovna")
    device_id = new_id()
    field_login(app.test_client(), user, device_id, label="Aigerim's tablet")
    api_as(user).post(f"/devices/{device_id}/revoke")
    events = device_events()
    assert {event.action for event in events} == {"device.register", "device.revoke"}
    for event in events:
        text = repr(event.entity_ids)
        assert "Aigerim" not in text and "tablet" not in text and user.username not in text
