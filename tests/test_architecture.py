"""The code's shape: stage packages that import each other one way, through public names, in small modules."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lib" / "coursenotes"
# The pipeline's order: a stage may import the ones before it (and the shared modules), never after.
ORDER = ["errors", "files", "urls", "settings", "sources", "execution", "markdown", "render", "site"]
ON_TOP = {"build", "incremental", "authoring", "importing", "quarto", "cli", "__main__", "__init__"}
MAX_LINES = 300


def module_name(path: Path) -> str:
    """`coursenotes.execution.plan` for lib/coursenotes/execution/plan.py."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    """The coursenotes modules a file imports (at load time only, when asked)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("coursenotes"):
            continue
        if top_level_only and node.col_offset:
            continue
        submodules = {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES}
        found |= submodules
        if len(submodules) < len(node.names):  # names from the module itself, not only its submodules
            found.add(node.module)
    return {m for m in found if m in MODULES}


def stage(module: str) -> str:
    """The stage a module belongs to: `coursenotes.execution.kernels.local` -> `execution`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_no_module_is_over_300_lines():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_every_package_says_its_job():
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and len(doc) > 40, f"{init} has no docstring stating its job"


def test_stages_import_only_earlier_stages():
    for module, path in MODULES.items():
        here = stage(module)
        for target in imports(path):
            there = stage(target)
            if there == here or here in ON_TOP or there == "__init__":
                continue
            assert there in ORDER and here in ORDER, (module, target)
            assert ORDER.index(there) < ORDER.index(here), f"{module} imports the later stage {target}"


def public_names(package: str) -> set[str]:
    """A stage package's `__all__`."""
    for node in ast.parse(MODULES[package].read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def test_other_stages_are_reached_through_their_public_names():
    for module, path in MODULES.items():
        for target in imports(path):
            there = stage(target)
            if there in ("errors", "files", "urls", "__init__") or there == stage(module) or target.count(".") == 1:
                continue
            if {stage(module), there} <= {"build", "incremental"}:
                continue  # the incremental build is build.py's own machinery, split into modules
            package, _, name = target.rpartition(".")
            public = package.count(".") == 1 and name in public_names(package)  # a module the stage exports
            assert public, f"{module} reaches into {target}; import from coursenotes.{there}"


def test_no_import_cycle():
    graph = defaultdict(set)
    for module, path in MODULES.items():
        graph[module] = imports(path, top_level_only=True) - {module}
    state: dict[str, int] = {}

    def visit(node, trail):
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for module in MODULES:
        if module not in state:
            visit(module, [])
