"""Marshmallow building blocks shared by every domain's schemas."""

import re
from collections.abc import Callable

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from prog_tracker.core.i18n import LOCALES
from prog_tracker.core.messages import translate_marshmallow_messages
from prog_tracker.core.models import isoformat_z

translate_marshmallow_messages()

NAME_MAX = 200
TEXT_MAX = 10_000


def _storable(value: str) -> None:
    """Refuse NUL and lone surrogates, which the databases cannot store and nobody types."""
    if "\x00" in value:
        raise ValidationError([_l("NUL characters are not allowed.")])
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError([_l("Text must be valid Unicode.")]) from None


class WholeMatch(validate.Regexp):
    """A regular expression the whole value must match.

    The OpenAPI document shows `^(?:…)$`, as JSON Schema (ECMA-262) reads it;
    the check itself uses `\\Z`, since Python's `$` would let a trailing newline
    through.
    """

    def __init__(self, regex: str, error):
        super().__init__(rf"^(?:{regex})$", error=error)  # self.regex: documented
        self.whole = re.compile(rf"(?:{regex})\Z")

    def __call__(self, value):
        """Refuse a value the expression does not match from start to end."""
        if self.whole.match(value) is None:
            raise ValidationError(self._format_error(value))
        return value


def pattern(regex: str, error) -> WholeMatch:
    """A validator matching the whole value (a `$` would let a trailing newline through)."""
    return WholeMatch(regex, error)


# A country as its two-letter ISO code (facilities, organisations, supervisors' reach).
COUNTRY = pattern(r"[A-Z]{2}", _l("Use a two-letter ISO country code, e.g. KZ."))


class Name(fields.String):
    """A short string: names, titles, codes (at most 200 characters), never blank.

    Surrounding white space is stripped; a blank value is refused, or becomes
    null where the field allows null (that is how an optional name is cleared).
    """

    def __init__(self, *args, max_length=NAME_MAX, regex=None, regex_error=None, **kwargs):
        validators: list[Callable[[str], object]] = [validate.Length(max=max_length), _storable]
        if not kwargs.get("allow_none"):
            # Documents minLength 1: a blank value is refused (_deserialize) unless it
            # clears a nullable name. Never fires itself: what is left is not empty.
            validators.append(validate.Length(min=1))
        if regex:
            validators.append(pattern(regex, regex_error))
        super().__init__(*args, validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        """Strip surrounding white space; refuse (or null) what is left blank."""
        result = super()._deserialize(value, attr, data, **kwargs).strip()
        if result:
            return result
        if self.allow_none:
            return None
        raise ValidationError([_l("Must not be empty.")])

    def _validate(self, value):
        """A blank optional name became None: nothing left to check."""
        if value is not None:
            super()._validate(value)


class LocalisedNames(fields.Dict):
    """Names per language, {"kk": "...", "ru": "..."}: keys among the six languages,
    each value a Name (at most 200 characters, never blank). Sent whole: on a PATCH
    the map replaces the one stored (leave a language out to remove its name)."""

    def __init__(self, **kwargs):
        super().__init__(
            keys=fields.String(validate=validate.OneOf(LOCALES)),
            values=Name(),
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        """The map with each key's errors under the key itself ({"fr": ["Too long."]})."""
        if not isinstance(value, dict):
            raise self.make_error("invalid")
        names, errors = {}, {}
        for key, text in value.items():
            try:
                code = self.key_field.deserialize(key)  # type: ignore[union-attr]
                names[code] = self.value_field.deserialize(text)  # type: ignore[union-attr]
            except ValidationError as err:
                errors[str(key)[:16]] = err.messages
        if errors:
            raise ValidationError(errors)
        return names


class FreeText(fields.String):
    """Free text such as notes (at most 10,000 characters)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, validate=[validate.Length(max=TEXT_MAX), _storable], **kwargs)


class Timestamp(fields.DateTime):
    """A UTC timestamp written as ISO 8601 with Z."""

    def _serialize(self, value, attr, obj, **kwargs):
        """Always end in Z."""
        return isoformat_z(value)


class Id(fields.String):
    """A UUID given as a string."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args,
            validate=pattern(
                r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                _l("Must be a UUID."),
            ),
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        """Lower-case the UUID so comparisons are exact."""
        return super()._deserialize(value, attr, data, **kwargs).lower()


def one_of(values, **kwargs):
    """A string field limited to a fixed list of values."""
    return fields.String(validate=validate.OneOf(values), **kwargs)


class StrictSchema(ma.Schema):
    """A schema that refuses unknown fields."""

    class Meta:
        unknown = ma.RAISE


class RecordSchema(StrictSchema):
    """Fields every record carries in its representation."""

    id = fields.String(dump_only=True)
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)
    version = fields.Integer(dump_only=True)


class PatchSchema(StrictSchema):
    """Base for PATCH bodies: any subset of fields, plus an optional version."""

    version = fields.Integer(strict=True, validate=validate.Range(min=1))


class ListQuerySchema(StrictSchema):
    """Pagination parameters documented for every list."""

    limit = fields.Integer(validate=validate.Range(min=1))
    cursor = fields.String()


def page_schema(item_schema, name: str):
    """A list envelope schema {items, next_cursor} for item_schema."""
    return ma.Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "next_cursor": fields.String(allow_none=True),
        },
        name=name,
    )
