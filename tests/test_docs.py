"""The documentation keeps step with the code: the layout lists every module, and every path
it lists exists; the README's front page names its two commands and links what exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGES = ("extract", "transform", "warehouse", "flows", "jokatsu")


def _layout() -> list[str]:
    """The paths of the layout block in docs/architecture.md, folders ending in «/»."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    paths: list[str] = []
    folder = ""
    for line in block.splitlines():
        match = re.match(r"^( *)(\S+)", line)
        if not match:
            continue
        indent, name = match.groups()
        if not indent:
            folder = name if name.endswith("/") else ""
            paths.append(name)
        else:
            paths.append(folder + name)
    return paths


def test_the_layout_lists_every_module_and_nothing_else() -> None:
    listed = _layout()
    modules = {
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).glob("*.py")
        if path.name != "__init__.py"
    }
    assert sorted(modules - set(listed)) == []  # a module the layout does not name
    assert [p for p in listed if not (ROOT / p).exists()] == []  # a path that is gone
    top = {p.name + "/" for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert set(PACKAGES) | {"tests", "data"} <= {p.rstrip("/") for p in listed}
    assert {p for p in listed if "/" not in p.rstrip("/")} <= top


def test_the_front_page_has_the_two_commands_and_working_links() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    assert "make sample" in first_block and "make test" in first_block
    assert len(readme.splitlines()) < 120  # a front page; the rest lives in docs/
    for doc in (ROOT / "docs").glob("*.md"):
        for link in re.findall(r"\]\(([^)#]+)", doc.read_text(encoding="utf-8")):
            if not link.startswith("http"):
                assert (doc.parent / link).exists(), (doc.name, link)
    for link in re.findall(r"\]\(([^)#]+)", readme):
        assert (ROOT / link).exists(), link
