"""One generated report: what is written into the file, and the truth it must load as."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from extract.text import canonical, to_fullwidth_digits
from tests.corpus.bank import (
    DEPARTMENTS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    OTHER_FUNDS_REMARKS,
    PROJECTS,
    Project,
)
from transform.amounts import format_amount
from transform.budget import BudgetLabel, allowed_budget_labels
from transform.eras import era_of, format_era_date
from transform.prefectures import Prefecture, short_name
from transform.records import Rule, circled

Format = Literal["txt", "pdf", "xlsx", "docx"]
SECTION_NAMES = (
    "事業名",
    "実施期間",
    "事業の趣旨・目的",
    "事業内容",
    "事業効果及び効果検証の概要",
    "目標達成度及び達成状況に対する評価",
    "今後の課題",
    "事業の実施体制",
    "経費の内訳",
    "担当者名及び連絡先",
    "事業実施及び連携工程",
)
HEADER = (
    "事業番号",
    "個別事業名",
    "公募要領の取組例",
    "予算措置年度",
    "交付決定事業",
    "総事業費(A=B+C+D)",
    "本交付金(B)",
    "他の寄付金等(C)",
    "自己資金(D)",
    "備考",
)
EXTRA_PARAGRAPHS = (
    "○関係機関との連絡会議を年3回開き、支援の状況を共有した。",
    "○事業の周知のため、ポスターとチラシを作成し、市町の窓口や商業施設に掲示した。",
    "○参加者アンケートの結果を踏まえ、次回以降の内容を見直した。",
    "○支援に携わる職員とボランティアを対象に、相談対応の研修を行った。",
    "○ウェブサイトとSNSで事業の案内を発信し、若い世代への周知に努めた。",
    "○事業の成果を報告会で発表し、市町や関係団体と課題を共有した。",
    "○利用者の声を集め、支援の内容をよりきめ細かいものに改めた。",
    "○感染症対策を徹底したうえで、対面とオンラインを組み合わせて実施した。",
)


@dataclass
class Variant:
    """The written style of one report (spread over the corpus)."""

    heading_style: Literal[
        "dot", "fullwidth", "space", "paren", "paren_ascii", "dai", "colon", "none"
    ] = "dot"
    prefecture_sep: str = ": "
    period_sep: str = " ~ "
    fullwidth_digits: bool = False
    gannen: bool = True
    thousand_yen: bool = False
    yen_suffix: bool = False
    encoding: Literal["utf-8", "utf-8-sig", "cp932", "utf-16"] = "utf-8"
    long_sections: bool = False
    contact_lines: bool = False
    repeat_table_header: bool = True
    font: Literal["ttf", "cid-gothic", "cid-mincho"] = "ttf"
    instructions_sheet: bool = False
    numbers_as_text: bool = False
    docx_layout: Literal["table", "paragraphs"] = "table"
    offset: int = 0  # xlsx: the form drawn from column B/C; txt: that margin exported as tabs
    row_lines: int = 6  # the printed height of sections 3-8, in lines
    faux_bold: bool = False  # every cell's text printed twice, a hair apart
    broken: Rule | None = None  # the check this report is made to fail
    # The ways offices fill the same form (issue #13): zero written as a dash, 〃 for a label
    # repeated from the row above, weekdays or Western years in the period, the total row's
    # label, numbered rows left empty, the contact as a small table, a covering letter
    # before the form, a header of two rows, Word content controls.
    zero_dash: bool = False
    ditto: bool = False
    period_style: Literal["era", "weekday", "western", "short"] = "era"  # short: R3.4.1
    total_label: str = "合計"
    unused_rows: int = 0
    contact_layout: Literal["labels", "table"] = "labels"
    cover_letter: bool = False
    header_rows: int = 1
    content_controls: bool = False
    table_borders: bool = True  # False: a Word table without borders (printed unruled)
    period_cells: bool = False  # xlsx: the period as two date cells around 「～」
    notes_in_grid: bool = False  # xlsx, docx: notes 注1-注6 as rows of the form's grid
    split_table: bool = False  # docx (headed paragraphs): header, rows and total as 3 grids
    landscape: bool = False  # pdf: printed on A4 landscape, the grid widened to the page
    word_numbering: bool = False  # docx: headings numbered by Word's list numbering, untyped
    form_fields: bool = False  # pdf: the expense rows' amounts typed into fillable form fields


@dataclass
class Written:
    """The report's text as it stands in the file."""

    title: str
    prefecture_line: str
    headings: list[str]  # with their numbers, as written: 「1. 事業名」
    bodies: dict[int, list[str]]  # paragraphs of sections 1-8, 11
    table_header: tuple[str, ...]
    rows: list[list[str]]  # expense rows then the 合計 row, 10 cells each
    contact: list[str]  # the contact block's lines
    cover: list[str] = field(default_factory=list)  # a covering letter's lines, or none
    header_top: tuple[str, ...] = ()  # the upper row of a header of two rows
    numbers: list[str] = field(default_factory=list)  # the headings' numbers as typed: 「1. 」


