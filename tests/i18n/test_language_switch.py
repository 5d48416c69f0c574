"""The language switcher: on every page, without JavaScript, for anyone; and the field app's."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from prog_tracker.auth.models import User
from prog_tracker.auth.sessions import start_session
from prog_tracker.core.i18n import LANGUAGE_NAMES, LOCALE_COOKIE
from prog_tracker.extensions import db
from prog_tracker.fieldapp.assets import precache_urls, static_files
from prog_tracker.resources import resource_path
from tests.conftest import signin

TEMPLATES = resource_path("templates")


class _Switcher(HTMLParser):
    """The switcher form of a page: its fields, label, options and button."""

    def __init__(self):
        super().__init__()
        self.forms, self.inside, self.labels, self.options = [], False, {}, []
        self.selects, self.hidden, self.buttons, self._label, self._text = [], {}, [], None, ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "language-switch" in (a.get("class") or ""):
            self.forms.append(a)
            self.inside = True
        elif self.inside and tag == "input" and a.get("type") == "hidden":
            self.hidden[a["name"]] = a.get("value")
        elif self.inside and tag == "select":
            self.selects.append(a)
        elif self.inside and tag == "option":
            self.options.append(a)
        elif self.inside and tag in ("label", "button"):
            self._label, self._text = (tag, a), ""

    def handle_data(self, data):
        if self._label is not None:
            self._text += data

    def handle_endtag(self, tag):
        if self._label is not None and tag == self._label[0]:
            kind, attrs = self._label
            if kind == "label":
                self.labels[attrs.get("for")] = self._text.strip()
            else:
                self.buttons.append((attrs, self._text.strip()))
            self._label = None
        if tag == "form":
            self.inside = False


def _switcher(response) -> _Switcher:
    parser = _Switcher()
    parser.feed(response.get_data(as_text=True))
    return parser


def _html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def _assert_switcher(response, path):
    """One labelled switcher, every language named in itself with its lang, posting to /language."""
    found = _switcher(response)
    assert len(found.forms) == 1, path
    form = found.forms[0]
    assert form["method"] == "post" and form["action"] == "/language", path
    assert found.hidden.get("csrf_token"), path
    assert found.hidden.get("next"), path
    (select,) = found.selects
    assert found.labels.get(select["id"]), path  # a visible label tied to the select
    assert [(o["value"], o["lang"]) for o in found.options] == [(c, c) for c in LANGUAGE_NAMES]
    assert sum("selected" in o for o in found.options) == 1, path
    ((button, text),) = found.buttons
    assert button["type"] == "submit" and text, path


def _post_language(client, locale, next_path="/", csrf=None, **kwargs):
    """Send the switcher's form (with the page's CSRF token unless one is given)."""
    if csrf is None:
        csrf = _switcher(client.get("/login")).hidden["csrf_token"]
    data = {"csrf_token": csrf, "locale": locale, "next": next_path}
    return client.post("/language", data=data, **kwargs)


def _saved_locale(user) -> str | None:
    """The user's language setting as stored (not as this test's session remembers it)."""
    db.session.expire_all()
    return db.session.get(User, user.id).locale


def _set_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{LOCALE_COOKIE}=")]


# On every page


def test_the_switcher_is_on_the_pages_of_someone_not_signed_in(client):
    for path in ("/login", "/verify", "/no-such-page"):
        _assert_switcher(client.get(path), path)


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        ("admin", ("/", "/admin/users", "/participants", "/settings")),
        ("supervisor", ("/", "/reports", "/settings")),
        ("officer", ("/", "/participants", "/cohorts", "/settings")),
        ("instructor", ("/", "/cohorts", "/settings")),
        ("caseworker", ("/", "/settings")),
    ],
)
def test_the_switcher_is_on_every_main_page_signed_in(client, make, role, paths):
    signin(client, make.user(role))
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_switcher(response, path)


def test_every_full_page_template_extends_the_base_with_the_switcher():
    partials = {"macros", "app"}  # form macros; the field app's shell draws its own switcher
    for path in TEMPLATES.rglob("*.html"):
        relative = path.relative_to(TEMPLATES)
        if path.name.startswith("_") or relative.parts[0] in partials or path.name == "base.html":
            continue
        text = path.read_text(encoding="utf-8")
        if "{% extends" in text:
            assert '{% extends "base.html" %}' in text, relative
        else:
            # Included fragments (settings sections and the like) never stand alone.
            assert "<html" not in text, relative


def test_the_current_language_is_the_selected_one(client):
    found = _switcher(client.get("/login", headers={"Accept-Language": "ru"}))
    assert [o["value"] for o in found.options if "selected" in o] == ["ru"]


# Choosing a language


def test_anyone_may_switch_and_the_next_page_speaks_that_language(client):
    response = _post_language(client, "ar", "/login?next=/cohorts")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/cohorts"
    (cookie,) = _set_cookies(response)
    assert cookie.startswith(f"{LOCALE_COOKIE}=ar;")
    for attribute in ("HttpOnly", "SameSite=Lax", "Max-Age=31536000", "Path=/"):
        assert attribute in cookie
    assert "Secure" not in cookie  # plain http here
    page = client.get("/login?next=/cohorts")
    assert 'lang="ar"' in _html_tag(page) and 'dir="rtl"' in _html_tag(page)


def test_the_choice_in_this_browser_comes_before_the_browsers_languages(client):
    _post_language(client, "kk")
    assert 'lang="kk"' in _html_tag(client.get("/login", headers={"Accept-Language": "fr"}))


def test_the_cookie_is_secure_over_https(client):
    csrf = _switcher(client.get("/login", base_url="https://localhost")).hidden["csrf_token"]
    response = _post_language(client, "fr", csrf=csrf, base_url="https://localhost")
    (cookie,) = _set_cookies(response)
    assert "Secure" in cookie


def test_a_signed_in_user_keeps_the_choice_as_their_setting(client, make):
    user = make.user("officer", locale="fr")
    csrf = signin(client, user)
    response = _post_language(client, "kk", "/participants", csrf=csrf)
    assert response.status_code == 302 and response.headers["Location"] == "/participants"
    assert _saved_locale(user) == "kk"
    assert _set_cookies(response)
    assert 'lang="kk"' in _html_tag(client.get("/participants"))


def test_the_account_setting_comes_before_another_browser_choice(client, make):
    user = make.user("officer", locale="fr")
    signin(client, user)
    client.set_cookie(LOCALE_COOKIE, "ar")
    assert 'lang="fr"' in _html_tag(client.get("/settings"))


def test_a_session_owing_its_two_step_set_up_changes_only_this_browser(app, make):
    user = make.user("admin", mfa=False, locale=None)
    row, token = start_session(user, fully_signed_in=False)
    db.session.commit()
    client = app.test_client()
    client.set_cookie("pt_session", token)
    response = _post_language(client, "ru", "/settings/mfa", csrf=row.csrf_token)
    assert response.status_code == 302 and response.headers["Location"] == "/settings/mfa"
    assert _set_cookies(response)
    assert _saved_locale(user) is None
    assert 'lang="ru"' in _html_tag(client.get("/settings/mfa"))


# Refusals


@pytest.mark.parametrize("locale", ["xx", "", "EN", "fr-FR", "../ar", "a" * 300])
def test_an_unknown_language_is_refused_with_a_message(client, make, locale):
    user = make.user("officer", locale="fr")
    csrf = signin(client, user)
    response = _post_language(client, locale, "/settings", csrf=csrf)
    assert response.status_code == 302 and response.headers["Location"] == "/settings"
    assert not _set_cookies(response)
    assert _saved_locale(user) == "fr"
    page = client.get("/settings", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "flash-error" in page


def test_a_language_without_a_catalogue_here_is_refused(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TRANSLATED_LOCALES", ("en", "fr"))
    response = _post_language(client, "sw", "/login")
    assert response.status_code == 302 and not _set_cookies(response)
    assert "That language is not available." in client.get("/login").get_data(as_text=True)


def test_without_the_csrf_token_nothing_changes(client, make):
    user = make.user("officer", locale="fr")
    signin(client, user)
    response = client.post("/language", data={"locale": "ar", "next": "/"})
    assert response.status_code == 400
    assert not _set_cookies(response)
    assert _saved_locale(user) == "fr"
    anonymous = _post_language(client, "ar", csrf="forged")
    assert anonymous.status_code == 400 and not _set_cookies(anonymous)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_a_next_page_off_the_site_is_ignored(client, target):
    response = _post_language(client, "fr", target)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost") and location.path == "/"


def test_an_error_page_sends_the_switcher_back_to_the_start(client):
    assert _switcher(client.get("/verify/NOPE-NOPE-NOPE-NOPE")).hidden["next"] == "/"


# The field app


def test_the_field_app_names_the_languages_as_the_pages_do():
    source = (resource_path("static") / "app" / "i18n.js").read_text(encoding="utf-8")
    block = re.search(r"LANGUAGE_NAMES = \{(.*?)\};", source, re.DOTALL).group(1)
    assert dict(re.findall(r"(\w+): '([^']+)'", block)) == LANGUAGE_NAMES


def test_the_field_app_switcher_is_precached_with_every_language(app, client):
    assert "app/language.js" in static_files()
    main = (resource_path("static") / "app" / "main.js").read_text(encoding="utf-8")
    assert "languageSwitch()" in main  # in the top bar of every screen
    urls = precache_urls(app.config["TRANSLATED_LOCALES"])
    for locale in app.config["TRANSLATED_LOCALES"]:
        assert f"/app/i18n/{locale}.json" in urls
    assert client.get("/app/i18n/fr.json").get_json()["messages"]["Language"] == "Langue"


def test_the_field_app_saves_the_choice_with_the_settings_api():
    source = Path(resource_path("static") / "app" / "language.js").read_text(encoding="utf-8")
    assert "api('PATCH', '/auth/me', { locale: code })" in source


def test_same_as_my_browser_in_the_settings_forgets_the_switchers_choice(client, make):
    user = make.user("officer", locale=None)
    csrf = signin(client, user)
    client.post("/language", data={"locale": "ru", "next": "/settings", "csrf_token": csrf})
    assert 'lang="ru"' in client.get("/settings").get_data(as_text=True)
    body = {"locale": "", "display_name": user.display_name, "csrf_token": csrf}
    assert client.post("/settings", data=body).status_code == 302
    page = client.get("/settings", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="fr"' in page
