"""Must show (issue 24): a contact block's values typed into every field of the form, in every
reader format, reach no output people read.

Each file holds a contact block (name, phone, e-mail) in section 10 as it should, and the
same person's details (the name, the phone in one of several shapes, the e-mail address
half- or full-width, or all three) in one other field: the title, the 都道府県名, the text of
sections 1-8 and 11, each of the expense table's ten cells, the 合計 row. Every format a
reader takes is built (text export, CSV, docx, xlsx, PDF: 5 × 22 files), the real flow
ingests them, and then every output is searched for the details: the CSV, xlsx and Parquet
exports, the HTML report, the Prefect artifact's Markdown and the run's log on the Prefect
server, the console summary, and every table of the warehouse but ``contacts``. Zero hits.
A control export with ``--include-contacts`` finds them, so the search can see them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import random
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.corpus.model import Format, Report, Variant, make_report
from tests.corpus.render_office import render_docx, render_xlsx
from tests.corpus.render_pdf import render_pdf
from tests.corpus.render_txt import render_txt
from transform.prefectures import BY_CODE

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]

NAME = "見本 花子"
DEPARTMENT = "見本県 男女共同参画課"
EMAIL = "hanako@example.jp"
EMAIL_WIDE = "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ"
# One mobile and one fixed line, in the shapes offices type them.
PHONES = (
    "090-1234-5678",
    "０９０－１２３４－５６７８",
    "090ー1234ー5678",
    "090−1234−5678",
    "090–1234–5678",
    "090‐1234‐5678",
    "+81-90-1234-5678",
    "090 1234 5678",
    "(083)933-2630",
    "083-933-2630 内線123",
    "０８３　９３３　２６３０",
    "+81 (0)83 933 2630",
)
CONTACT = [
    f"所属部署: {DEPARTMENT}",
    f"氏名: {NAME}",
    "電話番号: 083-933-2630",
    f"電子メールアドレス: {EMAIL}",
]
# What must not be found: digits after the separators are taken out (so every shape of
# the two numbers, +81 too, is found), the mailbox, the name without its space.
NEEDLES = ("9012345678", "839332630", "hanako", "見本花子")
SEPARATORS = str.maketrans(dict.fromkeys("-‐‑‒–—―−ーｰ﹣ ()\u3000\t", None))

FORMATS: tuple[str, ...] = ("txt", "csv", "docx", "xlsx", "pdf")
FIELDS: tuple[str, ...] = (
    "title",
    "prefecture",
    *(f"section{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 11)),
    *(f"cell{c}" for c in range(10)),
    "total",
)


def _value(index: int) -> str:
    """The details typed into the index-th file's field: all three, a phone, an e-mail
    address or the name, in turn (each shape of phone and e-mail in turn too)."""
    phone = PHONES[index % len(PHONES)]
    email = (EMAIL, EMAIL_WIDE)[index // 4 % 2]
    return (f"{NAME} {phone} {email}", phone, email, NAME)[index % 4]


def _written(fmt: str, field: str, value: str, number: int) -> Report:
    """The number-th file: a prefecture and fiscal year of its own, so that every loaded
    report is a current one (exports and the report show current reports only)."""
    rng = random.Random(24)
    variant = Variant(numbers_as_text=fmt == "xlsx")
    kind: Format = "txt" if fmt == "csv" else fmt  # type: ignore[assignment]
    prefecture, fiscal_year = BY_CODE[number % 47 + 1], 2019 + number // 47
    report = make_report(rng, prefecture, fiscal_year, kind, variant, f"{field}.{fmt}")
    w = report.written
    bodies = {n: list(b) for n, b in w.bodies.items()}
    rows = [list(r) for r in w.rows]
    title, prefecture_line = w.title, w.prefecture_line
    if field == "title":
        title = f"{w.title} {value}"
    elif field == "prefecture":
        prefecture_line = f"都道府県名: {value}"
    elif field.startswith("section"):
        bodies[int(field[7:])] = [value]
    elif field.startswith("cell"):
        rows[0][int(field[4:])] = value
    else:
        rows[-1][5] = value
    written = dataclasses.replace(
        w,
        title=title,
        prefecture_line=prefecture_line,
        bodies=bodies,
        rows=rows,
        contact=list(CONTACT),
    )
    return dataclasses.replace(report, written=written)


def _csv(report: Report) -> bytes:
    """The text export saved as CSV instead (Excel's 「CSV UTF-8」): commas, cells quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in render_txt(report).decode("utf-8").split("\r\n"):
        writer.writerow(line.split("\t"))
    return out.getvalue().encode("utf-8")


RENDER = {"txt": render_txt, "csv": _csv, "docx": render_docx, "xlsx": render_xlsx}


def build_inbox(folder: Path) -> int:
    """Write every (format, field) file; returns how many."""
    count = 0
    for f_index, fmt in enumerate(FORMATS):
        for index, field in enumerate(FIELDS):
            report = _written(fmt, field, _value(index + f_index), count)
            data = render_pdf(report) if fmt == "pdf" else RENDER[fmt](report)
            (folder / f"{fmt}_{field}.{fmt}").write_bytes(data)
            count += 1
    return count


def hits(text: str) -> dict[str, int]:
    """How often a text holds each needle, after NFKC and with the separators taken out."""
    flat = unicodedata.normalize("NFKC", text).translate(SEPARATORS)
    return {needle: flat.count(needle) for needle in NEEDLES if needle in flat}


@dataclasses.dataclass
class Outputs:
    files: int
    texts: dict[str, str]  # each output, as text
    control: str  # the contacts export (personal data on purpose)
    loaded: int
    quarantined: int


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return "\n".join(
            book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml")
        )


def _parquet_text(path: Path) -> str:
    relation = duckdb.sql(f"select * from read_parquet('{path}')")
    rows = relation.fetchall() if relation is not None else []
    return "\n".join(" ".join(str(v) for v in row) for row in rows)


def _tables_text(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        return {
            f"table {t}": "\n".join(
                " ".join(str(v) for v in row)
                for row in conn.execute(f'select * from "{t}"').fetchall()
            )
            for t in tables
            if t != "contacts"  # personal data, kept apart on purpose
        }


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outputs]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.logging.handlers import APILogHandler

    from flows.ingest import ingest
    from jokatsu.cli import main

    root = tmp_path_factory.mktemp("zero_hits")
    inbox = root / "inbox"
    inbox.mkdir()
    files = build_inbox(inbox)
    db = root / "w.duckdb"
    state = ingest(paths=[inbox], db=db, return_state=True)
    summary = state.result()
    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        run_id = state.state_details.flow_run_id
        assert run_id is not None
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])),
        )
    texts = {
        "console summary": summary.to_text(),
        "state message": str(state.message),
        "Prefect log": "\n".join(log.message for log in logs),
        "Prefect artifact": "\n".join(str(a.data) for a in artifacts),
    }
    exports = root / "exports"
    for file_format in ("csv", "xlsx", "parquet"):
        assert (
            main(["export", "--db", str(db), "--out", str(exports), "--format", file_format]) == 0
        )
    assert main(["report", "--db", str(db), "--out", str(root / "report.html")]) == 0
    for path in sorted(exports.rglob("*")):
        name = f"export {path.relative_to(exports)}"
        if path.suffix in (".csv", ".json", ".txt", ".md"):
            texts[name] = path.read_text(encoding="utf-8-sig")
        elif path.suffix == ".xlsx":
            texts[name] = _xlsx_text(path)
        elif path.suffix == ".parquet":
            texts[name] = _parquet_text(path)
    texts["HTML report"] = (root / "report.html").read_text(encoding="utf-8")
    texts |= _tables_text(db)
    control = root / "control"
    assert main(["export", "--db", str(db), "--out", str(control), "--include-contacts"]) == 0
    yield Outputs(
        files=files,
        texts=texts,
        control=(control / "csv" / "contacts.csv").read_text(encoding="utf-8-sig"),
        loaded=len(summary.loaded),
        quarantined=len(summary.quarantined),
    )


def test_every_file_was_read_and_ended_somewhere(outputs: Outputs) -> None:
    assert outputs.files == len(FORMATS) * len(FIELDS)
    assert outputs.loaded + outputs.quarantined == outputs.files
    assert outputs.loaded > outputs.quarantined > 0  # both paths are taken


def test_the_search_finds_the_details_where_they_belong(outputs: Outputs) -> None:
    # the control: contacts.csv exported on purpose holds the phone, mailbox and name
    assert {"839332630", "hanako", "見本花子"} <= set(hits(outputs.control))


@pytest.mark.parametrize(
    "kind",
    [
        "console",
        "Prefect log",
        "Prefect artifact",
        "export csv",
        "export xlsx",
        "export parquet",
        "HTML report",
        "table",
    ],
)
def test_no_output_holds_the_contacts_details(outputs: Outputs, kind: str) -> None:
    searched = {name: text for name, text in outputs.texts.items() if name.startswith(kind)}
    assert searched, f"no output of kind {kind}"
    found = {name: hits(text) for name, text in searched.items() if hits(text)}
    assert found == {}, f"{sum(sum(v.values()) for v in found.values())} hits: {found}"
