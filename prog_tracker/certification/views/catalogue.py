"""Catalogue admin pages: trades, their skills, and qualifications (admins only)."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.certification import catalogue, services
from prog_tracker.certification.models import Qualification, Skill
from prog_tracker.certification.schemas import (
    QualificationCreateSchema,
    QualificationPatchSchema,
    SkillCreateSchema,
    SkillListQuerySchema,
    SkillPatchSchema,
)
from prog_tracker.certification.views import bp
from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import (
    fold_localised,
    form_data,
    form_id,
    keep_form_errors,
    load_form,
    load_patch,
    localised_inputs,
    localised_values,
    render_form,
)
from prog_tracker.core.pagination import decode_cursor, page_at
from prog_tracker.workshops import services as workshop_services
from prog_tracker.workshops.models import Trade
from prog_tracker.workshops.schemas import TradeCreateSchema, TradePatchSchema


def _admin_only() -> None:
    """The catalogue pages are for admins; anyone else gets 403."""
    policy.require(g.user, "catalogue.manage")


def _page_of(query, endpoint: str, **args):
    """One page of query with links to the next and the first page."""
    offset = decode_cursor(request.args.get("cursor"))
    records, cursor = page_at(query, offset)
    return {
        "records": records,
        "next_url": url_for(endpoint, cursor=cursor, **args) if cursor else None,
        "first_url": url_for(endpoint, **args) if offset else None,
    }


def _conflict(saved: dict, values: dict) -> dict:
    """Saved values that differ from what the user typed (after a 409)."""
    return {
        name: value for name, value in saved.items() if (value or "") != (values.get(name) or "")
    }


def _after_error(record, submitted: dict, err: ApiError) -> dict:
    """Keep the typed values; after a 409 take the saved version so saving again works."""
    if err.status == 409:
        submitted["version"] = record.version
    return submitted


# Trades


@bp.route("/admin/trades")
def list_trades():
    """Every trade, with how many skills and qualifications it has."""
    _admin_only()
    page = _page_of(workshop_services.trades_by_name(), ".list_trades")
    counts = catalogue.skill_counts(page["records"])
    return render_template("certification/trades.html", skill_counts=counts, **page)


@bp.route("/admin/trades/new", methods=["GET", "POST"])
def new_trade():
    """Add a trade."""
    _admin_only()
    if request.method == "GET":
        return _trade_page(None, {})
    submitted = form_data(("name", *localised_inputs("names")))
    try:
        data = load_form(
            TradeCreateSchema(), {**fold_localised(submitted, "names"), "id": form_id()}
        )
        workshop_services.create_trade(g.user, data)
    except ApiError as err:
        keep_form_errors(err)
        return _trade_page(None, submitted, err)
    flash(_("Saved."), "success")
    return redirect(url_for(".list_trades"))


@bp.route("/admin/trades/<trade_id>", methods=["GET", "POST"])
def edit_trade(trade_id):
    """Rename a trade (a stale version answers 409 with what changed)."""
    _admin_only()
    trade = policy.get_record(g.user, Trade, trade_id)
    if request.method == "GET":
        return _trade_page(trade, _trade_values(trade))
    submitted = form_data(("name", "version", *localised_inputs("names")))
    try:
        folded = fold_localised(submitted, "names")
        data = load_patch(TradePatchSchema(), folded, required=("name",))
        workshop_services.update_trade(g.user, trade, data)
    except ApiError as err:
        keep_form_errors(err)
        return _trade_page(trade, _after_error(trade, submitted, err), err)
    flash(_("The changes are saved."), "success")
    return redirect(url_for(".list_trades"))


def _trade_values(trade: Trade) -> dict:
    """The form values of a saved trade."""
    return {"name": trade.name, "version": trade.version, **localised_values(trade.names, "names")}


def _trade_page(trade, values: dict, err=None):
    """Render the trade form."""
    conflict = {}
    if err is not None and err.status == 409:
        conflict = _conflict({"name": trade.name}, values)
    return render_form(
        "certification/trade_form.html", values, err, record=trade, conflict=conflict
    )


# Skills


@bp.route("/admin/skills")
def list_skills():
    """The skills of every trade, or of one (?trade_id=)."""
    _admin_only()
    shown = {"trade_id": request.args.get("trade_id", "").strip()}
    try:
        filters = load_form(SkillListQuerySchema(), {"trade_id": shown["trade_id"] or None})
        query = catalogue.skills_by_trade(filters.get("trade_id"))
        page = _page_of(query, ".list_skills", **{k: v for k, v in shown.items() if v})
    except ApiError as err:
        page, error = {"records": [], "next_url": None, "first_url": None}, err
    else:
        error = None
    return render_form(
        "certification/skills.html",
        shown,
        error,
        trade_options=workshop_services.trade_options(),
        **page,
    )


@bp.route("/admin/skills/new", methods=["GET", "POST"])
def new_skill():
    """Add a skill to a trade."""
    _admin_only()
    if request.method == "GET":
        return _skill_page(None, {"trade_id": request.args.get("trade_id")})
    submitted = form_data(("trade_id", "code", "title", *localised_inputs("titles")))
    try:
        data = load_form(
            SkillCreateSchema(), {**fold_localised(submitted, "titles"), "id": form_id()}
        )
        skill = services.create_skill(g.user, data)
    except ApiError as err:
        keep_form_errors(err)
        return _skill_page(None, submitted, err)
    flash(_("Saved."), "success")
    return redirect(url_for(".list_skills", trade_id=skill.trade_id))


@bp.route("/admin/skills/<skill_id>", methods=["GET", "POST"])
def edit_skill(skill_id):
    """Change a skill's code or title."""
    _admin_only()
    skill = policy.get_record(g.user, Skill, skill_id)
    if request.method == "GET":
        return _skill_page(skill, _skill_values(skill))
    submitted = form_data(("code", "title", "version", *localised_inputs("titles")))
    try:
        folded = fold_localised(submitted, "titles")
        data = load_patch(SkillPatchSchema(), folded, required=("code", "title"))
        services.update_skill(g.user, skill, data)
    except ApiError as err:
        keep_form_errors(err)
        return _skill_page(skill, _after_error(skill, submitted, err), err)
    flash(_("The changes are saved."), "success")
    return redirect(url_for(".list_skills", trade_id=skill.trade_id))


