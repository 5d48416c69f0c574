"""Read the <form>s of a page (html.parser: nothing to install) and fill them in."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

TEXT_TYPES = ("text", "search", "email", "tel", "url", "password", "textarea")
DATE_TYPES = ("date", "datetime-local", "time", "month", "week")
INVALID_DATE, INVALID_NUMBER, INVALID_CHOICE = "not-a-date", "-1", "bogus-value"
TOO_LONG = "x" * 20000


@dataclass
class Field:
    """One control: name, type, its value as the page set it, a select's options."""

    name: str
    type: str
    value: str = ""
    checked: bool = False
    options: list = field(default_factory=list)


@dataclass
class Form:
    """A form: where it goes, how, and its controls."""

    action: str
    method: str
    fields: list = field(default_factory=list)

    def key(self) -> tuple:
        """What makes two forms the same submission."""
        return (self.method, self.action, tuple(sorted({(f.name, f.type) for f in self.fields})))

    def valid(self) -> list:
        """The values a browser would send as the page filled them (first named button)."""
        pairs, button = [], None
        for control in self.fields:
            if control.type in ("submit", "button", "image"):
                button = button or control
            elif control.type in ("checkbox", "radio"):
                if control.checked:
                    pairs.append((control.name, control.value or "on"))
            elif control.type == "select":
                chosen = [v for v, selected in control.options if selected]
                values = [v for v, _ in control.options]
                if chosen or values:
                    pairs.append((control.name, (chosen or values)[0]))
            elif control.type not in ("file", "reset"):
                pairs.append((control.name, control.value))
        if button is not None and button.type == "submit":
            pairs.append((button.name, button.value))
        return _only_one_radio(pairs, self.fields)

    def invalid(self) -> list | None:
        """Every editable value wrong (dates, numbers, choices, lengths); None when the
        form has nothing to edit (it would repeat the valid submission)."""
        pairs, edited = [], False
        types = {f.name: f.type for f in self.fields}
        for name, value in self.valid():
            kind = types.get(name)
            if kind in DATE_TYPES:
                value, edited = INVALID_DATE, True
            elif kind == "number":
                value, edited = INVALID_NUMBER, True
            elif kind in TEXT_TYPES:
                value, edited = TOO_LONG, True
            elif kind in ("select", "radio"):
                value, edited = INVALID_CHOICE, True
            pairs.append((name, value))
        return pairs if edited else None

    def with_value(self, name: str, value: str) -> list:
        """The valid submission with one field's value replaced."""
        return [(n, value if n == name else v) for n, v in self.valid()]

    def names(self, types=None) -> list:
        """The names of its controls (of these types)."""
        return [f.name for f in self.fields if types is None or f.type in types]


def _only_one_radio(pairs: list, fields: list) -> list:
    """A radio group sends one value: the checked one (pairs already hold only those)."""
    seen, out = set(), []
    radios = {f.name for f in fields if f.type == "radio"}
    for name, value in pairs:
        if name in radios and name in seen:
            continue
        seen.add(name)
        out.append((name, value))
    return out


class _FormParser(HTMLParser):
    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=True)
        self.base_url, self.forms = base_url, []
        self._form = self._select = self._textarea = self._option = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.base_url, a.get("action") or self.base_url)
            self._form = Form(_local(action), (a.get("method") or "get").upper())
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            self._form.fields.append(Field(name, kind, a.get("value", ""), "checked" in a))
        elif tag == "button" and name:
            kind = (a.get("type") or "submit").lower()
            self._form.fields.append(Field(name, kind, a.get("value", "")))
        elif tag == "select" and name:
            self._select = Field(name, "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append(self._option)
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._finish_option()
            self._select = None
        elif tag == "option":
            self._finish_option()
        elif tag == "textarea":
            self._textarea = None

    def _finish_option(self):
        option, self._option = self._option, None
        if option is not None and self._select is not None:
            index = self._select.options.index(option)
            value = option[0] if option[0] is not None else option[2].strip()
            self._select.options[index] = (value, option[1])


def _local(url: str) -> str:
    """The path and query of a URL on this site."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def parse_forms(html: str, page_url: str) -> list:
    """The forms of a page, with actions made absolute paths."""
    parser = _FormParser(urljoin("http://localhost", page_url))
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        for control in form.fields:
            # Options still open when the select closed without </option>.
            control.options = [tuple(o[:2]) if isinstance(o, list) else o for o in control.options]
    return parser.forms
