"""The flask-smorest Api, with prog-tracker's own error shape."""

import marshmallow as ma
from flask_smorest import Api


class ErrorBodySchema(ma.Schema):
    """The inner error object (documentation only)."""

    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict()


class ErrorSchema(ma.Schema):
    """The standard error response (documentation only)."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


class ProgTrackerApi(Api):
    """flask-smorest Api whose errors are rendered by core.api instead."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        """Leave error rendering to core.api.register_error_handlers."""
