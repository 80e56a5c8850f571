"""The form's tab-separated text export, as the real Yamaguchi file has it."""

from __future__ import annotations

from tests.corpus.model import Report

NOTES = (
    "注1)「9. 経費の内訳」の「事業番号」及び「個別事業名」は、様式4-1-2と整合性をとって記載してください。",
    "注2)「9. 経費の内訳」の「公募要領の取組例」は、公募要領第2【取組例】(1)、(2)、(3)、(4)、(5)又は第4【取組例】(1)、(2)、(3)、(4)、(5)から選択してください。",
    "注5)「9. 経費の内訳」において「他の寄付金等」がある場合は、備考欄に内容が分かるよう記載してください。",
)


def render_txt(report: Report) -> bytes:
    w, v = report.written, report.variant
    pad = "\t" * 8
    lines = ["", "", w.title, "", w.prefecture_line, ""]
    for n in range(1, 12):
        heading = w.headings[n - 1]
        if n == 9:
            lines.append(heading + pad + "\t")
            lines.append("\t".join(w.table_header))
            lines += ["\t".join(row) + "\t" for row in w.rows]
        elif n == 10:
            body = (
                "".join(f"<p>{c}</p>" for c in w.contact)
                if v.contact_lines
                else "<p>" + " ".join(w.contact) + "</p>"
            )
            lines.append(f"{heading}\t{body}{pad}")
        elif n in (1, 2, 11):
            lines.append(f"{heading}\t{w.bodies[n][0]}{pad}")
        else:
            lines.append(f"{heading}\t" + " ".join(f"<p>{p}</p>" for p in w.bodies[n]) + pad)
    lines.append("")
    for note in NOTES:
        lines += [note, ""]
    text = "\r\n".join(lines)
    if v.encoding == "cp932":
        return text.encode("cp932")
    if v.encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")
