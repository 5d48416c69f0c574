"""Exports with names ask why, with the same reason codes as reading one person's record
(issue 20): the API answers 403 reason_required without X-Access-Reason, the page asks
with the reason picker, and the export's audit event carries the code (no free text)."""

import pytest

from tests.conftest import REASON_ENVIRON
from tests.pages import inline_script
from tests.partners.conftest import events_since, last_event_id
from tests.reports.test_exports import PERIOD, export, rows_of
from tests.reports.test_exports import world as world

PAGE = "/reports/export-identified"


def _without_reason(client):
    """The test client, no longer sending the test default X-Access-Reason."""
    client.environ_base.pop(REASON_ENVIRON, None)
    return client


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_the_api_refuses_an_identified_export_without_a_reason(
    api_as, make, world, role, file_format
):
    api = api_as(make.user(role, country="KZ") if role == "supervisor" else world.admin)
    _without_reason(api.client)
    start = last_event_id()
    query = f"dataset=contacts&{PERIOD}&identified=true"
    response = api.get(f"/reports/export.{file_format}?{query}", buffered=True)
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "reason_required"
    assert "X-Access-Reason" in error["fields"]
    assert "Айгерим" not in response.get_data(as_text=True)
    assert events_since(start) == []


def test_the_api_refuses_an_unknown_reason(api_as, world):
    api = api_as(world.admin)
    response = export(
        api, "contacts", PERIOD + "&identified=true", headers={"X-Access-Reason": "curiosity"}
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "reason_required"


def test_a_pseudonymised_export_needs_no_reason(api_as, world):
    api = api_as(world.admin)
    _without_reason(api.client)
    assert export(api, "contacts").status_code == 200


def test_the_page_asks_why_before_an_export_with_names(world, client, signin):
    signin(client, world.admin)
    _without_reason(client)
    start = last_event_id()
    response = client.get(f"{PAGE}?dataset=contacts&format=csv&{PERIOD}&country=KZ")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Why do you need the names?" in html
    for code in ("case_review", "data_quality", "complaint", "subject_access", "legal"):
        assert f'value="{code}"' in html
    # The export asked for is kept in the form; nothing is exported or audited yet.
    assert 'name="dataset" value="contacts"' in html and 'name="country" value="KZ"' in html
    assert not inline_script(html) and "Айгерим" not in html
    assert events_since(start) == []


def test_the_page_refuses_a_code_that_is_not_a_reason(world, client, signin):
    signin(client, world.admin)
    _without_reason(client)
    response = client.get(f"{PAGE}?dataset=contacts&format=csv&{PERIOD}&reason_code=because")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="reason-code-error"' in html and "Айгерим" not in html


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_page_exports_with_names_and_audits_the_reason(world, client, signin, file_format):
    signin(client, world.admin)
    _without_reason(client)
    start = last_event_id()
    query = f"dataset=contacts&format={file_format}&{PERIOD}&reason_code=safeguarding"
    response = client.get(f"{PAGE}?{query}", buffered=True)
    assert response.status_code == 200
    assert "identified" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    if file_format == "csv":
        assert "Айгерим" in response.get_data(as_text=True)
        assert any(row["participant_id"] == world.aigerim.id for row in rows_of(response))
    events = events_since(start)
    assert [(e.action, e.reason_code) for e in events] == [
        ("report.export_identified", "safeguarding")
    ]


@pytest.mark.parametrize("role", ["officer", "instructor", "caseworker"])
def test_other_roles_never_reach_the_page(world, client, signin, make, role):
    signin(client, make.user(role))
    response = client.get(f"{PAGE}?dataset=contacts&format=csv&reason_code=legal")
    assert response.status_code == 403


def test_the_dashboard_links_exports_with_names_to_the_reason_page(world, client, signin):
    signin(client, world.admin)
    html = client.get(f"/reports?{PERIOD}").get_data(as_text=True)
    assert f'href="{PAGE}?' in html
    assert "identified=true" not in html  # no direct download with names from the page
