"""marshmallow's own error messages, made translatable.

marshmallow writes its messages in English at class level; replacing them with
lazy strings once lets every schema answer in the user's language, in forms
and in JSON alike.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate


def translate_marshmallow_messages() -> None:
    """Swap marshmallow's default messages for translatable ones (idempotent)."""
    fields.Field.default_error_messages = {
        "required": _l("This field is required."),
        "null": _l("This field cannot be empty."),
        "validator_failed": _l("Invalid value."),
    }
    fields.String.default_error_messages = {
        "invalid": _l("Not a valid text."),
        "invalid_utf8": _l("Not valid UTF-8 text."),
    }
    fields.Number.default_error_messages = {
        "invalid": _l("Not a valid number."),
        "too_large": _l("Number too large."),
    }
    fields.Integer.default_error_messages = {"invalid": _l("Not a valid whole number.")}
    fields.Boolean.default_error_messages = {"invalid": _l("Not a valid yes/no value.")}
    fields.Date.default_error_messages = {
        "invalid": _l("Not a valid date (use YYYY-MM-DD)."),
        "format": _l("This date cannot be shown."),
    }
    fields.DateTime.default_error_messages = {
        "invalid": _l("Not a valid date and time."),
        "invalid_awareness": _l("Not a valid date and time."),
        "format": _l("This date and time cannot be shown."),
    }
    fields.List.default_error_messages = {"invalid": _l("Not a valid list.")}
    fields.Dict.default_error_messages = {"invalid": _l("Not a valid object.")}
    fields.Nested.default_error_messages = {"type": _l("Not a valid object.")}
    Schema._default_error_messages = {
        "type": _l("The body must be a JSON object."),
        "unknown": _l("Unknown field."),
    }
    validate.Length.message_min = _l("Shorter than the minimum length {min}.")
    validate.Length.message_max = _l("Longer than the maximum length {max}.")
    validate.Length.message_all = _l("Length must be between {min} and {max}.")
    validate.Length.message_equal = _l("Length must be {equal}.")
    validate.OneOf.default_message = _l("Must be one of: {choices}.")
    validate.Regexp.default_message = _l("Not in the expected format.")
    validate.Email.default_message = _l("Not a valid email address.")
