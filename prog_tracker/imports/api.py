"""JSON route for importing participants from a register (SPEC §12)."""

import functools

from flask import g
from flask_smorest import Blueprint

from prog_tracker.core import policy
from prog_tracker.core.input import accepts_upload
from prog_tracker.imports import services
from prog_tracker.imports.schemas import (
    ImportFileSchema,
    ImportFormSchema,
    ImportQuerySchema,
    ImportResultSchema,
)

blp = Blueprint(
    "imports_api",
    __name__,
    url_prefix="/api/v1/imports",
    description="Importing participants from registers",
)


def importers_only(view):
    """403 before the upload is parsed, for roles that may not import."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        policy.require_import(g.user)
        return view(*args, **kwargs)

    return checked


@blp.route("/participants", methods=["POST"])
@importers_only
@blp.arguments(ImportQuerySchema, location="query")
@blp.arguments(ImportFormSchema, location="form")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportResultSchema)
@accepts_upload("IMPORT_MAX_BYTES")
def import_participants(query, form, files):
    """Import a register (CSV in UTF-8 or XLSX); ?dry_run=true writes nothing."""
    data = files["file"].read()
    return services.import_participants(
        g.user, data, form.get("facility_id"), dry_run=query["dry_run"]
    )
