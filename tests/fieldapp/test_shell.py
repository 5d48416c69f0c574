"""The field app's routes: shell, service worker, strings, manifest, and the size budget."""

import json
import re
from html.parser import HTMLParser

from PIL import Image

from prog_tracker.fieldapp.assets import precache_urls, static_files
from prog_tracker.resources import resource_path

STATIC = resource_path("static")
BUDGET_BYTES = 150_000  # the shell's HTML + JS + CSS, before compression (issue 5)
# Everything the service worker stores at install (HTML, every module, CSS; icons and
# catalogues aside), before compression. 230 kB is about 60 kB gzipped: under ten seconds
# at the 50 kB/s of a weak 3G link, once per version, on the first visit only; and it
# leaves room for the screens still to come without letting the app grow unnoticed.
WHOLE_APP_BUDGET_BYTES = 230_000
# The screens an app start may draw first: sign-in, and each role's home.
# Every start draws the lock screen, then the home screen (or the sign-in screen).
FIRST_SCREENS = ("app/screens/signin.js", "app/screens/caseload.js", "app/screens/sessions.js")
LOCK_SCREEN = "app/screens/lock.js"
# Static imports only: `import x from './y.js'` and `import './y.js'`. A dynamic
# `import('./y.js')` (a screen loaded on demand) is not matched: no space after `import`.
IMPORT = re.compile(r"""^\s*import\s[^'"(]*['"](\.{1,2}/[^'"]+)['"]""", re.MULTILINE)
DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*['"](\.{1,2}/[^'"]+)['"]\s*\)""")


class _Assets(HTMLParser):
    """Collect the scripts and stylesheets a page loads, and its inline scripts."""

    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.inline_scripts, self.handlers = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.handlers += [name for name in attributes if name.startswith("on")]
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])
        elif tag == "script" and attributes.get("type") != "application/json":
            self.inline_scripts.append(attributes)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.styles.append(attributes["href"])


def _assets(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


def _module_graph(entry: str) -> set[str]:
    """Every module reachable from entry by static imports (paths under /static)."""
    seen, todo = set(), [entry]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        source = (STATIC / path).read_text(encoding="utf-8")
        folder = path.rsplit("/", 1)[0]
        for relative in IMPORT.findall(source):
            parts = [*folder.split("/"), *relative.split("/")]
            resolved = []
            for part in parts:
                if part == "..":
                    resolved.pop()
                elif part != ".":
                    resolved.append(part)
            todo.append("/".join(resolved))
    return seen


def test_the_shell_answers_every_app_path_with_the_same_page(client):
    first = client.get("/app")
    deep = client.get("/app/people/4b7f0a52-7c1f-4c55-9a4f-2f7c5f1d2e3a")
    assert first.status_code == deep.status_code == 200
    assert first.data == deep.data
    assert first.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in first.headers["Content-Security-Policy"]


def test_the_shell_runs_no_inline_script_and_no_inline_handler(client):
    page = _assets(client.get("/app").get_data(as_text=True))
    assert page.scripts == ["/static/app/main.js"]
    assert not page.inline_scripts and not page.handlers


def test_the_app_code_uses_no_eval_nor_inline_markup():
    for name in static_files():
        if name.endswith(".js"):
            source = (STATIC / name).read_text(encoding="utf-8")
            assert "eval(" not in source and "new Function" not in source, name
            assert ".innerHTML" not in source and "insertAdjacentHTML" not in source, name


def test_the_shell_is_the_same_signed_in_or_not(client, api_as):
    anonymous = client.get("/app")
    signed_in = api_as("caseworker").client.get("/app")
    assert anonymous.data == signed_in.data
    assert signed_in.headers["Cache-Control"] == "no-cache"


def test_the_service_worker_is_served_from_the_root_with_its_precache(client, app):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    assert "__CACHE_VERSION__" not in script and "__PRECACHE__" not in script
    listed = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", script).group(1))
    assert listed == precache_urls(app.config["TRANSLATED_LOCALES"])
    for url in listed:
        assert client.get(url).status_code == 200, url


def test_the_service_worker_never_caches_the_api():
    script = (STATIC / "sw.js").read_text(encoding="utf-8")
    assert "url.pathname.startsWith('/api/')) return;" in script


def test_every_module_the_shell_imports_is_precached(client):
    modules = _module_graph("app/main.js")
    assert modules <= set(static_files())


def test_every_screen_loaded_on_demand_is_precached_for_offline_use():
    main = (STATIC / "app" / "main.js").read_text(encoding="utf-8")
    screens = {f"app/{path.removeprefix('./')}" for path in DYNAMIC_IMPORT.findall(main)}
    assert screens >= set(FIRST_SCREENS)
    for screen in screens:
        assert _module_graph(screen) <= set(static_files()), screen


def test_screens_load_on_demand_so_the_start_fetches_only_the_shell():
    assert not any(name.startswith("app/screens/") for name in _module_graph("app/main.js"))


def test_the_strings_come_from_the_server_catalogue(client):
    french = client.get("/app/i18n/fr.json").get_json()
    assert french["locale"] == "fr" and french["dir"] == "ltr"
    assert french["messages"]["Sync now"] == "Synchroniser"
    assert client.get("/app/i18n/en.json").get_json()["messages"] == {}
    assert client.get("/app/i18n/xx.json").status_code == 404


def test_the_manifest_makes_the_app_installable(client):
    manifest = client.get("/manifest.json").get_json()
    assert manifest["start_url"] == "/app" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = set()
    for icon in manifest["icons"]:
        path = resource_path("static") / icon["src"].removeprefix("/static/")
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes


def test_the_shell_with_its_code_and_styles_fits_the_budget(client):
    """What a start loads: the page, its styles, its modules and the largest first screen."""
    html = client.get("/app").data
    page = _assets(html.decode())
    files = {href.removeprefix("/static/") for href in page.styles}
    for script in page.scripts:
        files |= _module_graph(script.removeprefix("/static/"))
    for screen in FIRST_SCREENS:
        start = files | _module_graph(screen) | _module_graph(LOCK_SCREEN)
        total = len(html) + sum((STATIC / name).stat().st_size for name in start)
        assert total <= BUDGET_BYTES, f"{screen}: {total} bytes"


def test_the_whole_app_fits_its_budget(client):
    html = client.get("/app").data
    code = [name for name in static_files() if not name.startswith("icons/")]
    total = len(html) + sum((STATIC / name).stat().st_size for name in code)
    assert total <= WHOLE_APP_BUDGET_BYTES, f"{total} bytes"


def test_arabic_strings_come_with_right_to_left_direction():
    from prog_tracker.fieldapp.catalogue import app_catalogue

    arabic = app_catalogue("ar")  # no Arabic catalogue yet: English strings, RTL layout
    assert arabic["dir"] == "rtl" and arabic["locale"] == "ar"


def test_the_shell_preloads_every_module_of_its_start_and_no_screen(client):
    html = client.get("/app").get_data(as_text=True)
    preloaded = set(re.findall(r'<link rel="modulepreload" href="/static/([^"]+)">', html))
    assert preloaded == _module_graph("app/main.js") - {"app/main.js"}
