"""The house's plan holds (issue 19): a small package root, small modules, thin routes,
pages that only render, and no import circle anywhere in prog_tracker.

docs/architecture.md explains the rules; import-linter (tests/core/test_layers.py)
checks the direction between domains, this file the shape inside them.
"""

import ast
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "prog_tracker"
APP_MODULES = {"__init__.py", "cli.py", "config.py", "extensions.py", "resources.py", "server.py"}
MAX_MODULE_LINES = 400
MAX_ROUTE_LINES = 20
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def _modules():
    """Every Python module of the package, with its source."""
    return [(path, path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))]


def _view_modules():
    """The modules of the HTML pages: every domain's views/ package."""
    found = [(p, s) for p, s in _modules() if "views" in p.relative_to(PACKAGE).parts[:-1]]
    assert len(found) > 20, "the pages moved: update this test's idea of where they are"
    return found


def _html_routes(tree):
    """Functions decorated as routes of a Flask blueprint (bp.route, bp.get, bp.post...)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                func = decorator.func if isinstance(decorator, ast.Call) else None
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in ROUTE_DECORATORS
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "bp"
                ):
                    yield node
                    break


def test_the_package_root_holds_only_the_app():
    modules = {p.name for p in PACKAGE.glob("*.py")}
    assert modules == APP_MODULES, "seed data and the like belong in packages (prog_tracker/seed/)"


def test_no_module_is_over_400_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p, s in _modules()
        if (n := len(s.splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, "split these modules"


def test_html_pages_live_in_views_packages():
    loose = sorted(
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.stem.startswith("views_") or p.stem.endswith("_views") or p.name == "views.py"
    )
    assert loose == [], "a domain's pages go in its views/ package"


def test_no_html_route_is_over_20_lines():
    long = {
        f"{p.relative_to(PACKAGE)}:{fn.name}": fn.end_lineno - fn.lineno + 1
        for p, s in _view_modules()
        for fn in _html_routes(ast.parse(s))
        if fn.end_lineno - fn.lineno + 1 > MAX_ROUTE_LINES
    }
    assert long == {}, "a route parses, authorises, calls a service and renders"


def _forbidden_calls(tree):
    """Queries, audit events and commits: the services' work, never a page's."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "select":
            yield node.lineno, "select("
        elif isinstance(func, ast.Attribute):
            if func.attr == "commit":
                yield node.lineno, ".commit()"
            elif isinstance(func.value, ast.Name) and func.value.id == "audit":
                yield node.lineno, f"audit.{func.attr}("


def test_pages_leave_queries_audit_and_commits_to_the_services():
    found = [
        f"{p.relative_to(PACKAGE)}:{line} {what}"
        for p, s in _view_modules()
        for line, what in _forbidden_calls(ast.parse(s))
    ]
    assert found == []


@pytest.fixture(scope="module")
def graph():
    """The import graph of prog_tracker (every import, inside functions too)."""
    return grimp.build_graph("prog_tracker", cache_dir=None)


def _cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.find_modules_directly_imported_by(module):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_pages_are_imported_by_their_own_domain_only(graph):
    outside = sorted(
        f"{importer} -> {imported}"
        for imported in graph.modules
        if ".views" in imported
        for importer in graph.find_modules_that_directly_import(imported)
        if importer.split(".")[1] != imported.split(".")[1]
    )
    assert outside == [], "share through the domain's labels, services or pages modules"


def test_no_import_circle(graph):
    assert _cycles(graph) == []