def _skill_values(skill: Skill) -> dict:
    """The form values of a saved skill."""
    return {
        "code": skill.code,
        "title": skill.title,
        "version": skill.version,
        **localised_values(skill.titles, "titles"),
    }


def _skill_page(skill, values: dict, err=None):
    """Render the skill form."""
    conflict = {}
    if err is not None and err.status == 409:
        saved = _skill_values(skill)
        conflict = _conflict({"code": saved["code"], "title": saved["title"]}, values)
    return render_form(
        "certification/skill_form.html",
        values,
        err,
        record=skill,
        conflict=conflict,
        trade_options=workshop_services.trade_options(),
    )


# Qualifications


@bp.route("/admin/qualifications")
def list_qualifications():
    """Every qualification with its trade, level and skills."""
    _admin_only()
    return render_template(
        "certification/qualifications.html",
        **_page_of(catalogue.qualifications_by_trade(), ".list_qualifications"),
    )


@bp.route("/admin/qualifications/new", methods=["GET", "POST"])
def new_qualification():
    """Define a qualification as skills of one trade."""
    _admin_only()
    if request.method == "GET":
        trade_id = request.args.get("trade_id")
        return _qualification_page(None, {"trade_id": trade_id, "skill_ids": []})
    submitted = _qualification_form(("trade_id", "title", "level"))
    try:
        data = load_form(
            QualificationCreateSchema(), {**fold_localised(submitted, "titles"), "id": form_id()}
        )
        services.create_qualification(g.user, data)
    except ApiError as err:
        keep_form_errors(err)
        return _qualification_page(None, submitted, err)
    flash(_("Saved."), "success")
    return redirect(url_for(".list_qualifications"))


@bp.route("/admin/qualifications/<qualification_id>", methods=["GET", "POST"])
def edit_qualification(qualification_id):
    """Change a qualification; certificates already issued keep their evidence."""
    _admin_only()
    qualification = policy.get_record(g.user, Qualification, qualification_id)
    if request.method == "GET":
        return _qualification_page(qualification, _qualification_values(qualification))
    submitted = _qualification_form(("title", "level", "version"))
    try:
        folded = fold_localised(submitted, "titles")
        data = load_patch(QualificationPatchSchema(), folded, required=("title", "level"))
        services.update_qualification(g.user, qualification, data)
    except ApiError as err:
        keep_form_errors(err)
        values = _after_error(qualification, submitted, err)
        return _qualification_page(qualification, values, err)
    flash(_("The changes are saved."), "success")
    return redirect(url_for(".list_qualifications"))


def _qualification_form(fields: tuple[str, ...]) -> dict:
    """The submitted qualification form, with the ticked skills as a list."""
    submitted = form_data((*fields, *localised_inputs("titles")))
    submitted["skill_ids"] = [s for s in request.form.getlist("skill_ids") if s.strip()]
    return submitted


def _qualification_values(qualification: Qualification) -> dict:
    """The form values of a saved qualification."""
    return {
        "trade_id": qualification.trade_id,
        "title": qualification.title,
        "level": qualification.level,
        "skill_ids": qualification.skill_ids,
        "version": qualification.version,
        **localised_values(qualification.titles, "titles"),
    }


def _qualification_page(qualification, values: dict, err=None):
    """Render the qualification form: skills as checkboxes, grouped by trade."""
    if err is not None and isinstance((err.fields or {}).get("skill_ids"), dict):
        # Errors of single list items (a malformed id) read as one message.
        err.fields = {**err.fields, "skill_ids": [_("Choose skills from the list.")]}
    trade_id = qualification.trade_id if qualification is not None else None
    return render_form(
        "certification/qualification_form.html",
        values,
        err,
        record=qualification,
        conflict=_qualification_conflict(qualification, values, err),
        trade_options=workshop_services.trade_options(),
        skill_groups=catalogue.skill_groups(trade_id),
    )


def _qualification_conflict(qualification, values: dict, err) -> dict:
    """After a 409: the saved title, level and skills that differ from the form."""
    if err is None or err.status != 409:
        return {}
    saved = _qualification_values(qualification)
    conflict = _conflict({"title": saved["title"], "level": saved["level"]}, values)
    if sorted(values.get("skill_ids") or []) != saved["skill_ids"]:
        conflict["skill_ids"] = ", ".join(s.title for s in qualification.skills)
    return conflict
