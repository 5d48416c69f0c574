"""Every main page used with the keyboard alone, left to right and right to left (issue 8,
WCAG 2.2 AA): the first Tab reaches the skip link, the focus moves down the page in
reading order and never gets stuck, and each stop shows a focus indicator a person can
see, not hidden under the top bar."""

import pytest

from tests.browser.keyboard import keyboard_problems
from tests.browser.test_languages import (  # the same world and sign-in as the language survey
    APP_SCREENS,
    DESKTOP,
    PAGES,
    PHONE,
    _app_sign_in,
    _open_screen,
    _sign_in,
    chromium,  # noqa: F401  (a fixture)
    languages_world,  # noqa: F401  (a fixture)
)

pytestmark = [pytest.mark.browser, pytest.mark.own_database]


@pytest.mark.parametrize("role", list(PAGES))
@pytest.mark.parametrize("language", ("en", "ar"))
def test_every_page_works_with_the_keyboard(language, role, languages_world, chromium):  # noqa: F811
    server, world = languages_world
    context = chromium.new_context(
        locale=language, viewport=DESKTOP, timezone_id="UTC", service_workers="block"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    found: list[str] = []
    try:
        if role != "visitor":
            _sign_in(context, server, world, role, language)
        for name, path in PAGES[role]:
            page.goto(server.url + path.format(**world.ids))
            found += [f"{name}: {p}" for p in keyboard_problems(page, server_page=True)]
        page.set_viewport_size(PHONE)
        if role in ("instructor", "caseworker"):
            _app_sign_in(page, server, world, role)
            page.goto(server.url + APP_SCREENS[role][0][1])  # every start: the lock screen
            page.locator("form.fa-lock input[name=pin]").wait_for()
            found += [f"lock screen: {p}" for p in _app_keyboard_problems(page)]
        for name, path in APP_SCREENS.get(role, ()):
            _open_screen(page, server.url + path.format(**world.ids), language)
            found += [f"{name}: {p}" for p in _app_keyboard_problems(page)]
    finally:
        context.close()
    assert not found, "\n".join(found)


def _app_keyboard_problems(page) -> list[str]:
    """keyboard_problems of a field-app screen, walked again once if the walk met a redraw.

    A screen draws itself anew when its first sync ends; on a loaded machine the
    walk can start in the instant between clearing and drawing, and find nothing.
    """
    problems = keyboard_problems(page, server_page=False)
    if "the Tab key reaches nothing" in problems:
        page.wait_for_timeout(500)
        problems = keyboard_problems(page, server_page=False)
    return problems
