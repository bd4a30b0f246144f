"""engine/'s import rules (docs/architecture.md), read from the source with ``ast``:

- no import cycle between engine's modules (imports at module level; a package's ``__init__``
  is the package, and importing ``a.b.c`` loads ``a.b`` first);
- no import inside a function, beyond a small allowance: a module that needs another one only
  on some paths names it at its top with ``engine.lazy.module("…")``, the one place that
  defers an import (it keeps ``loushi --version`` and ``--help`` fast);
- every ``lazy.module`` name is written at module level, as a literal, and can be imported.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "engine"
#: Function-level imports allowed in all of engine/: none (issue #19 allows 20; the last one,
#: engine.rules.stages importing the gate, went with engine/gate_rules.py).
MAX_FUNCTION_IMPORTS = 0


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in sorted(ENGINE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in MODULES.items()}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _targets(name: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The engine modules an import statement in module ``name`` loads."""
    if isinstance(node, ast.Import):
        named = [alias.name for alias in node.names]
    else:
        if node.level:
            base = name.split(".") if _is_package(name) else name.split(".")[:-1]
            base = base[:len(base) - (node.level - 1)]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        named = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module for alias in node.names]
    found = set()
    for target in named:
        parts = target.split(".")
        for end in range(2, len(parts) + 1):  # a.b.c loads a.b first, unless a.b is where we are
            prefix = ".".join(parts[:end])
            if prefix in MODULES and not (name + ".").startswith(prefix + "."):
                found.add(prefix)
    found.discard(name)
    return found


def _walk(tree: ast.AST):
    """(node, inside a function) for every import statement and call, skipping TYPE_CHECKING blocks."""
    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom, ast.Call)):
                yield child, in_function
            yield from visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                        ast.Lambda)))
    yield from visit(tree, False)


def _edges() -> dict[str, set[str]]:
    edges = {}
    for name, tree in TREES.items():
        edges[name] = set()
        for node, in_function in _walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not in_function \
                    and getattr(node, "module", None) != "__future__":
                edges[name] |= _targets(name, node)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def _is_lazy_call(node: ast.Call) -> bool:
    func = node.func
    return isinstance(func, ast.Attribute) and func.attr == "module" and isinstance(func.value, ast.Name) \
        and func.value.id == "lazy"


def test_no_import_cycles():
    assert _cycles(_edges()) == []


def _deferred_edges() -> dict[str, set[str]]:
    """The engine modules each module names with ``lazy.module`` (loaded later, on first use)."""
    edges = {name: set() for name in TREES}
    for name, tree in TREES.items():
        for node, _ in _walk(tree):
            if isinstance(node, ast.Call) and _is_lazy_call(node) and isinstance(node.args[0], ast.Constant) \
                    and node.args[0].value in MODULES:
                edges[name].add(node.args[0].value)
    return edges


#: Deferring an import is for start-up speed, not for hiding a cycle (the Excel workbooks, once
#: made in ledger/export.py from render's records, are render's xlsx writer now).
DEFERRED_CYCLES_ALLOWED: list[list[str]] = []


def test_no_import_cycles_through_deferred_imports_either():
    loaded, deferred = _edges(), _deferred_edges()
    both = {name: loaded[name] | deferred[name] for name in loaded}
    assert all(cycle in DEFERRED_CYCLES_ALLOWED for cycle in _cycles(both)), _cycles(both)


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_package_init_is_the_package():
    """A submodule importing a sibling does not loop back through its own package's __init__."""
    rules = _edges()["engine.rules.checks.esc_end"]
    assert "engine.rules.checks._chains" in rules
    assert "engine.rules.checks" not in rules


def test_function_level_imports_are_few():
    inside = [f"{MODULES[name].relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}"
              for name, tree in TREES.items() for node, in_function in _walk(tree)
              if in_function and isinstance(node, (ast.Import, ast.ImportFrom))]
    assert len(inside) <= MAX_FUNCTION_IMPORTS, "\n".join(inside)


def test_deferred_imports_are_named_at_module_level():
    """Only the command registry (engine/cli/__init__.py, from COMMANDS) defers an import from
    inside a function; everywhere else lazy.module names a literal module at the module's top."""
    seen = []
    for name, tree in TREES.items():
        for node, in_function in _walk(tree):
            if isinstance(node, ast.Call) and _is_lazy_call(node):
                where = f"{MODULES[name].relative_to(ROOT)}:{node.lineno}"
                if name == "engine.cli" and in_function:
                    continue
                assert not in_function, f"{where}: lazy.module(...) belongs at the module's top"
                assert len(node.args) == 1 and isinstance(node.args[0], ast.Constant), where
                target = node.args[0].value
                assert target in MODULES or importlib.util.find_spec(target) is not None, f"{where}: {target}"
                seen.append(target)
    assert "engine.render" in seen  # the CLI reaches the engine through it


