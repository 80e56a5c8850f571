from __future__ import annotations

from transform.contacts import Contact, parse_contact


def test_one_line_block_as_in_the_real_report() -> None:
    assert parse_contact(
        "所属部署: 山口県 男女共同参画課 氏名: 見本 一郎 電話番号: 083-000-0000 "
        "電子メールアドレス: ichiro@example.jp"
    ) == Contact("山口県 男女共同参画課", "見本 一郎", "083-000-0000", "ichiro@example.jp")


def test_lines_full_width_colons_and_digits() -> None:
    assert parse_contact(
        "所属：A県 課\n担当者名：山田 花子\n"
        "TEL：０８３－１２３－４５６７\nメール：ｈａｎａｋｏ@example.jp"
    ) == Contact("A県 課", "山田 花子", "083-123-4567", "hanako@example.jp")


def test_phone_and_mail_found_by_shape_without_labels() -> None:
    contact = parse_contact("担当 見本 083-111-2222 mihon@example.org")
    assert (contact.phone, contact.email) == ("083-111-2222", "mihon@example.org")
    assert contact.person_name is None


def test_nothing_to_read() -> None:
    assert parse_contact("県の担当課にお問い合わせください。").is_empty
    assert parse_contact("").is_empty


def test_a_contact_given_as_a_small_table() -> None:
    cells = ("所属", "見本県 男女共同参画課", "氏名", "見本 花子", "電話", "083-000-0000")
    below = "\n".join((*cells, "メール", "hanako@example.jp"))
    beside = (
        "所属　見本県 男女共同参画課\n氏名 見本 花子\nTEL 083-000-0000\nE-mail hanako@example.jp"
    )
    for body in (below, beside):
        contact = parse_contact(body)
        assert contact.department == "見本県 男女共同参画課"
        assert contact.person_name == "見本 花子"
        assert (contact.phone, contact.email) == ("083-000-0000", "hanako@example.jp")


def test_a_small_table_printed_to_pdf_reads_back_without_separators() -> None:
    contact = parse_contact(
        "所属部署栃木県 男女共同参画課氏名見本 真理電話番号046-188-3696"
        "電子メールアドレスjosei09@example.org"
    )
    assert (contact.department, contact.person_name) == ("栃木県 男女共同参画課", "見本 真理")
    assert (contact.phone, contact.email) == ("046-188-3696", "josei09@example.org")
