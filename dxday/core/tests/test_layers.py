"""Layers run one way, and no module imports itself round a circle.

Every module under dxday/ (tests and migrations aside) is parsed with `ast`; every import at
any depth counts, inside functions and `if TYPE_CHECKING:` blocks too, with relative imports
resolved. Two rules are checked:

- no import cycle between modules;
- no import from a lower layer to a higher one, nor between two apps of the same layer.
  Bottom up: core; orgs, identity; plans, certificates; activities, outreach, learning,
  contest, awards (one layer: they must not import each other); reports, portal (the top).

The top-level settings, urls, api, cli, wsgi and conftest modules are the composition root:
they wire every app together and are exempt. To see the graph yourself:
`python -m pytest dxday/core/tests/test_layers.py -q` reports each offending module and import.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # .../dxday
ROOT = "dxday"

LAYERS: list[set[str]] = [
    {"core"},
    {"orgs", "identity"},
    {"plans", "certificates"},
    {"activities", "outreach", "materials", "learning", "contest", "awards"},
    {"reports", "portal"},
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}
COMPOSITION_ROOT = {"settings", "urls", "api", "cli", "wsgi", "conftest"}

# Nothing is exempt: the whole codebase is held to the rules.
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()
KNOWN_LAYER_EDGES: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _skipped(path: Path) -> bool:
    rel = path.relative_to(PACKAGE).parts
    return any(p in {"tests", "migrations"} for p in rel) or rel[-1].startswith("test_")


def project_modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for p in sorted(PACKAGE.rglob("*.py"))
        if not _skipped(p) and "__pycache__" not in p.parts
    }


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an imported dotted name lands in (its longest known prefix)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int]]:
    """(imported project module, line) for every import statement in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                if node.level > 1:
                    base = base[: len(base) - (node.level - 1)]
                base_name = ".".join(base)
                stem = f"{base_name}.{node.module}" if node.module else base_name
            else:
                stem = node.module or ""
            # `from pkg import name`: `name` may be a submodule (`from . import services`).
            names = [f"{stem}.{alias.name}" for alias in node.names] or [stem]
        else:
            continue
        for name in names:
            if name.split(".")[0] != ROOT:
                continue
            target = _resolve(name, modules)
            if target is not None and target != module:
                found.append((target, node.lineno))
    return found


def import_graph() -> dict[str, dict[str, int]]:
    """{module: {imported module: first line}} over the project's modules."""
    modules = project_modules()
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        edges: dict[str, int] = {}
        for target, line in imports_of(module, path, modules):
            edges.setdefault(target, line)
        graph[module] = edges
    return graph


def app_of(module: str) -> str | None:
    """The app a module belongs to, or None for the composition root and the package itself."""
    parts = module.split(".")
    if len(parts) < 2 or (len(parts) == 2 and parts[1] in COMPOSITION_ROOT):
        return None
    return parts[1]


def cycles(graph: dict[str, dict[str, int]], ignore: set[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if (node, target) in ignore:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _describe(component: list[str], graph: dict[str, dict[str, int]]) -> str:
    members = set(component)
    edges = [
        f"    {src} -> {dst} (line {line})"
        for src in component
        for dst, line in sorted(graph[src].items())
        if dst in members
    ]
    return "  cycle of " + ", ".join(component) + ":\n" + "\n".join(edges)


def test_no_import_cycle_between_modules():
    graph = import_graph()
    found = cycles(graph, ignore=KNOWN_CYCLE_EDGES)
    assert not found, "Import cycles:\n" + "\n".join(_describe(c, graph) for c in found)


def layer_violations(graph: dict[str, dict[str, int]], ignore: set[tuple[str, str]]) -> list[str]:
    """One line per import that runs up the layers or across one layer, naming module and line."""
    offending = []
    for module, edges in sorted(graph.items()):
        source = app_of(module)
        if source is None:
            continue
        for target, line in sorted(edges.items()):
            dest = app_of(target)
            if dest is None or dest == source or (module, target) in ignore:
                continue
            if source not in LAYER_OF or dest not in LAYER_OF:
                offending.append(f"  {module} -> {target} (line {line}): app without a layer")
            elif LAYER_OF[dest] >= LAYER_OF[source]:
                where = "a higher layer" if LAYER_OF[dest] > LAYER_OF[source] else "its own layer"
                offending.append(f"  {module} -> {target} (line {line}): {dest} is {where}")
    return offending


def test_no_import_from_a_lower_layer_to_a_higher_one():
    offending = layer_violations(import_graph(), ignore=KNOWN_LAYER_EDGES)
    assert not offending, "Imports against the layers:\n" + "\n".join(offending)


def test_the_checker_sees_lazy_relative_and_type_checking_imports(tmp_path, monkeypatch):
    """Guards the checker itself: an import inside a function, a `from . import x` and an
    import under `if TYPE_CHECKING:` all count (a checker blind to them passes anything)."""
    pkg = tmp_path / ROOT
    for rel, text in {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/low.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from dxday.plans.models import Plan\n"
            "def f():\n    from dxday.reports import selectors\n"
        ),
        "plans/__init__.py": "",
        "plans/models.py": "",
        "plans/services.py": "from . import tasks\n",
        "plans/tasks.py": "def run():\n    from .services import x\n",
        "reports/__init__.py": "",
        "reports/selectors.py": "from ..core import low\n",
        "activities/__init__.py": "",
        "activities/views.py": "import dxday.outreach.selectors\nfrom dxday.plans import models\n",
        "outreach/__init__.py": "",
        "outreach/selectors.py": "",
        "reports/tests/test_x.py": "from dxday.portal import views\n",
    }.items():
        path = pkg / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.setattr(__name__ + ".PACKAGE", pkg)
    graph = import_graph()
    assert graph["dxday.core.low"] == {"dxday.plans.models": 3, "dxday.reports.selectors": 5}
    assert graph["dxday.reports.selectors"] == {"dxday.core.low": 1}
    assert "dxday.reports.tests.test_x" not in graph
    assert cycles(graph, ignore=set()) == [
        ["dxday.core.low", "dxday.reports.selectors"],
        ["dxday.plans.services", "dxday.plans.tasks"],
    ]
    assert cycles(graph, ignore={("dxday.plans.services", "dxday.plans.tasks")}) == [
        ["dxday.core.low", "dxday.reports.selectors"]
    ]
    assert layer_violations(graph, ignore=set()) == [
        "  dxday.activities.views -> dxday.outreach.selectors (line 1): outreach is its own layer",
        "  dxday.core.low -> dxday.plans.models (line 3): plans is a higher layer",
        "  dxday.core.low -> dxday.reports.selectors (line 5): reports is a higher layer",
    ]
