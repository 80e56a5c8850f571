"""The personal-data gate (extract/personal.py): contact details recognised by their shape in
every separator and script an office uses, replaced by placeholders; no false positives on
the values a report is made of (amounts, dates, era years, JIS codes, 事業番号, ids)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.errors import NotAReport
from extract.personal import (
    EMAIL_PLACEHOLDER,
    NAME_PLACEHOLDER,
    PHONE_PLACEHOLDER,
    find_email,
    find_phone,
    looks_personal,
    quoted,
    redact,
)
from extract.text import to_fullwidth_digits
from transform.amounts import format_amount
from transform.eras import format_era_date
from transform.normalize import report_id_for
from transform.records import IssueRecord, circled

HYPHENS = ("-", "ー", "−", "–", "‐", "―", "—", "－", "ｰ", "﹣", "‑")
SPACES = (" ", "\u3000", "  ")
# The shapes of Japanese numbers: area code + local + subscriber (10 digits), mobile and
# IP phones (11), free dial (0120 / 0800).
NUMBERS = st.one_of(
    st.tuples(
        st.sampled_from(["03", "06", "011", "083", "0835", "09969"]),
        st.integers(0, 9999),
        st.integers(0, 9999),
    ).map(lambda t: (t[0], f"{t[1]:0{8 - len(t[0])}d}"[: 6 - len(t[0])], f"{t[2]:04d}")),
    st.tuples(
        st.sampled_from(["090", "080", "070", "050"]), st.integers(0, 9999), st.integers(0, 9999)
    ).map(lambda t: (t[0], f"{t[1]:04d}", f"{t[2]:04d}")),
    st.tuples(st.just("0120"), st.integers(0, 999), st.integers(0, 999)).map(
        lambda t: (t[0], f"{t[1]:03d}", f"{t[2]:03d}")
    ),
)


@st.composite
def written_phones(draw: st.DrawFn) -> str:
    """A phone number as a clerk may type it: any dash, spaces or parentheses between the
    groups, +81 instead of the 0, full-width digits, an extension after it."""
    area, local, line = draw(NUMBERS)
    style = draw(st.sampled_from(["hyphen", "space", "paren", "plain", "plus81"]))
    hyphen = draw(st.sampled_from(HYPHENS))
    space = draw(st.sampled_from(SPACES))
    if style == "hyphen":
        text = f"{area}{hyphen}{local}{hyphen}{line}"
    elif style == "space":
        text = f"{area}{space}{local}{space}{line}"
    elif style == "paren":
        text = f"({area}){local}{hyphen}{line}"
    elif style == "plain":
        text = f"{area}{local}{line}"
    else:
        sep = draw(st.sampled_from([hyphen, space]))
        zero = draw(st.sampled_from(["", "(0)"]))
        text = f"+81{sep}{zero}{area[1:]}{sep}{local}{sep}{line}"
    if draw(st.booleans()):
        text = to_fullwidth_digits(text).replace("+", "＋").replace("(", "（").replace(")", "）")
    if draw(st.booleans()):
        text += draw(st.sampled_from([" 内線123", "（内線 4567）", " ext. 12", "内線：89"]))
    return text


AROUND = st.sampled_from(
    [("", ""), ("電話番号: ", ""), ("TEL：", "まで"), ("問合せ先 ", " 見本課"), ("相談(", ")")]
)


@given(written_phones(), AROUND)
def test_every_written_phone_number_is_caught(phone: str, around: tuple[str, str]) -> None:
    before, after = around
    text = before + phone + after
    assert find_phone(text) is not None
    assert redact(text) == before + PHONE_PLACEHOLDER + after


@given(
    st.from_regex(r"[a-z][a-z0-9._]{0,10}", fullmatch=True),
    st.sampled_from(["example.jp", "pref.example.lg.jp", "example.com"]),
    st.booleans(),
)
def test_every_written_e_mail_address_is_caught(local: str, domain: str, wide: bool) -> None:
    address = f"{local}@{domain}"
    if wide:  # typed in a Japanese input mode: every character full-width
        address = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in address)
    assert find_email(f"連絡は{address}まで") == address
    assert redact(f"連絡は{address}まで") == f"連絡は{EMAIL_PLACEHOLDER}まで"


@given(
    st.integers(min_value=-(10**12), max_value=10**13),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_amounts_are_no_phone_numbers(value: int, commas: bool, wide: bool, yen: bool) -> None:
    text = format_amount(value, commas=commas, fullwidth=wide, yen_suffix=yen)
    assert not looks_personal(text)
    assert not looks_personal(f"総事業費(A) {text}")


@given(st.dates(min_value=date(1868, 1, 25), max_value=date(2100, 12, 31)), st.booleans())
def test_dates_and_era_years_are_no_phone_numbers(day: date, wide: bool) -> None:
    for text in (
        format_era_date(day, fullwidth=wide),
        day.isoformat(),
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        f"R{day.year - 2018:02d}.{day.month:02d}.{day.day:02d}",
        f"{format_era_date(day)} ~ {format_era_date(day)}",
        f"{day.year}{day.month:02d}{day.day:02d}",
    ):
        assert not looks_personal(text), text


@given(st.integers(1, 47), st.integers(1, 999), st.text("0123456789abcdef", min_size=64))
def test_codes_numbers_and_ids_are_no_phone_numbers(code: int, line_no: int, sha: str) -> None:
    for text in (
        f"{code:02d}",
        f"{code:02d}0006",  # a 団体コード (JIS code and check digit)
        f"事業番号 {circled(line_no)}",
        f"事業番号「{line_no}」",
        report_id_for(sha.ljust(64, "0")),
        sha,
    ):
        assert not looks_personal(text), text


@pytest.mark.parametrize(
    "text",
    [
        "令和3年7月12日 ~ 令和4年3月18日",
        "SNS相談（LINE: @josei_soudan）",  # an account name, not an address
        "〒753-8501 山口市滝町1-1",
        "参加者 1,234人（前年度 1,020人）",
        "様式4-1-1に記載",
        "3年度当初予算",
        "0.5",
        "12,391,579円",
        "第10回",
        "",
    ],
)
def test_no_false_positives_on_what_reports_write(text: str) -> None:
    assert not looks_personal(text)


def test_names_the_contact_block_gives_are_replaced_however_spaced() -> None:
    for written in ("見本 花子", "見本花子", "見本　花子"):
        assert redact(f"担当 {written} です", ["見本 花子"]) == f"担当 {NAME_PLACEHOLDER} です"
    assert redact("見本", ["見本 花子"]) == "見本"  # the family name alone is no match
    assert redact("花", ["花"]) == "花"  # one character is no name to look for


def test_a_long_line_without_an_address_or_phone_is_quick() -> None:
    # Linear: these took minutes with an unanchored pattern or a quadratic search; the
    # robustness suite's time limit guards the whole pipeline.
    assert not looks_personal("a." * 1_500_000 + "@" + "b" * 500_000)
    assert not looks_personal("0 " * 500_000)
    assert not looks_personal("a@" * 500_000)


def test_every_reason_and_issue_passes_the_gate_where_it_is_made() -> None:
    reason = str(NotAReport("「090ー1234ー5678」は hanako＠example．jp 宛て"))
    assert reason == f"「{PHONE_PLACEHOLDER}」は {EMAIL_PLACEHOLDER} 宛て"
    issue = IssueRecord("period", "warning", "実施期間: 「+81 90 1234 5678」")
    assert issue.message == f"実施期間: 「{PHONE_PLACEHOLDER}」"


def test_a_quoted_cell_is_cut_after_its_details_are_replaced() -> None:
    # cut first, 「見本 +81 (0)83 933 26」 would keep digits the gate no longer sees
    assert (
        quoted("見本 +81 (0)83 933 2630 " + "x" * 100, 20)
        == f"見本 {PHONE_PLACEHOLDER} " + "x" * 10 + "…"
    )