def test_every_command_module_exists():
    from engine.cli import COMMANDS

    assert all(module in MODULES for module, _ in COMMANDS.values())


def test_only_engine_lazy_uses_importlib():
    users = sorted(name for name, tree in TREES.items()
                   for node, _ in _walk(tree)
                   if isinstance(node, (ast.Import, ast.ImportFrom))
                   and ("importlib" in [a.name for a in node.names] or (getattr(node, "module", None) or "").startswith("importlib")))
    assert users == ["engine.lazy"]


#: ``engine.graph.build`` is the documented function that builds the graph (docs/graph.md).
SHADOWING_ALLOWED = {("engine.graph", "build")}


def test_a_package_never_hides_its_submodules():
    """``from .environment import environment`` in a package's __init__ would make
    ``engine.render.environment`` the function, not the module (what monkeypatch and readers
    reach by that dotted name)."""
    hidden = []
    for name, tree in TREES.items():
        if not _is_package(name):
            continue
        folder = MODULES[name].parent
        submodules = {path.stem for path in folder.glob("*.py")} | {
            path.name for path in folder.iterdir() if (path / "__init__.py").exists()}
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and not (node.module is None and node.level == 1):
                hidden += [(name, alias.asname or alias.name) for alias in node.names
                           if (alias.asname or alias.name) in submodules]
    assert set(hidden) <= SHADOWING_ALLOWED, hidden


# -- no process-wide state in modules -------------------------------------------------------------
#: Decorators that keep a cache in the function, for the whole process.
CACHE_DECORATORS = frozenset(("lru_cache", "cache", "cached"))
#: Methods that change a container in place.
MUTATORS = frozenset(("append", "add", "update", "setdefault", "pop", "popitem", "clear", "extend", "insert",
                      "remove", "discard", "__setitem__", "appendleft", "move_to_end"))


def _module_names(tree: ast.Module) -> set[str]:
    """The names a module binds at its top (inside ``if``/``try`` at the top too)."""
    names: set[str] = set()

    def top(body):
        for node in body:
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            elif isinstance(node, (ast.If, ast.Try)):
                top(node.body)
                top(node.orelse)
                for handler in getattr(node, "handlers", []):
                    top(handler.body)
                top(getattr(node, "finalbody", []))

    top(tree.body)
    return names


def _own_names(function) -> set[str]:
    """The names a function binds itself (its parameters and what it assigns)."""
    args = function.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    if not isinstance(function, ast.Lambda):
        names |= {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return names


def module_state(tree: ast.Module) -> list[tuple[int, str]]:
    """Where a module keeps state for the whole process: a caching decorator, a ``global``
    statement, or a function that writes into (or calls a mutating method of) a container the
    module binds at its top: the module-level cache dicts and lists issue #19 removed."""
    module = _module_names(tree)
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        for decorator in getattr(function, "decorator_list", []):
            called = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in CACHE_DECORATORS:
                found.append((function.lineno, f"@{name}"))
        declared = {name for n in ast.walk(function) if isinstance(n, ast.Global) for name in n.names}
        found += [(n.lineno, f"global {', '.join(n.names)}") for n in ast.walk(function) if isinstance(n, ast.Global)]
        state = (module - _own_names(function)) | declared
        for node in ast.walk(function):
            if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, (ast.Store, ast.Del)) \
                    and isinstance(node.value, ast.Name) and node.value.id in state:
                found.append((node.lineno, f"writes into {node.value.id}"))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in state:
                found.append((node.lineno, f"{node.func.value.id}.{node.func.attr}(…)"))
    return sorted(set(found))


def test_no_module_keeps_process_wide_state():
    """Per-run state lives in the Session (engine/session.py) or is passed down: no module of
    engine/ caches in a decorator, a ``global`` or a container it binds at its top."""
    found = [f"{MODULES[name].relative_to(ROOT)}:{line}: {what}"
             for name, tree in TREES.items() for line, what in module_state(tree)]
    assert found == [], "\n".join(found)


def test_the_state_finder_finds_module_caches():
    source = '''
import functools
from functools import lru_cache
_SEEN = {}
_LIST: list = []
COUNT = 0

@lru_cache(maxsize=None)
def a(x): return x

@functools.cache
def b(x): return x

def c(key):
    _SEEN[key] = 1
    _LIST.append(key)

def d():
    global COUNT
    COUNT += 1

def clean(_SEEN):
    _SEEN[1] = 2          # a parameter, not the module's dict
    local = {}
    local["x"] = 1
'''
    found = [what for _, what in module_state(ast.parse(source))]
    assert found == ["@lru_cache", "@cache", "writes into _SEEN", "_LIST.append(…)", "global COUNT"]
