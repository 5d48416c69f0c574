"""Subject access export through the command line and the admin page (SPEC §8, issue 9)."""

import os
import stat

import pytest

from prog_tracker.cli import main
from prog_tracker.extensions import db
from tests.privacy.subject_world import (
    KAZAKH_FAMILY,
    last_event,
    open_zip,
    world_fixture,  # noqa: F401 - the `world` fixture
)

# The command line


@pytest.fixture
def cli(app):
    """Run `prog-tracker …` against the test's app and transaction."""
    runner = app.test_cli_runner()
    previous = os.umask(0o022)
    yield lambda *args: runner.invoke(main, list(args))
    os.umask(previous)  # the CLI tightens the umask of the process it runs in


def test_cli_writes_an_owner_only_zip_and_audits_it(cli, world, tmp_path):
    out = tmp_path / "export.zip"
    person = world["person"]
    result = cli("subject-export", person.id, "--output", str(out), "--actor", "admin-dana")
    assert result.exit_code == 1  # no such admin username: the option is checked, not ignored
    assert not out.exists()
    world["admin"].username = "admin-dana"
    db.session.commit()
    result = cli("subject-export", person.id, "--output", str(out), "--actor", "admin-dana")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert open_zip(out.read_bytes())["json"]["participant"]["id"] == person.id
    event = last_event()
    assert (event.action, event.entity_ids, event.actor_id, event.reason_code) == (
        "participant.subject_export",
        [person.id],
        world["admin"].id,
        "subject_access",
    )
    assert list(tmp_path.iterdir()) == [out]  # no partial file left behind


def test_cli_without_actor_records_no_actor(cli, world, tmp_path):
    out = tmp_path / "export.zip"
    assert cli("subject-export", world["person"].id, "--output", str(out)).exit_code == 0
    assert last_event().actor_id is None and out.exists()


@pytest.mark.parametrize("given", ["not-a-uuid", "00000000-0000-4000-8000-000000000000", ""])
def test_cli_refuses_an_unknown_or_malformed_id(cli, world, tmp_path, given):
    before = last_event()
    out = tmp_path / "export.zip"
    result = cli("subject-export", given, "--output", str(out))
    assert result.exit_code == 1
    assert "No participant has this id" in result.output
    assert "Traceback" not in result.output and not out.exists()
    assert isinstance(result.exception, SystemExit)
    assert last_event() == before


def test_cli_refuses_a_non_admin_actor(cli, world, tmp_path):
    out = tmp_path / "export.zip"
    username = world["officer"].username
    result = cli("subject-export", world["person"].id, "--output", str(out), "--actor", username)
    assert result.exit_code == 1 and "active admin" in result.output and not out.exists()


def test_cli_reports_an_unwritable_output_without_auditing(cli, world, tmp_path):
    before = last_event()
    out = tmp_path / "missing-folder" / "export.zip"
    result = cli("subject-export", world["person"].id, "--output", str(out))
    assert result.exit_code == 1 and "Could not write" in result.output
    assert "Traceback" not in result.output and last_event() == before


# The admin page


def _page_url(person) -> str:
    return f"/participants/{person.id}/subject-export"


def test_admin_confirms_then_downloads_the_zip(client, world, signin):
    person = world["person"]
    csrf = signin(client, world["admin"])
    shown = client.get(f"/participants/{person.id}", headers={"X-Access-Reason": "case_review"})
    assert _page_url(person) in shown.get_data(as_text=True)
    page = client.get(_page_url(person))
    assert page.status_code == 200 and KAZAKH_FAMILY in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert client.post(_page_url(person)).status_code == 400  # no CSRF token
    response = client.post(_page_url(person), data={"csrf_token": csrf})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="subject-{person.id}.zip"'
    assert KAZAKH_FAMILY not in disposition
    assert open_zip(response.data)["json"]["participant"]["id"] == person.id
    event = last_event()
    assert (event.action, event.actor_id, event.reason_code) == (
        "participant.subject_export",
        world["admin"].id,
        "subject_access",
    )


def test_opening_the_confirmation_page_is_an_audited_read(client, world, signin):
    signin(client, world["admin"])
    client.get(_page_url(world["person"]))
    event = last_event()
    assert (event.action, event.entity_ids, event.reason_code) == (
        "participant.read",
        [world["person"].id],
        "subject_access",
    )


def test_an_unknown_person_is_not_found_for_the_admin(client, world, signin):
    csrf = signin(client, world["admin"])
    assert client.get("/participants/not-a-uuid/subject-export").status_code == 404
    missing = "/participants/00000000-0000-4000-8000-000000000000/subject-export"
    assert client.post(missing, data={"csrf_token": csrf}).status_code == 404


@pytest.mark.parametrize("role", ["supervisor", "officer", "instructor", "caseworker"])
def test_other_roles_are_refused_and_see_no_link(app, make, world, signin, role):
    person = world["person"]
    user = world[role] if role in world else make.user(role, country="KZ")
    client = app.test_client()
    csrf = signin(client, user)
    before = last_event()
    assert client.get(_page_url(person)).status_code == 403
    assert client.post(_page_url(person), data={"csrf_token": csrf}).status_code == 403
    assert last_event() == before  # nothing exported, nothing read
    reason = {"X-Access-Reason": "case_review"}
    shown = client.get(f"/participants/{person.id}", headers=reason).get_data(as_text=True)
    assert _page_url(person) not in shown
