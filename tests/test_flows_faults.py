"""Failures classified once (flows/faults.py), and one list of reason codes
(extract.errors.ReasonCode) that every code written anywhere belongs to."""

from __future__ import annotations

import ast
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import get_args

import pytest
from pebble import ProcessExpired

from extract.errors import JokatsuError, NotAReport, ReasonCode
from flows.faults import UNEXPECTED_REASON, file_fault
from flows.files import FileUnavailable
from flows.limits import Limits
from transform.errors import AmountError
from warehouse.errors import WarehouseBusy

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("extract", "transform", "warehouse", "flows", "jokatsu")


def _codes_written() -> dict[str, str]:
    """Every reason code the code base writes, with where: a class's ``code = "…"``, a
    ``code="…"`` argument, and the second argument of a quarantine error's constructor."""
    trees = {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    errors = {"QuarantineError"}  # classes taking (reason, code)
    changed = True
    while changed:  # every subclass of a quarantine error, in any module
        changed = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in errors:
                    bases = {
                        b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                        for b in node.bases
                    }
                    if bases & errors:
                        errors.add(node.name)
                        changed = True
    found: dict[str, str] = {}
    for path, tree in trees.items():
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in errors:
                for item in node.body:
                    if (
                        isinstance(item, ast.Assign)
                        and [getattr(t, "id", "") for t in item.targets] == ["code"]
                        and isinstance(item.value, ast.Constant)
                    ):
                        found[str(item.value.value)] = f"{where}:{item.lineno}"
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            for keyword in node.keywords:
                if keyword.arg in ("code", "reason_code") and isinstance(
                    keyword.value, ast.Constant
                ):
                    found[str(keyword.value.value)] = f"{where}:{node.lineno}"
            code = node.args[1] if name in errors and len(node.args) >= 2 else None
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found[code.value] = f"{where}:{node.lineno}"
    return found


def test_every_reason_code_written_is_listed_once() -> None:
    listed = get_args(ReasonCode)
    assert len(listed) == len(set(listed))
    written = _codes_written()
    assert len(written) >= 20  # the scan finds the codes (an empty scan would pass anything)
    unlisted = {code: where for code, where in written.items() if code not in listed}
    assert unlisted == {}, "add these to extract.errors.ReasonCode (and docs/operations.md)"


def test_a_parse_error_is_the_files_fault_not_the_machines() -> None:
    fault = file_fault(AmountError("「十万円」は金額として読めません"))
    assert fault is not None and fault.recorded and fault.code == "field_unreadable"
    assert "十万円" in fault.reason


@pytest.mark.parametrize(
    ("exc", "code", "recorded"),
    [
        (NotAReport("様式ではありません"), "not_a_report", True),
        (FileUnavailable("権限がありません"), "file_unavailable", False),
        (FutureTimeout(), "time_limit", True),
        (MemoryError(), "memory_limit", True),
        (ProcessExpired("died", code=-9), "reader_died", True),  # type: ignore[no-untyped-call]
        (RecursionError(), "nested_too_deeply", True),
        (KeyError("x"), "unexpected_error", True),
    ],
)
def test_each_kind_of_file_failure_has_its_outcome(
    exc: Exception, code: str, recorded: bool
) -> None:
    fault = file_fault(exc, Limits(seconds=30, memory_mb=512))
    assert fault is not None and (fault.code, fault.recorded) == (code, recorded)
    if code == "time_limit":
        assert "30 秒" in fault.reason
    if code == "memory_limit":
        assert "512 MB" in fault.reason
    if code == "unexpected_error":
        assert fault.reason == UNEXPECTED_REASON and fault.detail == "KeyError: 'x'"


@pytest.mark.parametrize("exc", [OSError(5, "I/O error"), WarehouseBusy("busy"), JokatsuError("x")])
def test_the_machines_trouble_blames_no_file(exc: Exception) -> None:
    assert file_fault(exc) is None
