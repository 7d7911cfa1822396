"""Staff or customer is a decision, not a branch: only accounts.access.decide() allows or refuses.

Every app module is read with ``ast``; a test of ``is_staff`` (an ``if``/``while``, a conditional
expression, a boolean operation or a comprehension filter) anywhere but in ``accounts/access.py``
and the model properties that define it means a rule was written beside decide() instead of
asked of it. ``is_staff`` may still describe (a badge, a column): it just may not choose.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "tickets", "knowledge", "metrics", "outbox", "helpdesk"]

# The one function that may ask it, and the model properties that say what "staff" means.
ALLOWED_MODULES = {"accounts/access.py"}
ALLOWED_DEFINITIONS = {
    ("accounts/models/roles.py", "is_staff"),
    ("accounts/models/memberships.py", "is_staff"),
}


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or "/tests/" in relative:
                continue
            yield relative


def _mentions_is_staff(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Attribute) and n.attr == "is_staff")
        or (isinstance(n, ast.Name) and n.id == "is_staff")
        for n in ast.walk(node)
    )


class _Finder(ast.NodeVisitor):
    def __init__(self, module: str):
        self.module = module
        self.functions: list[str] = []
        self.found: list[int] = []

    def visit_FunctionDef(self, node):  # noqa: N802 (ast's visitor names)
        if (self.module, node.name) in ALLOWED_DEFINITIONS:
            return
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def _tests(self, node, *tests):
        if any(test is not None and _mentions_is_staff(test) for test in tests):
            self.found.append(node.lineno)
        self.generic_visit(node)

    def visit_If(self, node):  # noqa: N802
        self._tests(node, node.test)

    def visit_While(self, node):  # noqa: N802
        self._tests(node, node.test)

    def visit_IfExp(self, node):  # noqa: N802
        self._tests(node, node.test)

    def visit_BoolOp(self, node):  # noqa: N802
        self._tests(node, *node.values)

    def visit_comprehension(self, node):
        # A comprehension has no line of its own: its target's is the one to name.
        if any(_mentions_is_staff(test) for test in node.ifs):
            self.found.append(node.target.lineno)
        self.generic_visit(node)


def branches_on_is_staff(module: str) -> list[int]:
    tree = ast.parse((ROOT / module).read_text(), filename=module)
    finder = _Finder(module)
    finder.visit(tree)
    return sorted(set(finder.found))


def test_the_apps_are_read():
    modules = list(app_modules())
    assert "tickets/models/tickets.py" in modules
    assert "accounts/access.py" in modules
    assert not [m for m in modules if "/migrations/" in m]


@pytest.mark.parametrize("module", [m for m in app_modules() if m not in ALLOWED_MODULES])
def test_no_module_decides_by_is_staff(module):
    lines = branches_on_is_staff(module)
    assert not lines, (
        f"{module} branches on is_staff at lines {lines}: ask accounts.access.decide() "
        "(an action of accounts/actions.py) instead"
    )


def test_the_finder_sees_each_kind_of_branch(tmp_path):
    source = """
def f(member, xs):
    if member.is_staff: pass
    while not member.role.is_staff: pass
    a = 1 if member.is_staff else 2
    b = member.is_active and member.is_staff
    c = [x for x in xs if x.is_staff]
    badge = member.is_staff
"""
    finder = _Finder("x.py")
    finder.visit(ast.parse(source))
    assert sorted(set(finder.found)) == [3, 4, 5, 6, 7]
