"""Access is decided in one place (ARCHITECTURE.md, SPEC §3): an AST check.

Code outside `core/policy` must not compare a user's role, nor load a
person-linked record by id with `session.get`: both are access decisions,
and one written by hand somewhere else is how a page came to show people
outside the reader's scope on its error path (issue 18). The allow-list
below names the few places where a role or a lookup by id is a domain rule,
not an access decision; each says why.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "prog_tracker"
POLICY = PACKAGE / "core" / "policy"
# Models whose rows are about one person: loading one by id decides what a user sees.
PERSON_LINKED = {
    "Assessment",
    "Attendance",
    "Certificate",
    "Consent",
    "Contact",
    "ContactVersion",
    "Enrolment",
    "FollowUp",
    "Outcome",
    "Participant",
    "Referral",
    "ReleaseDateChange",
    "ReleaseEpisode",
    "ReleasePlanItem",
    "StatusChange",
}
# (file under prog_tracker/, enclosing function) -> why it is not an access decision.
ALLOWED = {
    ("auth/services.py", "check_user_scope_fields"): (
        "validates a user record: an officer needs a facility, a caseworker an organisation"
    ),
    ("home/views/__init__.py", "home"): (
        "picks the role's home page; each page loads through the policy"
    ),
    ("notifications/reminders.py", "may_receive"): (
        "routes reminder kinds to roles (kinds.KINDS); recipients still pass the policy's scope"
    ),
    ("notifications/reminders.py", "_release_reminders"): (
        "links a caseworker's reminder to the field app, other roles' to the plan page"
    ),
    ("notifications/kinds.py", "kinds_for"): "the reminder kinds a role can switch on or off",
    ("seed/demo/__init__.py", "seed"): "the demo's own seeding: officers get the demo's people",
    ("seed/demo/__init__.py", "_enable_mfa"): (
        "the demo's own seeding: --mfa gives the MFA roles a secret"
    ),
    ("privacy/subject_export.py", "find_subject"): (
        "the command line's administrative lookup: no signed-in user to scope by"
    ),
    ("core/audit.py", "person_of"): (
        "names the person an audit event is about; shows nothing to the user"
    ),
    ("sync/mutations.py", "replayed_create"): (
        "a create's id is taken: the record is judged by sync.scope.in_scope right after"
    ),
    ("sync/mutations.py", "prepare_create"): (
        "attendance keyed by id: a taken id is judged by in_scope (id_taken_by)"
    ),
    ("sync/mutations.py", "prepare_update"): (
        "attendance corrected by id after its session passed policy.get_cohort_record"
    ),
    ("sync/push.py", "_conflict"): (
        "the current record of an update that policy.get_scoped loaded a moment before"
    ),
}


def _modules():
    """Every module of the package outside the policy."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if POLICY not in path.parents:
            yield path


def _is_role(node) -> bool:
    """True for `<x>.role` or a bare `role`."""
    return (isinstance(node, ast.Attribute) and node.attr == "role") or (
        isinstance(node, ast.Name) and node.id == "role"
    )


def _loads_person_by_id(node) -> bool:
    """True for `<session>.get(<PersonLinkedModel, or a model in a variable or table>, …)`."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr != "get" or not node.args:
        return False
    if not _is_session(node.func.value):
        return False
    model = node.args[0]
    # A model named by a variable or looked up in a table could be any of them.
    computed = isinstance(model, ast.Subscript) or (
        isinstance(model, ast.Name) and model.id[:1].islower()
    )
    return computed or (isinstance(model, ast.Name) and model.id in PERSON_LINKED)


def _is_session(node) -> bool:
    """True for `session` or `<x>.session`."""
    return (isinstance(node, ast.Attribute) and node.attr == "session") or (
        isinstance(node, ast.Name) and node.id == "session"
    )


class Finder(ast.NodeVisitor):
    """Collects role comparisons and person lookups by id, with their enclosing function."""

    def __init__(self):
        self.stack, self.found = [], []

    def visit_FunctionDef(self, node):
        """Track the enclosing function."""
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Compare(self, node):
        """A comparison with a role on either side."""
        if any(_is_role(side) for side in [node.left, *node.comparators]):
            self._add(node, "compares a role")
        self.generic_visit(node)

    def visit_Call(self, node):
        """A person-linked record loaded by id."""
        if _loads_person_by_id(node):
            self._add(node, "loads a person-linked record by id")
        self.generic_visit(node)

    def _add(self, node, what: str) -> None:
        self.found.append((self.stack[-1] if self.stack else "<module>", node.lineno, what))


def findings():
    """(file, function, line, what) for every decision made outside the policy."""
    result = []
    for path in _modules():
        finder = Finder()
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        relative = path.relative_to(PACKAGE).as_posix()
        result.extend((relative, fn, line, what) for fn, line, what in finder.found)
    return result


def test_access_is_decided_only_in_the_policy_module():
    """No role comparison or person lookup by id outside core/policy, bar the allow-list."""
    leaks = [
        f"prog_tracker/{path}:{line} {function}() {what}"
        for path, function, line, what in findings()
        if (path, function) not in ALLOWED
    ]
    assert not leaks, "Ask core/policy instead:\n" + "\n".join(leaks)


def test_the_allow_list_has_no_stale_entries():
    """Every allow-list entry still matches code, so it cannot quietly grow stale."""
    used = {(path, function) for path, function, _line, _what in findings()}
    assert set(ALLOWED) - used == set()


def test_the_check_finds_what_it_looks_for():
    """The visitor flags a role comparison and a person lookup (it can fail)."""
    finder = Finder()
    source = (
        "def f(user, pid):\n"
        "    if user.role == 'caseworker':\n"
        "        return db.session.get(Participant, pid)\n"
    )
    finder.visit(ast.parse(source))
    assert [what for _fn, _line, what in finder.found] == [
        "compares a role",
        "loads a person-linked record by id",
    ]
