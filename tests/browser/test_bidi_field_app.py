"""The field app prints names without bidi controls (issue 18), checked in Chromium."""

import json

import pytest

from prog_tracker.resources import resource_path
from tests.core.test_bidi_names import (
    CONTROLS,
    SHOWN_FAMILY,
    SHOWN_GIVEN,
    SPOOF_FAMILY,
    SPOOF_GIVEN,
)

pytestmark = [pytest.mark.browser, pytest.mark.own_database]
ORIGIN = "http://fieldapp.test"
CHECK = """async ([person, spoofed]) => {
  const ui = await import('/app/ui.js');
  return [ui.personName(person), ui.sortedName(person), ui.printableName(spoofed)];
}"""


def _serve_field_app(route) -> None:
    """Answer the page and the app's own modules from the package, as the server would."""
    path = route.request.url[len(ORIGIN) :]
    if path == "/":
        route.fulfill(body="<!doctype html><title>check</title>", content_type="text/html")
        return
    module = resource_path("static") / path.lstrip("/")
    if path.startswith("/app/") and module.is_file():
        route.fulfill(body=module.read_text(), content_type="text/javascript")
        return
    route.fulfill(status=404, body="")


def test_field_app_prints_names_without_controls(browser_context):
    """ui.js, the field app's one place that turns a person into a printed name."""
    page = browser_context().new_page()
    page.route(f"{ORIGIN}/**", _serve_field_app)
    page.goto(f"{ORIGIN}/")
    spoofed = "".join(CONTROLS) + "x\u200fy"
    person = {"given_name": SPOOF_GIVEN, "family_name": SPOOF_FAMILY}
    shown = page.evaluate(CHECK, [person, spoofed])
    assert shown == [
        f"{SHOWN_GIVEN} {SHOWN_FAMILY}",
        f"{SHOWN_FAMILY}, {SHOWN_GIVEN}",
        "x\u200fy",
    ], json.dumps(shown)
