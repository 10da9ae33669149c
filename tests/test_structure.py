"""The shape of the code, read from its syntax trees (nothing imported): no import cycle between the
project's modules — imports inside functions count, they only hide a cycle — and no ``_private``
name of one module imported or reached into by another."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGES = ("ingest", "graph", "queries", "app_pages")
MODULES = ("cli", "cli_render", "app")


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name → file, for every module of the project."""
    out = {}
    for pkg in PACKAGES:
        for f in sorted((root / pkg).rglob("*.py")):
            parts = list(f.relative_to(root).with_suffix("").parts)
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    out.update({m: root / f"{m}.py" for m in MODULES})
    return out


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[:len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def _owner(name: str, modules) -> str | None:
    """The project module ``name`` is, or is inside (``ingest.model.line_at`` → ``ingest.model``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports(modules: dict[str, Path], root: Path = ROOT) -> tuple[dict[str, set[str]], list[str]]:
    """(module → project modules it imports anywhere in its code, private names used across modules)."""
    edges: dict[str, set[str]] = {m: set() for m in modules}
    private: list[str] = []
    for mod, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        aliases: dict[str, str] = {}  # local name → the project module it stands for
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if (owner := _owner(a.name, modules)) and owner != mod:
                        edges[mod].add(owner)
                        aliases[a.asname or a.name] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(mod, path.name == "__init__.py", node)
                for a in node.names:
                    full = f"{base}.{a.name}"
                    if full in modules:  # a module imported from its package
                        edges[mod].add(full)
                        aliases[a.asname or a.name] = full
                        continue
                    owner = _owner(base, modules)
                    if owner and owner != mod:
                        edges[mod].add(owner)
                        if a.name.startswith("_") and not a.name.startswith("__"):
                            private.append(f"{path.relative_to(root)}:{node.lineno} imports {a.name} from {owner}")
        for node in ast.walk(tree):  # module._name reached through an imported module
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr.startswith("_")
                    and not node.attr.startswith("__") and aliases.get(node.value.id, mod) in modules
                    and aliases.get(node.value.id, mod) != mod):
                private.append(f"{path.relative_to(root)}:{node.lineno} uses {node.value.id}.{node.attr}")
    return edges, private


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), i.e. the import cycles.
    A package's __init__ is left out: importing ``ingest.x`` runs ``ingest/__init__`` first, but a
    package may list what its modules offer without that being a cycle of design."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_even_through_imports_inside_functions():
    modules = project_modules()
    edges, _ = imports(modules)
    packages = {m for m, f in modules.items() if f.name == "__init__.py"}
    assert cycles({m: e - packages for m, e in edges.items() if m not in packages}) == []


def test_no_private_name_crosses_a_module():
    _, private = imports(project_modules())
    assert private == []


def test_the_checks_catch_a_hidden_cycle_and_a_private_import(tmp_path):
    """The checker itself, on a planted tree: a cycle through a function-level import, a private import."""
    pkg = tmp_path / "queries"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import helper\n_SECRET = 1\n")
    (pkg / "b.py").write_text("def helper():\n    from .a import _SECRET\n    return _SECRET\n")
    (pkg / "c.py").write_text("from queries import a\nX = a._SECRET\n")
    modules = {"queries.a": pkg / "a.py", "queries.b": pkg / "b.py", "queries.c": pkg / "c.py"}
    edges, private = imports(modules, tmp_path)
    assert cycles(edges) == [["queries.a", "queries.b"]]
    assert private == ["queries/b.py:2 imports _SECRET from queries.a", "queries/c.py:2 uses a._SECRET"]
