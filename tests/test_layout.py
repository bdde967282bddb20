"""The package's layers: no import cycle, every module importable on its own.

The graph is read from the sources (every ``import`` and ``from ... import`` of
a gradient_ext module, at module level or inside a function, since a lazy
import is still a dependency), so a cycle hidden inside a function fails too.
"""

import ast
import pathlib

import pytest

import gradient_ext
from helpers import python

PACKAGE = pathlib.Path(gradient_ext.__file__).parent


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path, name):
    """The gradient_ext modules `path` (module `name`) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("gradient_ext")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("gradient_ext"):
                continue
            for alias in node.names:        # `from . import x` may name a submodule
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    return {m for m in found if m in MODULES and m != name}


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
# the compiled builds are modules too (leaves)
MODULES.update({f"gradient_ext._core.{n}": None for n in ("_kernels", "_kernels_avx2")})
GRAPH = {name: (_imports(path, name) if path else set()) for name, path in MODULES.items()}


def _topological_order():
    order, state = [], {}

    def visit(node, stack):
        if state.get(node) == "done":
            return
        assert state.get(node) != "open", "import cycle: " + " -> ".join(stack + [node])
        state[node] = "open"
        for dep in sorted(GRAPH[node]):
            visit(dep, stack + [node])
        state[node] = "done"
        order.append(node)

    for node in sorted(GRAPH):
        visit(node, [])
    return order


def test_the_import_graph_has_no_cycle():
    order = _topological_order()
    assert order.index("gradient_ext._runtime") < order.index("gradient_ext._api")
    # the leaf: only the compiled core below it
    assert GRAPH["gradient_ext._runtime"] <= {"gradient_ext._core", "gradient_ext._core._kernels",
                                              "gradient_ext._core._kernels_avx2"}


def test_the_cycle_check_can_fail():
    GRAPH["gradient_ext._runtime"].add("gradient_ext._api")
    try:
        _topological_order()
    except AssertionError as e:
        assert "import cycle" in str(e)
    else:
        raise AssertionError("a cycle went unnoticed")
    finally:
        GRAPH["gradient_ext._runtime"].discard("gradient_ext._api")


@pytest.mark.slow
def test_every_module_imports_in_dependency_order():
    """In a fresh interpreter, each module imports after its dependencies only
    (optional libraries may be missing: those modules are skipped there)."""
    order = [m for m in _topological_order() if not m.endswith("__main__")]
    code = (
        "import importlib, sys\n"
        f"for m in {order!r}:\n"
        "    try:\n"
        "        importlib.import_module(m)\n"
        "    except ImportError as e:\n"
        "        if m.endswith('_kernels_avx2'): continue\n"
        "        if e.name is None or e.name.startswith('gradient_ext'): raise\n"
        "        print('skipped', m, e.name)\n"
        "print('ok')\n"
    )
    proc = python("-c", code, timeout=120)       # the gradient_ext imported here
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split()[-1] == "ok"
