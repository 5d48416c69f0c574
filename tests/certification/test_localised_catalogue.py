"""Trades, skills, qualifications and cohorts named in every language (issue 20)."""

import html
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from prog_tracker.certification import documents
from prog_tracker.certification.models import Qualification, Skill
from prog_tracker.extensions import db
from prog_tracker.sync.represent import load, represent
from prog_tracker.workshops.models import Cohort, Trade


def _text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def test_the_api_takes_and_shows_names_per_language(api_as):
    admin = api_as("admin")
    made = admin.post("/trades", json={"name": "Welding", "names": {"kk": "Дәнекерлеу"}})
    assert made.status_code == 201, made.get_json()
    trade = made.get_json()
    assert (trade["name"], trade["names"]) == ("Welding", {"kk": "Дәнекерлеу"})

    # A PATCH sends the whole map: languages left out lose their name.
    changed = admin.patch(
        f"/trades/{trade['id']}", json={"version": 1, "names": {"ru": "Сварка", "ar": "لحام"}}
    )
    assert changed.get_json()["names"] == {"ru": "Сварка", "ar": "لحام"}
    assert admin.get(f"/trades/{trade['id']}").get_json()["name"] == "Welding"

    skill = admin.post(
        "/skills",
        json={"trade_id": trade["id"], "code": "W-1", "title": "Tacks", "titles": {"fr": "Pointe"}},
    )
    assert skill.status_code == 201 and skill.get_json()["titles"] == {"fr": "Pointe"}
    qualification = admin.post(
        "/qualifications",
        json={
            "trade_id": trade["id"],
            "title": "Welder",
            "titles": {"kk": "Дәнекерлеуші"},
            "level": "1",
            "skill_ids": [skill.get_json()["id"]],
        },
    )
    assert qualification.get_json()["titles"] == {"kk": "Дәнекерлеуші"}
    assert admin.get("/trades").get_json()["items"][0]["names"] == {"ru": "Сварка", "ar": "لحام"}


def test_the_api_refuses_unknown_languages_and_bad_names_beside_the_language(api_as):
    admin = api_as("admin")
    for names, key in (({"de": "Schweißen"}, "de"), ({"fr": "x" * 201}, "fr"), ({"kk": ""}, "kk")):
        response = admin.post("/trades", json={"name": "Welding", "names": names})
        assert response.status_code == 422
        assert list(response.get_json()["error"]["fields"]["names"]) == [key]
    assert db.session.scalar(select(Trade).where(Trade.name == "Welding")) is None


def test_organisations_and_cohorts_take_names_per_language(api_as, make):
    admin = api_as("admin")
    body = {"name": "Jol", "names": {"kk": "Жол"}, "country": "KZ", "kind": "ngo"}
    organisation = admin.post("/organisations", json=body)
    assert organisation.status_code == 201 and organisation.get_json()["names"] == {"kk": "Жол"}
    cohort = make.cohort(titles={"ru": "Сварка, весна"})
    shown = admin.get(f"/cohorts/{cohort.id}").get_json()
    assert shown["titles"] == {"ru": "Сварка, весна"}
    changed = admin.patch(f"/cohorts/{cohort.id}", json={"version": 1, "titles": {"ru": "Сварка"}})
    assert changed.status_code == 200 and changed.get_json()["titles"] == {"ru": "Сварка"}


def test_the_trade_form_has_a_name_per_language_and_keeps_what_was_typed(client, make, signin):
    csrf = signin(client, make.user("admin"))
    page = _text(client.get("/admin/trades/new"))
    for code, own in (("kk", "Қазақша"), ("ar", "العربية"), ("fr", "Français")):
        assert f'<label for="f-names-{code}" lang="{code}">{own}</label>' in page
    assert 'name="names.ar" type="text" lang="ar"\n           dir="rtl"' in page

    refused = client.post(
        "/admin/trades/new",
        data={
            "csrf_token": csrf,
            "name": "Welding",
            "names.kk": "Дәнекерлеу",
            "names.ru": "я" * 201,
        },
    )
    assert refused.status_code == 422
    page = _text(refused)
    assert 'id="f-names-ru-error"' in page and 'value="Дәнекерлеу"' in page

    made = client.post(
        "/admin/trades/new",
        data={"csrf_token": csrf, "name": "Welding", "names.kk": "Дәнекерлеу", "names.fr": " "},
    )
    assert made.status_code == 302
    trade = db.session.scalar(select(Trade).where(Trade.name == "Welding"))
    assert trade.names == {"kk": "Дәнекерлеу"}

    # Editing: the saved names are in the form; emptying one removes it.
    assert 'value="Дәнекерлеу"' in _text(client.get(f"/admin/trades/{trade.id}"))
    saved = client.post(
        f"/admin/trades/{trade.id}",
        data={"csrf_token": csrf, "version": "1", "name": "Welding", "names.ru": "Сварка"},
    )
    assert saved.status_code == 302
    db.session.refresh(trade)
    assert trade.names == {"ru": "Сварка"}


