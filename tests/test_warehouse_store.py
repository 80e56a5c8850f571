from __future__ import annotations

import contextlib
import dataclasses
import subprocess
from collections.abc import Iterator
from datetime import datetime
from importlib.resources.abc import Traversable
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REAL_REPORT
from tests.support import load_into, pipeline
from transform.records import Location, SectionRecord
from warehouse import db as warehouse_db
from warehouse import migrations
from warehouse.errors import DataCheckFailed, StoreRefused, WarehouseBusy, WarehouseError
from warehouse.migrations import applied_migrations
from warehouse.publish import publishing_writer, read_only, staging_path, write_lock
from warehouse.store import Warehouse

CONTRACT = {
    "prefectures": ["prefecture_code", "name_ja", "name_en", "region", "population"],
    "source_files": [
        "sha256",
        "path",
        "size_bytes",
        "format",
        "status",
        "reason",
        "first_seen_at",
    ],
    "reports": [
        "report_id",
        "source_sha256",
        "prefecture_code",
        "fiscal_year",
        "project_title",
        "period_start",
        "period_end",
        "amount_unit",
        "declared_total_cost",
        "declared_grant_amount",
        "declared_other_funds",
        "declared_own_funds",
        "is_current",
        "ingested_at",
    ],
    "report_sections": ["report_id", "section_no", "heading", "body"],
    "expense_items": [
        "report_id",
        "line_no",
        "item_name",
        "example_ref",
        "budget_measure_raw",
        "budget_measure_fiscal_year",
        "budget_measure_kind",
        "decision_budget_raw",
        "decision_budget_fiscal_year",
        "decision_budget_kind",
        "total_cost",
        "grant_amount",
        "other_funds",
        "own_funds",
        "remarks",
    ],
    "contacts": ["report_id", "department", "person_name", "phone", "email"],
    "validation_issues": ["source_sha256", "report_id", "rule", "severity", "message"],
}
NOW = datetime(2026, 1, 1)


def _columns(db: Path) -> dict[str, list[str]]:
    conn = duckdb.connect(str(db), read_only=True)
    rows = conn.execute(
        "select table_name, column_name from information_schema.columns order by ordinal_position"
    ).fetchall()
    conn.close()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def _count(db: Path, table: str) -> int:
    conn = duckdb.connect(str(db), read_only=True)
    (n,) = conn.execute(f"select count(*) from {table}").fetchone()  # type: ignore[misc]
    conn.close()
    return int(n)


