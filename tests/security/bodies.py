"""JSON bodies for the API's write routes, from the OpenAPI document: wrong ones for
the error branches, plausible ones that name records by id."""

from datetime import UTC, date, datetime

from tests.security.forms import INVALID_CHOICE, INVALID_DATE, TOO_LONG
from tests.security.routes import FIELD_TYPES, openapi_path


class Bodies:
    """Reads request schemas out of an OpenAPI document."""

    def __init__(self, openapi: dict):
        self.openapi = openapi or {}

    def schema(self, method: str, rule) -> dict:
        """The request body's JSON schema of a route ({} if none)."""
        operation = self._operation(openapi_path(rule), method)
        content = operation.get("requestBody", {}).get("content", {})
        return self.resolve(content.get("application/json", {}).get("schema", {}))

    def _operation(self, path: str, method: str) -> dict:
        return self.openapi.get("paths", {}).get(path, {}).get(method.lower(), {})

    def resolve(self, schema: dict) -> dict:
        """A schema with its $ref followed."""
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.openapi.get("components", {}).get("schemas", {}).get(name, {})
        return schema

    def _properties(self, schema: dict):
        for name, prop in self.resolve(schema).get("properties", {}).items():
            yield name, self.resolve(prop)

    def _object_items(self, prop: dict) -> dict | None:
        """The item schema of an array of objects (None for other arrays)."""
        items = self.resolve(prop.get("items", {}))
        return items if items.get("properties") else None

    def field_names(self) -> set:
        """Every property name of every schema (pages post the same names)."""
        names = set()
        for schema in self.openapi.get("components", {}).get("schemas", {}).values():
            names.update(schema.get("properties", {}))
        return names

    def invalid(self, schema: dict) -> dict:
        """Every property with a wrong value for its type."""
        out = {}
        for name, prop in self._properties(schema):
            kind, items = prop.get("type"), self._object_items(prop)
            if kind == "string" and prop.get("format") in ("date", "date-time"):
                out[name] = INVALID_DATE
            elif kind == "string" and "enum" in prop:
                out[name] = INVALID_CHOICE
            elif kind == "string":
                out[name] = TOO_LONG
            elif kind == "array" and items is not None:
                out[name] = [self.invalid(items)]
            else:
                out[name] = "x"
        return out or {"unknown_field": "x"}

    def plausible(self, schema: dict, ids: dict) -> dict:
        """Values of the right types, ids taken from `ids` by field name."""
        out = {}
        for name, prop in self._properties(schema):
            kind, fmt, items = prop.get("type"), prop.get("format"), self._object_items(prop)
            if name in ids:
                out[name] = ids[name]
            elif kind == "string" and fmt == "date":
                out[name] = date.today().isoformat()
            elif kind == "string" and fmt == "date-time":
                out[name] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            elif kind == "string":
                out[name] = prop["enum"][0] if prop.get("enum") else "crawler text"
            elif kind in ("integer", "boolean"):
                out[name] = 1 if kind == "integer" else False
            elif kind == "array":
                out[name] = [self.plausible(items, ids)] if items is not None else []
        return out

    def id_fields(self, schema: dict, depth: int = 0) -> set:
        """Property names (also inside arrays of objects) that carry ids of a known type."""
        names = set()
        for name, prop in self._properties(schema):
            items = self._object_items(prop)
            if name in FIELD_TYPES:
                names.add(name)
            elif items is not None and depth < 2:
                names |= self.id_fields(items, depth + 1)
        return names

    def query_id_parameters(self, path: str) -> list:
        """The query parameters of a GET route that take ids of a known type."""
        return [
            p["name"]
            for p in self._operation(path, "get").get("parameters", [])
            if p.get("in") == "query" and p.get("name") in FIELD_TYPES
        ]