def test_skill_and_qualification_forms_save_titles_per_language(client, make, signin):
    csrf = signin(client, make.user("admin"))
    trade = make.trade(name="Tailoring")
    response = client.post(
        "/admin/skills/new",
        data={
            "csrf_token": csrf,
            "trade_id": trade.id,
            "code": "T-1",
            "title": "Hems",
            "titles.sw": "Pindo",
        },
    )
    assert response.status_code == 302
    skill = db.session.scalar(select(Skill).where(Skill.code == "T-1"))
    assert skill.titles == {"sw": "Pindo"}
    response = client.post(
        "/admin/qualifications/new",
        data={
            "csrf_token": csrf,
            "trade_id": trade.id,
            "title": "Tailor",
            "titles.ar": "خياط",
            "level": "1",
            "skill_ids": skill.id,
        },
    )
    assert response.status_code == 302
    qualification = db.session.scalar(select(Qualification).where(Qualification.title == "Tailor"))
    assert qualification.titles == {"ar": "خياط"}


def test_a_kazakh_reader_sees_the_kazakh_names_and_others_the_default(client, make, signin):
    trade = make.trade(name="Welding", names={"kk": "Дәнекерлеу"})
    make.skill(trade, title="Tacks", titles={"kk": "Қармау"})
    signin(client, make.user("admin", locale="kk"))
    page = _text(client.get("/admin/skills"))
    assert "Дәнекерлеу" in page and "Қармау" in page and "Welding" not in page
    client.delete_cookie("pt_session")
    signin(client, make.user("admin", locale="ru"))
    page = _text(client.get("/admin/skills"))
    assert "Welding" in page and "Tacks" in page and "Дәнекерлеу" not in page


def test_the_certificate_prints_the_titles_in_the_holders_language(make, monkeypatch):
    trade = make.trade(name="Welding", names={"kk": "Дәнекерлеу"})
    qualification = make.qualification(trade, title="Welder", titles={"kk": "Дәнекерлеуші"})
    certificate = SimpleNamespace(
        participant=make.participant(preferred_language="kk"),
        qualification=qualification,
        holder_name="Арман Бекмұханов",
        issuer_facility=SimpleNamespace(public_name="Skills Centre"),
        issued_on=date(2026, 5, 1),
        code="ABCD-EFGH-JKMN-PQRS",
        status="valid",
    )
    printed = {}
    monkeypatch.setattr(documents, "render_certificate_pdf", lambda **args: printed.update(args))
    documents.certificate_pdf_bytes(certificate)
    assert (printed["qualification_title"], printed["trade_name"]) == (
        "Дәнекерлеуші",
        "Дәнекерлеу",
    )


def test_the_field_app_receives_the_titles_per_language(make):
    skill = make.skill(title="Tacks", titles={"kk": "Қармау"})
    qualification = make.qualification(titles={"ru": "Сварщик"})
    cohort = make.cohort(titles={"kk": "Көктем"})
    user = make.user("admin")
    assert represent(user, "skill", load("skill", [skill.id]))[0]["titles"] == {"kk": "Қармау"}
    shown = represent(user, "qualification", load("qualification", [qualification.id]))[0]
    assert shown["titles"] == {"ru": "Сварщик"}
    assert represent(user, "cohort", load("cohort", [cohort.id]))[0]["titles"] == {"kk": "Көктем"}


def test_the_cohort_form_takes_titles_per_language_and_the_pages_show_the_readers(
    client, make, signin
):
    facility = make.facility()
    officer = make.user("officer", facility=facility, locale="en")
    trade = make.trade(name="Welding", names={"ru": "Сварка"})
    csrf = signin(client, officer)
    start = date.today()
    response = client.post(
        "/cohorts/new",
        data={
            "csrf_token": csrf,
            "trade_id": trade.id,
            "facility_id": facility.id,
            "title": "Welding, spring",
            "titles.ru": "Сварка, весна",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=30)).isoformat(),
            "capacity": "8",
        },
    )
    assert response.status_code == 302, _text(response)
    cohort = db.session.scalar(select(Cohort).where(Cohort.title == "Welding, spring"))
    assert cohort.titles == {"ru": "Сварка, весна"}
    client.delete_cookie("pt_session")
    signin(client, make.user("officer", facility=facility, locale="ru"))
    page = _text(client.get(f"/cohorts/{cohort.id}"))
    assert "<h1>Сварка, весна</h1>" in page and "Сварка" in page and "Welding" not in page
