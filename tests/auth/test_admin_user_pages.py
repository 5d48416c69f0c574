"""Admin pages for users: list, create, edit, reset, through HTML forms.

The facility and organisation pages: tests/directory/test_admin_directory_pages.py.
"""

from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.extensions import db


def _admin(client, make, signin):
    """Sign an admin in; returns the CSRF token forms must post."""
    return signin(client, make.user("admin"))


def _user(username):
    """The user with this username, read fresh from the database."""
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def test_user_list_shows_role_scope_active_and_mfa(client, make, signin):
    facility = make.facility(name="Colony 12")
    make.user("officer", facility=facility, username="amina", display_name="Amina K.")
    make.user("caseworker", username="gone", active=False)
    _admin(client, make, signin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "amina" in page and "Amina K." in page and "Colony 12" in page
    assert "Reintegration officer" in page
    assert "<strong>No</strong>" in page  # the deactivated caseworker


def test_admin_creates_a_user_through_the_form(client, make, signin):
    facility = make.facility()
    csrf = _admin(client, make, signin)
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf,
            "username": "new.officer",
            "display_name": "Nurlan B.",
            "role": "officer",
            "password": "a temporary password",
            "facility_id": facility.id,
            "organisation_id": "",
            "country": "",
            "locale": "ru",
        },
    )
    assert response.status_code == 302
    user = _user("new.officer")
    assert (user.role, user.facility_id, user.locale) == ("officer", facility.id, "ru")
    assert user.must_change_password
    assert response.headers["Location"].endswith(f"/admin/users/{user.id}")


def test_user_form_error_keeps_typed_values_and_shows_the_field_error(client, make, signin):
    csrf = _admin(client, make, signin)
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf,
            "username": "lonely.officer",
            "display_name": "Aigerim Typed",
            "role": "officer",
            "password": "a temporary password",
            "facility_id": "",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="lonely.officer"' in page and 'value="Aigerim Typed"' in page
    assert 'id="f-facility_id-error"' in page
    assert "need an existing facility" in page
    assert "a temporary password" not in page  # passwords are never echoed
    assert _user("lonely.officer") is None


def test_form_without_csrf_token_is_refused(client, make, signin):
    _admin(client, make, signin)
    response = client.post("/admin/users/new", data={"username": "x", "role": "admin"})
    assert response.status_code == 400


def test_admin_edits_a_user_and_clears_the_facility(client, make, signin):
    user = make.user("officer", username="moving")
    csrf = _admin(client, make, signin)
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "csrf_token": csrf,
            "version": str(user.version),
            "display_name": "Now a supervisor",
            "role": "supervisor",
            "facility_id": "",
            "organisation_id": "",
            "country": "kz",
            "locale": "",
            "active": "true",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = _user("moving")
    assert (saved.role, saved.facility_id, saved.country) == ("supervisor", None, "KZ")


def test_unticked_active_box_deactivates(client, make, signin):
    user = make.user("caseworker", username="leaver")
    csrf = _admin(client, make, signin)
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "csrf_token": csrf,
            "version": str(user.version),
            "display_name": user.display_name,
            "role": "caseworker",
            "organisation_id": user.organisation_id,
        },
    )
    assert response.status_code == 302
    assert _user("leaver").active is False


def test_stale_user_edit_answers_409_and_keeps_what_was_typed(client, make, signin):
    user = make.user("officer", username="contested", display_name="Original")
    stale_version = user.version
    user.display_name = "Changed meanwhile"
    db.session.commit()
    csrf = _admin(client, make, signin)
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "csrf_token": csrf,
            "version": str(stale_version),
            "display_name": "My typing",
            "role": "officer",
            "facility_id": user.facility_id,
            "active": "true",
        },
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'value="My typing"' in page and "Changed meanwhile" in page
    assert f'name="version" value="{stale_version + 1}"' in page
    assert _user("contested").display_name == "Changed meanwhile"


def test_admin_resets_password_and_mfa(client, make, signin):
    user = make.user("supervisor", username="forgetful")
    csrf = _admin(client, make, signin)
    short = client.post(
        f"/admin/users/{user.id}/reset-password", data={"csrf_token": csrf, "password": "short"}
    )
    assert short.status_code == 422 and 'id="f-password-error"' in short.get_data(as_text=True)
    ok = client.post(
        f"/admin/users/{user.id}/reset-password",
        data={"csrf_token": csrf, "password": "a fresh temporary one"},
    )
    assert ok.status_code == 302 and _user("forgetful").must_change_password
    assert (
        client.post(f"/admin/users/{user.id}/reset-mfa", data={"csrf_token": csrf}).status_code
        == 302
    )
    assert _user("forgetful").mfa_enabled is False


def test_user_pages_are_for_admins_only(client, make, signin):
    signin(client, make.user("officer"))
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/facilities").status_code == 403


def test_unknown_user_id_is_404(client, make, signin):
    _admin(client, make, signin)
    assert client.get("/admin/users/not-a-uuid").status_code == 404