@dataclass
class Report:
    file: str
    format: Format
    variant: Variant
    written: Written
    truth: dict[str, Any] = field(default_factory=dict)


def _number(n: int, style: str) -> str:
    if style == "dot":
        return f"{n}. "
    if style == "fullwidth":
        return f"{to_fullwidth_digits(str(n))}．"
    if style == "paren":
        return f"（{to_fullwidth_digits(str(n))}）"
    if style == "paren_ascii":
        return f"({n}) "
    if style == "dai":
        return f"第{n} "
    if style == "colon":
        return f"{n}："
    if style == "none":  # the numbers left off: the labels alone
        return ""
    return f"{n} "


WEEKDAYS = "月火水木金土日"
COVER_LETTER = (
    "{p}第{number}号",
    "{date}",
    "内閣府男女共同参画局長 殿",
    "{p}知事 見本 太郎",
    "地域女性活躍推進交付金に係る実績報告について",
    "標記について、下記のとおり報告します。",
    "記",
)
# The header of two rows: 「経費」 over the four amount columns, the other labels above.
HEADER_TOP = (
    "事業番号",
    "個別事業名",
    "公募要領の取組例",
    "予算措置年度",
    "交付決定事業",
    "経費",
    "",
    "",
    "",
    "備考",
)


def _written_date(day: date, variant: Variant) -> str:
    if variant.period_style == "western":
        text = f"{day.year}年{day.month}月{day.day}日"
    elif variant.period_style == "short":  # as offices shorten it: 「R3.4.1」
        era = era_of(day)
        text = f"{era.letter}{day.year - era.offset}.{day.month}.{day.day}"
    else:
        text = format_era_date(day, gannen=variant.gannen)
    if variant.period_style == "weekday":
        text += f"（{WEEKDAYS[day.weekday()]}）"
    return _digits(text, variant)


def _digits(text: str, variant: Variant) -> str:
    return to_fullwidth_digits(text) if variant.fullwidth_digits else text


def _amount(value: int | None, variant: Variant) -> str:
    if value is None:
        return ""
    if value == 0 and variant.zero_dash:
        return "－"
    shown = value // 1000 if variant.thousand_yen else value
    return format_amount(shown, fullwidth=variant.fullwidth_digits, yen_suffix=variant.yen_suffix)


def _period(rng: random.Random, fiscal_year: int) -> tuple[date, date]:
    start = date(fiscal_year, 4, 1) + timedelta(days=rng.choice([0, 0, 0, 14, 45, 101, 160]))
    end = date(fiscal_year + 1, 3, 31) - timedelta(days=rng.choice([0, 0, 0, 13, 30, 61]))
    return start, end


