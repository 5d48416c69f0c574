"""Every main page in each of the six languages: no interface English left on a page in
another language, <html lang dir> right, no serious or critical axe-core violation, no
control under 44 × 44 px and no right-to-left number laid out left-to-right; server
pages and field app alike (issue 8).

One server with the demo's data and one browser serve the whole module; each role
signs in once per language in a context of its own (the language is the user's
setting, which the app honours first; the browser asks for the same language, which
is what the sign-in pages and the verification page go by). Everything wrong on a
role's pages is collected before the test fails, so one run lists it all, and the
module writes the list, grouped by cause, to test-artifacts/languages-report.md.
Screenshots of the roll, the caseload and the dashboard in Arabic and Kazakh, and of
the field app's phone home screens (its compact header) in English, Arabic and Kazakh,
go to test-artifacts/screenshots/ for people to review.
"""

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest

from tests.browser.axe import describe, scrambled_numbers, small_targets, violations
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.browser.languages_world import ACCOUNTS, seed_languages, set_locale
from tests.browser.untranslated import PAGE_TEXTS, leftover_english, untranslated
from tests.browser.world import PIN, choose_pin, is_locked, unlock

pytestmark = [pytest.mark.browser, pytest.mark.own_database]

LANGUAGES = ("en", "fr", "ar", "ru", "kk", "sw")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# (role, page) -> file name stem; taken in these languages, for review by people.
SHOTS = {("instructor", "roll"): "roll", ("caseworker", "home"): "caseload"}
SHOTS[("supervisor", "dashboard")] = "dashboard"
SHOT_LANGUAGES = ("ar", "kk")
# The field app's home screens on a phone, as a user first sees them (the viewport, not
# the full page: the header's share of the screen is what to look at).
APP_SHOTS = {("caseworker", "app-caseload"): "app-home-caseworker"}
APP_SHOTS[("instructor", "app-sessions")] = "app-home-instructor"
APP_SHOT_LANGUAGES = ("en", "ar", "kk")
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}

# Server pages per role: (name, path with {id} fields from the world). "visitor" is
# nobody signed in.
PAGES = {
    "visitor": [
        ("sign-in", "/login"),
        ("verify", "/verify"),
        ("verified", "/verify/{certificate_code}"),
    ],
    "instructor": [
        ("home", "/"),
        ("cohorts", "/cohorts"),
        ("cohort", "/cohorts/{cohort}"),
        ("roll", "/sessions/{session}/attendance"),
        ("skills", "/cohorts/{cohort}/participants/{learner}/skills"),
        ("cohort-skill", "/cohorts/{cohort}/skills/{skill}"),
        ("settings", "/settings"),
    ],
    "officer": [
        ("home", "/"),
        ("participants", "/participants"),
        ("participant", "/participants/{certified}"),
        ("new-participant", "/participants/new"),
        ("cohorts", "/cohorts"),
        ("new-cohort", "/cohorts/new"),
        ("releases", "/releases"),
        ("release-plan", "/participants/{learner}/release-plan"),
        ("referrals", "/participants/{learner}/referrals"),
        ("certificates", "/certificates"),
        ("certificate", "/certificates/{certificate}"),
        ("settings", "/settings"),
        ("password", "/settings/password"),
        ("import", "/imports/participants"),
        ("duplicates", "/participants/duplicates"),
    ],
    "caseworker": [
        ("home", "/"),
        ("person", "/aftercare/participants/{client}"),
        ("contact-form", "/aftercare/participants/{client}/contacts/new"),
        ("outcome-form", "/aftercare/participants/{client}/outcomes/new"),
        ("contact-history", "/aftercare/contacts/{contact}"),
        ("inbox", "/referrals/inbox"),
        ("settings", "/settings"),
    ],
    "supervisor": [
        ("home", "/"),
        ("dashboard", "/reports"),
        ("participants", "/participants"),
        ("certificates", "/certificates"),
        ("mfa", "/settings/mfa"),
        ("audit", "/audit"),
        ("reason", "/access-reason/{certified}"),
        ("devices", "/admin/devices"),
    ],
    "admin": [
        ("home", "/"),
        ("users", "/admin/users"),
        ("new-user", "/admin/users/new"),
        ("user", "/admin/users/{user}"),
        ("facilities", "/admin/facilities"),
        ("facility", "/admin/facilities/{facility}"),
        ("organisations", "/admin/organisations"),
        ("organisation", "/admin/organisations/{organisation}"),
        ("trades", "/admin/trades"),
        ("skills", "/admin/skills"),
        ("qualifications", "/admin/qualifications"),
        ("devices", "/admin/devices"),
        ("import", "/imports/participants"),
        ("duplicates", "/participants/duplicates"),
    ],
}
# Field-app screens (after signing in through the app itself, as its users do).
APP_SCREENS = {
    "visitor": [("app-sign-in", "/app/signin")],
    "instructor": [
        ("app-sessions", "/app/sessions"),
        ("app-roll", "/app/sessions/{session}"),
        ("app-skills", "/app/skills"),
        ("app-cohort-skills", "/app/cohorts/{cohort}/skills"),
        ("app-attention", "/app/attention"),
    ],
    "caseworker": [
        ("app-caseload", "/app/caseload"),
        ("app-followups", "/app/followups"),
        ("app-reminders", "/app/reminders"),
        ("app-referrals", "/app/referrals"),
        ("app-person", "/app/people/{client}"),
        ("app-contact-form", "/app/people/{client}/contact"),
        ("app-outcome-form", "/app/people/{client}/outcome"),
        ("app-sign-out", "/app/signout"),
    ],
}


