"""Reference data in the reader's language: names per locale, countries and languages."""

import pytest
from marshmallow import ValidationError

from prog_tracker.core.localised import (
    country_name,
    country_options,
    display_name,
    language_label,
    language_name,
)
from prog_tracker.core.schemas import LocalisedNames, StrictSchema
from prog_tracker.workshops.models import Trade


class NamesSchema(StrictSchema):
    names = LocalisedNames()


def test_display_name_picks_the_readers_language_and_falls_back_to_the_default():
    trade = Trade(name="Welding", names={"kk": "Дәнекерлеу", "ru": "Сварка"})
    assert display_name(trade, "kk") == "Дәнекерлеу"
    assert display_name(trade, "ru_KZ") == "Сварка"
    assert display_name(trade, "fr") == "Welding"
    assert display_name(Trade(name="Welding", names={}), "kk") == "Welding"


def test_display_name_reads_titles_of_records_named_by_title(make):
    skill = make.skill(title="Measures", titles={"fr": "Mesure"})
    assert (display_name(skill, "fr"), display_name(skill, "ar")) == ("Mesure", "Measures")
    with pytest.raises(TypeError):
        display_name(object(), "fr")


def test_countries_and_languages_are_named_in_the_readers_language():
    assert [country_name("KZ", code) for code in ("en", "ru", "kk", "ar")] == [
        "Kazakhstan",
        "Казахстан",
        "Қазақстан",
        "كازاخستان",
    ]
    assert country_name("TN", "fr") == "Tunisie" and country_name("", "fr") == ""
    assert language_name("kk", "en") == "Kazakh"
    assert language_name("kk", "ru") == "Казахский"  # CLDR's lower case, capitalised
    assert language_label("fr", "en") == "French · Français"
    assert language_label("en", "en") == "English"


def test_country_options_are_every_country_by_name_in_the_readers_order():
    options = country_options("fr")
    codes = [code for code, _name in options]
    assert {"KZ", "TN", "UG", "FR"} <= set(codes) and "EU" not in codes and "001" not in codes
    assert dict(options)["UG"] == "Ouganda"
    names = [name for _code, name in options]
    assert names.index("Égypte") < names.index("Espagne")  # é sorts with e in French


def test_names_per_language_are_validated_key_by_key():
    loaded = NamesSchema().load({"names": {"kk": "  Дәнекерлеу ", "ar": "لحام"}})
    assert loaded == {"names": {"kk": "Дәнекерлеу", "ar": "لحام"}}
    cases = [
        ({"xx": "Name"}, "xx"),
        ({"fr": ""}, "fr"),
        ({"fr": "   "}, "fr"),
        ({"fr": "a" * 201}, "fr"),
        ({"fr": "a\x00b"}, "fr"),
        ({"fr": 3}, "fr"),
    ]
    for names, key in cases:
        with pytest.raises(ValidationError) as refused:
            NamesSchema().load({"names": names})
        assert list(refused.value.messages["names"]) == [key], names
    with pytest.raises(ValidationError):
        NamesSchema().load({"names": ["fr", "Nom"]})
    assert NamesSchema().load({"names": {"fr": "a" * 200}})["names"]["fr"] == "a" * 200
