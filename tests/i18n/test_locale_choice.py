"""The page language: user setting, then browser, then facility country."""

import re

from tests.conftest import signin


def _html_tag(response):
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_browser_language_is_used_before_sign_in(client):
    response = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert 'lang="fr"' in _html_tag(response) and 'dir="ltr"' in _html_tag(response)
    assert "Se connecter" in response.get_data(as_text=True)


def test_english_by_default(client):
    response = client.get("/login")
    assert 'lang="en"' in _html_tag(response)
    assert "Sign in" in response.get_data(as_text=True)


def test_user_setting_wins_over_the_browser(client, make):
    user = make.user("officer", locale="fr")
    signin(client, user)
    response = client.get("/settings", headers={"Accept-Language": "en"})
    assert 'lang="fr"' in _html_tag(response)


def test_facility_country_is_the_last_resort(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "TRANSLATED_LOCALES", ("en", "fr", "ru"))
    facility = make.facility(country="KZ")
    signin(client, make.user("officer", facility=facility, locale=None))
    assert 'lang="ru"' in _html_tag(client.get("/settings"))


def test_a_language_without_catalogue_falls_back_to_english(app, client, monkeypatch):
    # As on an install whose Swahili catalogue was not compiled.
    monkeypatch.setitem(app.config, "TRANSLATED_LOCALES", ("en", "fr", "ar", "ru", "kk"))
    response = client.get("/login", headers={"Accept-Language": "sw"})
    assert 'lang="en"' in _html_tag(response)


def test_every_language_ships_a_compiled_catalogue(app):
    assert set(app.config["TRANSLATED_LOCALES"]) == {"en", "fr", "ar", "ru", "kk", "sw"}


def test_arabic_pages_are_right_to_left(client):
    response = client.get("/login", headers={"Accept-Language": "ar"})
    assert 'lang="ar"' in _html_tag(response) and 'dir="rtl"' in _html_tag(response)


def test_api_errors_speak_the_callers_language(client):
    response = client.post(
        "/api/v1/auth/login",
        json={"username": "nobody", "password": "wrong password"},
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"
    assert response.get_json()["error"]["message"] != "Wrong username or password."


def test_every_page_declares_lang_and_dir(client, make):
    signin(client, make.user("officer"))
    for path in ("/", "/settings", "/settings/password", "/participants", "/login"):
        tag = _html_tag(client.get(path))
        assert "lang=" in tag and "dir=" in tag, path
