"""The flask-smorest Api, with prog-tracker's own error shape."""

import marshmallow as ma
from flask_smorest import Api


class ErrorBodySchema(ma.Schema):
    """The inner error object (documentation only)."""

    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    # Declared under another name: a Schema's own `fields` attribute holds its fields.
    fields_ = ma.fields.Dict(data_key="fields")
    receipt_token = ma.fields.String(
        metadata={
            "description": "device_revoked (not yet wiped): the one-time token for "
            "POST /devices/{device_id}/wiped"
        }
    )


class ErrorSchema(ma.Schema):
    """The standard error response (documentation only).

    A 409 carries the record as it stands under `current`; a rule error may add
    fields naming what broke the rule (e.g. `missing_skill_ids`), so other
    top-level fields are allowed.
    """

    class Meta:
        unknown = ma.INCLUDE

    error = ma.fields.Nested(ErrorBodySchema, required=True)
    current = ma.fields.Dict(metadata={"description": "the record as it stands now (409)"})


class ProgTrackerApi(Api):
    """flask-smorest Api whose errors are rendered by core.pages instead."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        """Leave error rendering to core.pages.register_error_handlers."""


def make_api(app) -> ProgTrackerApi:
    """One Api per app (flask-smorest keeps the app it was given)."""
    api = ProgTrackerApi(
        app,
        spec_kwargs={
            "security": [{"cookieAuth": [], "csrfToken": []}, {"bearerAuth": []}],
            "info": {
                "description": "prog-tracker JSON API. Errors answer "
                '{"error": {"code", "message", "fields"}}.'
            },
        },
    )
    schemes = api.spec.components.security_scheme
    schemes(
        "cookieAuth", {"type": "apiKey", "in": "cookie", "name": app.config["AUTH_COOKIE_NAME"]}
    )
    schemes("csrfToken", {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"})
    schemes("bearerAuth", {"type": "http", "scheme": "bearer"})
    return api