def make_report(
    rng: random.Random,
    prefecture: Prefecture,
    fiscal_year: int,
    fmt: Format,
    variant: Variant,
    file: str,
    project: Project | None = None,
) -> Report:
    """Draw one report: its written text and the truth it must load as."""
    project = project or rng.choice(PROJECTS)
    p, ps = (
        prefecture.name_ja,
        short_name(prefecture.name_ja),
    )
    kind = "道" if prefecture.code == 1 else prefecture.name_ja[-1]

    def fill(text: str) -> str:
        return text.format(p=p, ps=ps, kind=kind)

    start, end = _period(rng, fiscal_year)
    if variant.broken == "period":
        start, end = end, start
    period = _written_date(start, variant) + variant.period_sep + _written_date(end, variant)
    if variant.period_style == "weekday":
        period += "まで"
    period_parts = [period]
    if variant.period_cells:  # Excel date cells, read back as the dates Excel saved
        period_parts = [
            f"{start.year}/{start.month}/{start.day}",
            "～",
            f"{end.year}/{end.month}/{end.day}",
        ]
    bodies: dict[int, list[str]] = {
        1: [project.title],
        2: period_parts,
        3: [fill(t) for t in project.purpose],
        4: [fill(t) for t in project.content],
        5: [fill(t) for t in project.effect],
        6: [fill(t) for t in project.achievement],
        7: [fill(t) for t in project.challenges],
        8: [fill(t) for t in project.structure],
        11: ["様式4-1-1に記載"],
    }
    if variant.long_sections:
        extra = list(EXTRA_PARAGRAPHS)
        rng.shuffle(extra)
        bodies[4] = bodies[4] + extra + [fill(t) for t in project.effect]
        bodies[8] = bodies[8] + extra[:4]
    unit = "(単位:千円)" if variant.thousand_yen else "(単位:円)"
    if variant.heading_style == "fullwidth":
        unit = "（単位：千円）" if variant.thousand_yen else "（単位：円）"
    headings = [
        _number(n, variant.heading_style) + name + (" " + unit if n == 9 else "")
        for n, name in enumerate(SECTION_NAMES, start=1)
    ]
    if variant.heading_style == "fullwidth":
        headings[8] = headings[8].replace(" （", "（")
    numbers = [_number(n, variant.heading_style) for n in range(1, 12)]

    # expense rows, in yen
    n_items = rng.choice([1, 1, 2, 2, 3, 4])
    names = [*project.items, "事業の周知", "報告書の作成", "事務費"]
    allowed = allowed_budget_labels(fiscal_year)
    rows_truth: list[dict[str, Any]] = []
    written_rows: list[list[str]] = []
    step = 1000
    for i in range(1, n_items + 1):
        grant = rng.randrange(300, 9000) * step
        own = rng.randrange(0, 3000) * step
        other = rng.choice([0, 0, 0, rng.randrange(10, 500) * step])
        if not variant.thousand_yen:
            grant += rng.randrange(0, 1000)
            own += rng.randrange(0, 1000)
        total = grant + own + other
        measure = rng.choice(allowed)
        decision = rng.choice(allowed)
        if variant.broken == "budget_label_not_allowed" and i == 1:
            measure = BudgetLabel(fiscal_year, "補正")
        remarks = rng.choice(OTHER_FUNDS_REMARKS) if other else ""
        if variant.broken == "other_funds_remarks" and i == 1:
            other = other or 100 * step
            total = grant + own + other
            remarks = ""
        written_total = total + (step if variant.broken == "amount_identity" and i == 1 else 0)
        measure_raw = _digits(measure.label(), variant)
        if variant.broken == "budget_label" and i == 1:
            measure_raw = "未定"
        decision_raw = _digits(decision.label(), variant)
        unreadable = measure_raw == "未定"
        written_rows.append(
            [
                circled(i),
                names[i - 1],
                project.example_ref,
                measure_raw,
                decision_raw,
                _amount(written_total, variant),
                _amount(grant, variant),
                "" if other == 0 and rng.random() < 0.6 else _amount(other, variant),
                _amount(own, variant),
                remarks,
            ]
        )
        rows_truth.append(
            {
                "line_no": i,
                "item_name": names[i - 1],
                "example_ref": project.example_ref,
                "budget_measure_raw": measure_raw,
                "budget_measure_fiscal_year": None if unreadable else measure.fiscal_year,
                "budget_measure_kind": None if unreadable else measure.kind,
                "decision_budget_raw": decision_raw,
                "decision_budget_fiscal_year": decision.fiscal_year,
                "decision_budget_kind": decision.kind,
                "total_cost": written_total,
                "grant_amount": grant,
                "other_funds": other,
                "own_funds": own,
                "remarks": remarks or None,
            }
        )
    if variant.ditto:  # written with 〃 where the row above says the same
        for index in range(len(written_rows) - 1, 0, -1):
            for column in (3, 4):
                if written_rows[index][column] == written_rows[index - 1][column]:
                    written_rows[index][column] = "〃"
    written_rows += [[circled(n_items + k)] + [""] * 9 for k in range(1, variant.unused_rows + 1)]
    totals = {
        k: sum(r[k] for r in rows_truth)
        for k in ("total_cost", "grant_amount", "other_funds", "own_funds")
    }
    if variant.broken == "total_mismatch":
        totals["grant_amount"] += 10 * step
    written_rows.append(
        ["", variant.total_label, "", "", ""]
        + [
            _amount(totals[k], variant)
            for k in ("total_cost", "grant_amount", "other_funds", "own_funds")
        ]
        + [""]
    )

    family, given = rng.choice(FAMILY_NAMES), rng.choice(GIVEN_NAMES)
    department = f"{p} {rng.choice(DEPARTMENTS)}"
    phone = f"0{rng.randrange(11, 99)}-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}"
    mailbox = rng.choice(["danjo", "josei", "sankaku", "katsuyaku"])
    email = f"{mailbox}{prefecture.code:02d}@example.{rng.choice(['jp', 'org', 'com'])}"
    contact_fields = [
        f"所属部署: {department}",
        f"氏名: {family} {given}",
        f"電話番号: {_digits(phone, variant)}",
        f"電子メールアドレス: {email}",
    ]
    if variant.contact_layout == "table":  # a label, then its value, each on a line
        contact_fields = [part.strip() for line in contact_fields for part in line.split(":", 1)]
    prefecture_line = (
        f"都道府県名{variant.prefecture_sep}{p}"
        if variant.prefecture_sep != "short"
        else f"都道府県名: {ps}"
    )
    title = (
        "地域女性活躍推進交付金実績報告書（都道府県分）"
        if variant.heading_style == "fullwidth"
        else "地域女性活躍推進交付金実績報告書(都道府県分)"
    )
    written = Written(
        title=title,
        prefecture_line=prefecture_line,
        headings=headings,
        bodies=bodies,
        table_header=HEADER,
        rows=written_rows,
        contact=contact_fields,
        cover=[
            line.format(p=p, number=100 + prefecture.code, date=format_era_date(end))
            for line in COVER_LETTER
        ]
        if variant.cover_letter
        else [],
        header_top=HEADER_TOP if variant.header_rows == 2 else (),
        numbers=numbers,
    )
    expected_rules = sorted(
        {
            rule
            for rule, hit in (
                ("amount_identity", variant.broken == "amount_identity"),
                ("total_mismatch", variant.broken == "total_mismatch"),
                ("period", variant.broken == "period"),
                ("budget_label", variant.broken == "budget_label"),
                ("budget_label_not_allowed", variant.broken == "budget_label_not_allowed"),
                ("other_funds_remarks", variant.broken == "other_funds_remarks"),
            )
            if hit
        }
    )
    report = Report(file=file, format=fmt, variant=variant, written=written)
    report.truth = {
        "file": file,
        "format": fmt,
        "expected_status": "loaded",
        "variant": dataclasses.asdict(variant),
        "report": {
            "prefecture_code": prefecture.code,
            "fiscal_year": fiscal_year if variant.broken != "period" else _fy(start),
            "title": title,
            "project_title": project.title,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "amount_unit": "千円" if variant.thousand_yen else "円",
            "declared_total_cost": totals["total_cost"],
            "declared_grant_amount": totals["grant_amount"],
            "declared_other_funds": totals["other_funds"],
            "declared_own_funds": totals["own_funds"],
        },
        "sections": [
            {
                "section_no": n,
                "heading": headings[n - 1][len(numbers[n - 1]) :].strip(),
                "body": None if n in (9, 10) else canonical("\n".join(bodies[n])),
            }
            for n in range(1, 12)
        ],
        "expense_items": rows_truth,
        "contact": {
            "department": department,
            "person_name": f"{family} {given}",
            "phone": phone,
            "email": email,
        },
        "expected_rules": expected_rules,
    }
    return report


def _fy(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1
