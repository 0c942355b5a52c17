"""The tree shows the architecture: no import cycle, small modules, an orchestrator that knows no
family, and families (and the example plugin) that use only faithbench's public API."""

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE_ROOTS = [ROOT, ROOT / "tasks", ROOT / "leaderboard", ROOT / "plugins" / "faithbench-example"]
MAX_LINES = 300
FAMILIES = sorted(p.name for p in (ROOT / "tasks").iterdir() if (p / "__init__.py").is_file())


def _modules() -> dict[str, Path]:
    """Every module of faithbench, the built-in families, the site and the example plugin."""
    found = {}
    for root in PACKAGE_ROOTS:
        for path in root.glob("faithbench*/**/*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _runtime_nodes(tree: ast.AST):
    """Every node except those under ``if TYPE_CHECKING:`` (annotations only, never executed)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(path: Path) -> set[str]:
    """Every module a file imports at run time, at any depth (lazy imports inside functions too)."""
    out = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES}
    return {m for m in out if m in MODULES}


def test_the_families_are_found():
    assert FAMILIES == [
        "faithbench_biased_prompts",
        "faithbench_interventions",
        "faithbench_introspection",
        "faithbench_iphr",
        "faithbench_monitorability",
        "faithbench_predictive",
        "faithbench_visibility",
    ]
    assert "faithbench.pipeline.evaluate" in MODULES and "faithbench_example" in MODULES


def test_no_import_cycle():
    graph = {name: _imports(path) - {name} for name, path in MODULES.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(nxt) :] + [nxt]))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_no_module_over_300_lines():
    long = {
        name: n for name, path in MODULES.items() if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_core_imports_no_family():
    for name, path in MODULES.items():
        if name.split(".")[0] == "faithbench":
            families = {m for m in _imports(path) if m.split(".")[0] in FAMILIES}
            assert not families, f"{name} imports {families}"


def test_plugins_use_only_the_public_api():
    """Built-in families and the example plugin import ``faithbench`` (the contracts) and
    ``faithbench.helpers``, never another submodule (``faithbench.testing`` is for their tests)."""
    plugins = [*FAMILIES, "faithbench_example"]
    for name, path in MODULES.items():
        if name.split(".")[0] not in plugins:
            continue
        private = {m for m in _imports(path) if m.startswith("faithbench.") and m != "faithbench.helpers"}
        assert not private, f"{name} imports {private}"
        others = {m.split(".")[0] for m in _imports(path)} - {"faithbench", name.split(".")[0]}
        assert not others, f"{name} imports another plugin: {others}"


def test_public_api_names_exist():
    import faithbench

    missing = [n for n in faithbench.__all__ if not hasattr(faithbench, n)]
    assert missing == []


def test_no_core_module_names_a_familys_option():
    """Families bring their own options: no identifier or string of the core (``faithbench.testing``,
    a plugin itself, aside) names a task parameter or side-model role a family declares, nor its
    flags; the observer is the core's own role."""
    from faithbench.plugins.manager import load_registry

    reg = load_registry()
    names = set()
    for task in reg.tasks.values():
        for param in task.parameters:
            flags = [param.flag, param.flag.lstrip("-").replace("-", "_")] if param.flag else []
            names |= {param.name, *flags}
    for role in reg.roles.values():
        if role.name != "observer":
            flags = [role.flag, f"{role.flag}-args"] if role.flag else []
            names |= {role.name, *flags, *(f.lstrip("-").replace("-", "_") for f in flags)}
    assert {"samples_per_arm", "--monitor-model", "cross", "samples_per_question"} <= names
    for name, path in MODULES.items():
        if name.split(".")[0] != "faithbench" or name.startswith("faithbench.testing"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            said = {
                ast.Constant: lambda n: n.value if isinstance(n.value, str) else None,
                ast.Name: lambda n: n.id,
                ast.Attribute: lambda n: n.attr,
                ast.arg: lambda n: n.arg,
                ast.keyword: lambda n: n.arg,
            }.get(type(node), lambda n: None)(node)
            assert said not in names, f"{name}:{node.lineno} names a family's option: {said!r}"