@pytest.fixture(scope="module")
def languages_world(tmp_path_factory):
    """A running server with the demo's data: (server, world)."""
    server = LiveServer(tmp_path_factory.mktemp("languages") / "instance")
    server.migrate()
    world = seed_languages(server)
    server.start()
    yield server, world
    server.stop()


@pytest.fixture(scope="module")
def chromium(playwright_driver):
    """One browser for the module (a context per role and language)."""
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def report():
    """Every problem found, written grouped by cause when the module ends."""
    problems: list[tuple] = []  # (language, page, kind, cause, detail)
    yield problems
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "languages-report.md").write_text(_grouped(problems), "utf-8")


@pytest.mark.parametrize("role", list(PAGES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_speak_the_language_and_pass_axe(
    language, role, languages_world, chromium, report
):
    server, world = languages_world
    # No service worker: offline use is test_install_offline's; here it would only precache
    # the app (and its six catalogues) again in every context.
    context = chromium.new_context(
        locale=language, viewport=DESKTOP, timezone_id="UTC", service_workers="block"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    found: list[tuple] = []
    try:
        if role != "visitor":
            _sign_in(context, server, world, role, language)
        for name, path in PAGES[role]:
            path = path.format(**world.ids)
            page.goto(server.url + path)
            found += _survey(page, role, name, language, world, expect=path)
        page.set_viewport_size(PHONE)
        if role in ("instructor", "caseworker"):
            _app_sign_in(page, server, world, role)
            found += _survey_lock_screen(page, server, role, language, world)
        for name, path in APP_SCREENS.get(role, ()):
            path = path.format(**world.ids)
            _open_screen(page, server.url + path, language)
            found += _survey(page, role, name, language, world, expect=path)
    finally:
        context.close()
    found += [(language, role, "script", error, "") for error in errors]
    report.extend(found)
    assert not found, "\n".join(" | ".join(filter(None, problem)) for problem in found)


def _sign_in(context, server, world, role: str, language: str) -> None:
    """Set the account's language, then sign in through the API (the context keeps the cookie)."""
    username = ACCOUNTS[role]
    set_locale(server, username, language)
    body = {"username": username, "password": world.password}
    if username in world.totp_secrets:
        body["totp"] = pyotp.TOTP(world.totp_secrets[username]).now()
    answer = context.request.post(server.url + "/api/v1/auth/login", data=body)
    assert answer.ok, answer.text()


def _app_sign_in(page, server, world, role: str) -> None:
    """Sign in through the field app's own form; wait for its first sync."""
    # A device that only runs the app: with the website's session cookie still there, the
    # app's sign-in is refused as a stale form (the session's CSRF token is not the app's).
    page.context.clear_cookies()
    page.goto(server.url + "/app/signin")
    page.locator("input[name=username]").fill(ACCOUNTS[role])
    page.locator("input[name=password]").fill(world.password)
    page.locator("form.fa-signin button[type=submit]").click()
    page.locator("form.fa-lock input[name=repeat]").wait_for()  # a first sign-in here
    choose_pin(page)
    try:  # signed in: the menu is drawn and the first sync has finished
        page.wait_for_function(
            """() => document.querySelector('#fa-nav a')
                 && Number(document.getElementById('fa-status').dataset.rounds) > 0"""
        )
    except Exception:
        raise AssertionError(f"no sign-in: {page.inner_text('body')[:1000]}") from None


def _survey_lock_screen(page, server, role, language, world) -> list:
    """The lock screen every start of the app shows first (before any of its screens)."""
    home = APP_SCREENS[role][0][1]
    page.goto(server.url + home)
    page.locator("form.fa-lock input[name=pin]").wait_for()
    return _survey(page, role, "app-lock", language, world, expect=home)


def _open_screen(page, url: str, language: str) -> None:
    """Load a screen (unlocking the app: every load starts locked); wait for its
    language, its heading and (signed in) its first sync."""
    page.goto(url)
    page.wait_for_function("() => document.querySelector('#main h1')")
    if is_locked(page):
        unlock(page, PIN)
    page.wait_for_function(
        """(language) => document.documentElement.lang === language
             && document.querySelector('#main h1') && !document.getElementById('fa-loading')""",
        arg=language,
    )
    if "signin" not in url:
        page.wait_for_function(
            "() => Number(document.getElementById('fa-status').dataset.rounds) > 0"
        )


def _survey(page, role, name, language, world, expect: str) -> list:
    """Everything wrong with the page as it stands: address, lang and dir, English, axe."""
    where = f"{role}/{name}"
    found = []
    if urlsplit(page.url).path != expect:
        found.append((language, where, "address", "not the page asked for", page.url))
    lang, direction = page.evaluate("() => [document.documentElement.lang, document.dir]")
    want = "rtl" if language == "ar" else "ltr"
    if (lang, direction) != (language, want):
        found.append((language, where, "lang/dir", f"lang={lang!r} dir={direction!r}", ""))
    if language != "en":
        found += _english(page.evaluate(PAGE_TEXTS), language, world.data_texts, where)
    for rule in violations(page):
        cause = f"{rule['id']} ({rule['impact']}): {rule['help']}"
        found += [(language, where, "axe", cause, line) for line in describe(rule)]
    for line in scrambled_numbers(page):
        cause = "right-to-left date or number laid out left-to-right (its parts swap)"
        found.append((language, where, "bidi", cause, line))
    for line in small_targets(page):
        found.append((language, where, "touch", "a control smaller than 44 × 44 px", line))
    if (role, name) in SHOTS and language in SHOT_LANGUAGES:
        _screenshot(page, f"{SHOTS[(role, name)]}-{language}.png")
    if (role, name) in APP_SHOTS and language in APP_SHOT_LANGUAGES:
        _screenshot(page, f"{APP_SHOTS[(role, name)]}-{language}.png", full_page=False)
    return found


def _english(texts, language, data_texts, where) -> list:
    """Catalogue English on the page, then English in no catalogue (names aside)."""
    known = untranslated(texts, language, data_texts)
    found = [(language, where, "english", text, kind) for kind, text in known]
    shown = {text for _kind, text in known}
    for kind, run, text in leftover_english(texts, language, data_texts):
        if run not in shown:
            found.append((language, where, "english?", run, f"{kind}: {text[:100]!r}"))
    return found


def _screenshot(page, file_name: str, full_page: bool = True) -> None:
    """A PNG (of the whole page, or of what the screen shows) kept after the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / file_name), full_page=full_page)
    assert (SCREENSHOTS / file_name).stat().st_size > 0


def _grouped(problems) -> str:
    """Markdown: one section per cause (most frequent first), with every page and language."""
    causes: dict[tuple[str, str], list[str]] = {}
    for language, where, kind, cause, detail in problems:
        causes.setdefault((kind, cause), []).append(f"{language} {where}: {detail}".rstrip(": "))
    order = Counter({key: len(rows) for key, rows in causes.items()})
    lines = [f"# Language and accessibility survey: {len(problems)} problems"]
    for (kind, cause), count in order.most_common():
        lines.append(f"\n## [{kind}] {cause} ({count})\n")
        lines += [f"- {row}" for row in sorted(causes[(kind, cause)])]
    return "\n".join(lines) + "\n"