def test_fresh_warehouse_has_every_contract_column(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with write_lock(db), publishing_writer(db):
        pass
    columns = _columns(db)
    for table, wanted in CONTRACT.items():
        assert set(wanted) <= set(columns[table]), table
    assert _count(db, "prefectures") == 47


def test_population_is_the_2020_census(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_into(db)
    conn = duckdb.connect(str(db), read_only=True)
    total, tokyo = conn.execute(
        "select sum(population), max(population) filter (where name_ja = '東京都') from prefectures"
    ).fetchone()  # type: ignore[misc]
    conn.close()
    assert (total, tokyo) == (126_146_099, 14_047_594)


def test_a_new_migration_upgrades_in_place_and_keeps_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "w.duckdb"
    load_into(db, pipeline(REAL_REPORT))
    extra = tmp_path / "9999_add_reviewed.sql"
    extra.write_text("alter table reports add column reviewed boolean default false;")
    original = warehouse_db.sql_files

    def with_extra(name: str) -> list[Traversable | Path]:
        found: list[Traversable | Path] = list(original(name))
        return [*found, extra] if name == "migrations" else found

    monkeypatch.setattr(migrations, "sql_files", with_extra)
    with write_lock(db), publishing_writer(db) as warehouse:
        shipped = {int(f.name.split("_")[0]) for f in original("migrations")}
        assert applied_migrations(warehouse.conn) == shipped | {9999}
    assert "reviewed" in _columns(db)["reports"]
    assert _count(db, "reports") == 1
    with write_lock(db), publishing_writer(db) as warehouse:  # nothing left to apply
        assert warehouse.pending_migrations() == []


def test_a_failing_load_leaves_nothing_of_the_report(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    nr = pipeline(REAL_REPORT)
    bad_section = SectionRecord(nr.report.report_id, 12, "x", "y", Location())
    bad = dataclasses.replace(nr, sections=(*nr.sections, bad_section))
    with write_lock(db), publishing_writer(db) as warehouse:
        with pytest.raises(StoreRefused, match="CHECK constraint"):
            warehouse.load(bad, "test", NOW)
        warehouse.load(dataclasses.replace(nr), "test", NOW)
    assert _count(db, "reports") == 1
    assert _count(db, "report_sections") == 11


def test_a_run_that_fails_publishes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_into(db)
    before = db.read_bytes()
    with pytest.raises(RuntimeError), write_lock(db), publishing_writer(db) as warehouse:
        warehouse.load(pipeline(REAL_REPORT), "test", NOW)
        raise RuntimeError("killed half way")
    assert db.read_bytes() == before
    assert not staging_path(db).exists()


def test_a_second_writer_is_refused_at_once(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    busy = pytest.raises(WarehouseBusy, match="being written by jokatsu pid")
    with write_lock(db), busy, write_lock(db):
        pass


def test_a_reader_keeps_its_snapshot_while_a_run_publishes(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_into(db)
    reader = duckdb.connect(str(db), read_only=True)
    load_into(db, pipeline(REAL_REPORT))  # would fail with a lock error if written in place
    assert reader.execute("select count(*) from reports").fetchone() == (0,)
    reader.close()
    assert _count(db, "reports") == 1


def test_read_only_of_a_missing_file_is_none(tmp_path: Path) -> None:
    with read_only(tmp_path / "absent.duckdb") as live:
        assert live is None


def test_data_checks_catch_orphans(tmp_path: Path) -> None:
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    warehouse = Warehouse(conn)
    warehouse.migrate()
    assert warehouse.data_check_failures() == {}
    conn.execute("insert into contacts (report_id) values ('nobody')")
    assert "children_have_a_report" in warehouse.data_check_failures()
    with pytest.raises(DataCheckFailed, match="children_have_a_report"):
        warehouse.assert_data_checks()
    conn.close()


@contextlib.contextmanager
def _tmpfs(path: Path, size: str, *options: str) -> Iterator[Path]:
    """A small real file system (tmpfs), as root; the test skips where it cannot mount."""
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_disk_too_small_for_the_copy_is_refused_before_writing(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "small", "2M") as small:
        db = small / "w.duckdb"
        with (
            pytest.raises(WarehouseError, match=r"not enough free space in .* MB are free"),
            write_lock(db),
            publishing_writer(db),
        ):
            pass
        assert sorted(p.name for p in small.iterdir()) == ["w.duckdb.lock"]


def test_a_disk_that_fills_up_while_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("warehouse.publish._check_free_space", lambda db: None)  # get past it
    with _tmpfs(tmp_path / "small", "600K") as small:
        db = small / "w.duckdb"
        with (
            pytest.raises(WarehouseError, match=r"disk holding .* is full"),
            write_lock(db),
            publishing_writer(db) as warehouse,
        ):
            for _ in range(50):
                warehouse.load(pipeline(REAL_REPORT), "test", NOW)
                warehouse.conn.execute("delete from reports; checkpoint")
        assert sorted(p.name for p in small.iterdir()) == ["w.duckdb.lock"]  # no .next, no .wal


def test_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    with _tmpfs(folder, "256M"):
        load_into(folder / "w.duckdb")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        db = folder / "w.duckdb"
        with (
            pytest.raises(WarehouseError, match="read-only file system"),
            write_lock(db),
            publishing_writer(db),
        ):
            pass


def test_stray_next_files_are_cleaned_by_the_next_run(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_into(db)
    for leftover in (staging_path(db), staging_path(db).with_name("w.duckdb.next.wal")):
        leftover.write_bytes(b"left by a killed run")
    with write_lock(db), publishing_writer(db):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.lock"]


def test_a_db_that_is_no_warehouse_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.duckdb"
    text.write_text("meeting notes", encoding="utf-8")
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as conn:
        conn.execute("create table customers (id integer)")
    for db, message in ((text, "is not a DuckDB warehouse file"), (other, "not a jokatsu")):
        before = db.read_bytes()
        with pytest.raises(WarehouseError, match=message), write_lock(db), publishing_writer(db):
            pass
        assert db.read_bytes() == before
        assert not staging_path(db).exists()


def test_a_file_with_two_forms_is_one_file_and_two_reports(tmp_path: Path) -> None:
    from extract import read_document, source_info
    from tests.hostile import form
    from transform.pipeline import transform_file

    data = (form() + "\n" + form(prefecture="広島県", title="二つ目の事業")).encode("utf-8")
    reports = transform_file(read_document(data, source_info("two.txt", data)))
    db = tmp_path / "w.duckdb"
    with write_lock(db), publishing_writer(db) as warehouse:
        warehouse.load_many(reports.reports, [], "test", NOW)
        warehouse.assert_data_checks()  # one loaded file, two reports: consistent
    assert _count(db, "source_files") == 1
    assert _count(db, "reports") == 2
    assert _count(db, "expense_items") == 4


def test_report_ids_of_an_older_warehouse_are_migrated_in_place(tmp_path: Path) -> None:
    """A warehouse written before ids began with 「R-」 (issue #15) is migrated in place on
    the next run: every table's ids (and the revision links) gain the prefix, once."""
    db = tmp_path / "w.duckdb"
    load_into(db, pipeline(REAL_REPORT))
    conn = duckdb.connect(str(db))
    try:  # turn it back into a warehouse of the older scheme
        for table in ("reports", "report_sections", "expense_items", "contacts"):
            conn.execute(f"update {table} set report_id = substr(report_id, 3)")
        conn.execute("update validation_issues set report_id = substr(report_id, 3)")
        conn.execute("delete from schema_migrations where version = 5")
        (old,) = conn.execute("select report_id from reports").fetchone() or ("",)
    finally:
        conn.close()
    assert not old.startswith("R-")
    with write_lock(db), publishing_writer(db) as warehouse:
        assert warehouse.data_check_failures() == {}
    conn = duckdb.connect(str(db), read_only=True)
    try:
        for table in ("reports", "report_sections", "expense_items", "contacts"):
            ids = {row[0] for row in conn.execute(f"select report_id from {table}").fetchall()}
            assert ids == {"R-" + old}, table
        issues = conn.execute("select distinct report_id from validation_issues").fetchall()
        assert issues == [("R-" + old,)]
    finally:
        conn.close()
