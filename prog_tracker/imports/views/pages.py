"""Import a register: choose the file, check it (a dry run with a per-row report), then
import it. The checked file waits server-side (uploads.py) so it is not sent twice."""

from flask import Response, g, request
from flask_babel import gettext as _

from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import render_form
from prog_tracker.core.input import accepts_upload
from prog_tracker.imports import blanks, services, uploads
from prog_tracker.imports.columns import LABELS
from prog_tracker.imports.views import bp
from prog_tracker.participants.services import facilities_to_register_at

TEMPLATE = "imports/participants.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/participants")
def import_page():
    """The upload form."""
    policy.require_import(g.user)
    return _page({"facility_id": g.user.facility_id})


@bp.route("/participants/check", methods=["POST"])
@accepts_upload("IMPORT_MAX_BYTES")
def check_import():
    """Check the chosen file (nothing written) and keep it for the import."""
    policy.require_import(g.user)
    values = {"facility_id": request.form.get("facility_id") or None}
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(values, ApiError(422, "validation_error", _no_file(), {"file": [_no_file()]}))
    data = upload.read()
    try:
        result = services.import_participants(g.user, data, values["facility_id"], dry_run=True)
    except ApiError as err:
        return _refused(values, err)
    return _page(values, result=result, token=uploads.keep_upload(g.user.id, data))


@bp.route("/participants/apply", methods=["POST"])
def apply_import():
    """Import the file checked before (asked for again once it has expired)."""
    policy.require_import(g.user)
    values = {"facility_id": request.form.get("facility_id") or None}
    token = request.form.get("token", "")
    data = uploads.take_upload(g.user.id, token)
    if data is None:
        return _page(values, ApiError(422, "upload_expired", _expired()))
    try:
        result = services.import_participants(g.user, data, values["facility_id"])
    except ApiError as err:
        return _refused(values, err)
    uploads.drop_upload(g.user.id, token)
    return _page(values, result=result)


@bp.route("/participants/template.csv")
def template_csv():
    """A blank register as CSV, headed in the reader's language."""
    policy.require_import(g.user)
    return _download(blanks.blank_csv(), "text/csv; charset=utf-8", "participants.csv")


@bp.route("/participants/template.xlsx")
def template_xlsx():
    """A blank register as XLSX, headed in the reader's language."""
    policy.require_import(g.user)
    return _download(blanks.blank_xlsx(), XLSX, "participants.xlsx")


def _download(body: bytes, mimetype: str, name: str) -> Response:
    """A file to save."""
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, mimetype=mimetype, headers=headers)


def _refused(values: dict, err: ApiError):
    """The form again with why the file was refused (403 goes to the error page)."""
    if err.status not in (413, 422):
        raise err
    return _page(values, err)


def _page(values: dict, err: ApiError | None = None, result=None, token=None):
    """Render the page: the form, and the check's or the import's report."""
    facilities = facilities_to_register_at(g.user)
    return render_form(
        TEMPLATE,
        values,
        err,
        result=result,
        token=token,
        labels=LABELS,
        facility_options=[(f.id, f.name) for f in facilities],
    )


def _no_file() -> str:
    """Why nothing was checked."""
    return _("Choose a CSV or XLSX file.")


def _expired() -> str:
    """Why the checked file is gone."""
    return _("The checked file is no longer kept; choose it and check it again.")
