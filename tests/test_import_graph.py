"""Every layer on its own floor: no import runs up a layer (docs/architecture.md).

The floors, from the bottom: ``extract`` (files' bytes to one ``Document``; also the base
error every layer raises), ``transform`` (typed records, checks), ``warehouse`` (DuckDB,
views, exports), ``flows`` (settings, file discovery, the guarded reader pool, the run, the
Prefect flows), ``jokatsu`` (the command line and ``connect()``). A module may import its own
floor and any floor below it. Every import counts, also one inside a function or under
``TYPE_CHECKING``: it is the same arrow, only taken later.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("extract", "transform", "warehouse", "flows", "jokatsu")
FLOOR = {name: rank for rank, name in enumerate(LAYERS)}


def imported_packages(path: Path) -> list[tuple[int, str]]:
    """The project packages a module imports (line, top-level package name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module.split(".")[0]))
    return [(line, name) for line, name in found if name in FLOOR]


def modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


def upward_imports(root: Path = ROOT) -> list[str]:
    """Every import of a higher floor, as ``file:line imports package``."""
    arrows: list[str] = []
    for layer in LAYERS:
        for path in sorted((root / layer).rglob("*.py")):
            for line, name in imported_packages(path):
                if FLOOR[name] > FLOOR[layer]:
                    arrows.append(f"{path.relative_to(root)}:{line} imports {name}")
    return arrows


def test_every_layer_has_modules() -> None:
    """The test reads the real tree (an empty glob would pass anything)."""
    for layer in LAYERS:
        assert modules(layer), f"no modules under {layer}/"


def test_no_import_runs_up_a_layer() -> None:
    assert upward_imports() == []


def test_an_upward_import_is_found(tmp_path: Path) -> None:
    """The check itself sees an arrow up, also one taken inside a function."""
    for layer in LAYERS:
        (tmp_path / layer).mkdir()
        (tmp_path / layer / "__init__.py").write_text("")
    (tmp_path / "extract" / "errors.py").write_text(
        "def f() -> None:\n    from jokatsu.errors import JokatsuError\n"
    )
    (tmp_path / "warehouse" / "export.py").write_text("import flows.settings\n")
    assert upward_imports(tmp_path) == [
        "extract/errors.py:2 imports jokatsu",
        "warehouse/export.py:1 imports flows",
    ]


@pytest.mark.parametrize("layer", ["extract", "transform", "warehouse"])
def test_lower_layers_never_import_prefect(layer: str) -> None:
    """Prefect is orchestration: only flows/ (and the CLI through it) may load it."""
    for path in modules(layer):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.split(".")[0] in ("prefect", "prefect_dask") for n in names), (
                f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)} imports Prefect"
            )
