"""The form's tab-separated text export, as the real Yamaguchi file has it."""

from __future__ import annotations

from tests.corpus.model import Report

NOTES = (
    "注1)「9. 経費の内訳」の「事業番号」及び「個別事業名」は、様式4-1-2と整合性をとって記載してください。",
    "注2)「9. 経費の内訳」の「公募要領の取組例」は、公募要領第2【取組例】(1)、(2)、(3)、(4)、(5)又は第4【取組例】(1)、(2)、(3)、(4)、(5)から選択してください。",
    "注5)「9. 経費の内訳」において「他の寄付金等」がある場合は、備考欄に内容が分かるよう記載してください。",
)


def _quoted(paragraphs: list[str]) -> str:
    """A cell as Excel's 「Unicode テキスト」 writes one holding line breaks."""
    return '"' + "\n".join(paragraphs).replace('"', '""') + '"'


def render_txt(report: Report) -> bytes:
    w, v = report.written, report.variant
    pad = "\t" * 8
    excel = v.encoding == "utf-16"
    lines = [*w.cover, "", "", w.title, "", w.prefecture_line, ""]
    for n in range(1, 12):
        heading = w.headings[n - 1]
        if n == 9:
            lines.append(heading + pad + "\t")
            if w.header_top:
                lines.append("\t".join(w.header_top))
            lines.append("\t".join(w.table_header))
            lines += ["\t".join(row) + "\t" for row in w.rows]
        elif n == 10:
            if excel:
                body = _quoted(w.contact)
            elif v.contact_lines:
                body = "".join(f"<p>{c}</p>" for c in w.contact)
            else:
                body = "<p>" + " ".join(w.contact) + "</p>"
            lines.append(f"{heading}\t{body}{pad}")
        elif n in (1, 2, 11):
            lines.append(f"{heading}\t{w.bodies[n][0]}{pad}")
        elif excel:
            lines.append(f"{heading}\t{_quoted(w.bodies[n])}{pad}")
        else:
            lines.append(f"{heading}\t" + " ".join(f"<p>{p}</p>" for p in w.bodies[n]) + pad)
    lines.append("")
    for note in NOTES:
        lines += [note, ""]
    # A form drawn from column B or C of its sheet exports its blank margin as leading tabs.
    text = "\r\n".join("\t" * v.offset + line for line in lines)
    if excel:  # records end in CRLF; a line break inside a quoted cell is LF, as Excel has it
        return b"\xff\xfe" + text.encode("utf-16-le")
    if v.encoding == "cp932":
        return text.encode("cp932")
    if v.encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")
