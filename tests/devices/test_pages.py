"""The settings page's "My devices", the admin devices page, and sign-out's Clear-Site-Data."""

import re

from prog_tracker.devices.models import Device
from tests.conftest import signin
from tests.devices.conftest import fresh, make_device
from tests.pages import inline_script


def _page_client(app, user):
    client = app.test_client()
    return client, signin(client, user)


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert not inline_script(html) and "style=" not in html
    return html


def _revoke_buttons(html: str) -> int:
    return len(re.findall(r'action="/[a-z/]*devices/[0-9a-f-]+/revoke"', html))


def test_settings_lists_my_devices_with_state_and_unsent_count(app, make):
    user = make.user("caseworker")
    make_device(user, label="Kitchen tablet", pending_count=7)
    make_device(user, label="Old phone", revoked=True)
    make_device(make.user("caseworker"), label="Someone else's")
    client, _csrf = _page_client(app, user)
    html = _html(client.get("/settings"))
    section = html[html.index('id="my-devices"') :]
    assert "Kitchen tablet" in section and "Old phone" in section
    assert "Someone else" not in html
    assert "7" in section and "Revoked" in section and "Active" in section
    assert _revoke_buttons(section) == 1  # the revoked one has none


def test_settings_says_so_when_there_are_no_devices(app, make):
    client, _csrf = _page_client(app, make.user("caseworker"))
    html = _html(client.get("/settings"))
    assert "You have not signed in to the field app on any device yet." in html


def test_revoking_from_settings_redirects_back_to_the_section(app, make):
    user = make.user("caseworker")
    device = make_device(user)
    client, csrf = _page_client(app, user)
    response = client.post(f"/settings/devices/{device.id}/revoke", data={"csrf_token": csrf})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/settings#my-devices")
    assert fresh(Device, device.id).revoked_at is not None
    assert "The device is revoked" in client.get("/settings").get_data(as_text=True)


def test_revoking_from_settings_needs_the_csrf_token(app, make):
    user = make.user("caseworker")
    device = make_device(user)
    client, _csrf = _page_client(app, user)
    assert client.post(f"/settings/devices/{device.id}/revoke").status_code == 400
    assert fresh(Device, device.id).revoked_at is None


def test_someone_elses_device_cannot_be_revoked_from_settings(app, make):
    device = make_device(make.user("caseworker"))
    client, csrf = _page_client(app, make.user("caseworker"))
    response = client.post(f"/settings/devices/{device.id}/revoke", data={"csrf_token": csrf})
    assert response.status_code == 404
    assert fresh(Device, device.id).revoked_at is None


def test_the_admin_page_lists_filters_and_revokes(app, make):
    owner = make.user("caseworker", display_name="Dana Ermek")
    device = make_device(owner, label="Field phone")
    other = make_device(make.user("instructor"), label="Workshop tablet")
    client, csrf = _page_client(app, make.user("admin"))
    html = _html(client.get("/admin/devices"))
    assert "Dana Ermek" in html and owner.username in html and "Field phone" in html
    assert "the device erases this person" in html
    assert _revoke_buttons(html) >= 2
    filtered = _html(client.get(f"/admin/devices?user_id={owner.id}"))
    assert "Field phone" in filtered and "Workshop tablet" not in filtered
    form = {"csrf_token": csrf, "next": f"/admin/devices?user_id={owner.id}"}
    response = client.post(f"/admin/devices/{device.id}/revoke", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/devices?user_id={owner.id}")
    assert fresh(Device, device.id).revoked_at is not None
    revoked = _html(client.get("/admin/devices?state=revoked"))
    assert "Field phone" in revoked and "Workshop tablet" not in revoked
    assert "Workshop tablet" in _html(client.get("/admin/devices?state=active"))
    assert other.id


def test_a_bad_filter_re_renders_with_an_error(app, make):
    client, _csrf = _page_client(app, make.user("admin"))
    response = client.get("/admin/devices?state=lost")
    assert response.status_code == 422


def test_supervisors_read_their_countrys_devices_without_revoke_buttons(app, make):
    kz, ug = make.facility(country="KZ"), make.facility(country="UG")
    here = make_device(make.user("instructor", facility=kz), label="Almaty tablet")
    make_device(make.user("instructor", facility=ug), label="Kampala tablet")
    client, csrf = _page_client(app, make.user("supervisor", country="KZ"))
    html = _html(client.get("/admin/devices"))
    assert "Almaty tablet" in html and "Kampala tablet" not in html
    assert _revoke_buttons(html) == 0
    response = client.post(f"/admin/devices/{here.id}/revoke", data={"csrf_token": csrf})
    assert response.status_code == 404
    assert fresh(Device, here.id).revoked_at is None


def test_other_roles_get_403_on_the_admin_page(app, make):
    for role in ("caseworker", "officer", "instructor"):
        client, _csrf = _page_client(app, make.user(role))
        assert client.get("/admin/devices").status_code == 403


def test_the_nav_links_the_devices_page_for_admins_only_and_supervisors(app, make):
    admin, _ = _page_client(app, make.user("admin"))
    caseworker, _ = _page_client(app, make.user("caseworker"))
    assert 'href="/admin/devices"' in _html(admin.get("/settings"))
    assert 'href="/admin/devices"' not in _html(caseworker.get("/settings"))


def test_a_users_admin_page_counts_their_devices(app, make):
    user = make.user("caseworker")
    make_device(user)
    make_device(user, revoked=True)
    client, _csrf = _page_client(app, make.user("admin"))
    html = _html(client.get(f"/admin/users/{user.id}"))
    assert "Devices: 2" in html
    assert f'href="/admin/devices?user_id={user.id}"' in html


def test_both_sign_outs_send_clear_site_data(app, make):
    client, csrf = _page_client(app, make.user("caseworker"))
    response = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies"'
    client, csrf = _page_client(app, make.user("officer"))
    response = client.post("/logout", data={"csrf_token": csrf})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies"'
