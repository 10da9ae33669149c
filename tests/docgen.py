"""Fixture generators: the same policy text as PDF, DOCX, HTML and legacy encodings.

Used by tests and benchmarks (``from tests.docgen import make_pdf`` or, with tests/ on
sys.path, ``import docgen``). Every function writes ``path`` and returns it (the text
writers return the text actually written). Fonts come from Debian's fonts-arphic-uming
(TrueType) and fonts-noto-cjk (CFF, the pdfminer empty-text case).
"""
from __future__ import annotations

import glob
import io
import os
import subprocess
from pathlib import Path

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
NOTO_GLOBS = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/Noto*CJK*Regular*", "/usr/share/fonts/**/Noto*CJK*Regular*")


def font_path(font: str) -> str:
    """Path of the 'uming' or 'noto' CJK font; FileNotFoundError when not installed."""
    if font == "uming":
        if os.path.exists(UMING):
            return UMING
    elif font == "noto":
        for pattern in NOTO_GLOBS:
            hits = sorted(glob.glob(pattern, recursive=True))
            if hits:
                return hits[0]
    else:
        raise ValueError(f"unknown font {font!r} (uming|noto)")
    raise FileNotFoundError(f"CJK font {font!r} not installed (fonts-arphic-uming / fonts-noto-cjk)")


def seed_text(prefix: str = "000", chars: int = 3000) -> str:
    """The first ``chars`` characters of a bundled seed, cut at a line end."""
    root = Path(__file__).resolve().parent.parent / "data" / "corpus"
    text = next(root.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    cut = text.rfind("\n", 0, chars)
    return text[: cut if cut > 0 else chars].rstrip("\n")


def _pdf(font: str, footer: bool):
    from fpdf import FPDF

    class _Doc(FPDF):
        def footer(self):
            if footer:
                self.set_y(-15)
                self.cell(0, 10, f"— {self.page_no()} —", align="C")

    pdf = _Doc(format="A4")
    pdf.add_font("cjk", fname=font_path(font))
    pdf.set_font("cjk", size=12)
    pdf.set_auto_page_break(True, margin=20)
    return pdf


def make_pdf(text: str, path, font: str = "uming", footer: bool = True,
             letter_spaced_title: str | None = None, table_rows=None,
             user_password: str | None = None, owner_password: str | None = None,
             page_break_every: int | None = None, table_every: int | None = None,
             framed_box: str | None = None) -> Path:
    """A text PDF: one paragraph per non-blank line, wrapped to the page; footer ``— N —``.

    ``letter_spaced_title`` goes first with 0.5 em character spacing; ``table_rows`` (lists
    of cell strings) become a ruled table after the text; ``page_break_every`` N lines
    forces short pages (a 500-page PDF in a second); ``table_every`` N lines repeats the
    table through the text (a table-heavy PDF); ``framed_box`` text (lines) goes in one
    bordered box after the text, like a 专栏. Passwords encrypt it (RC4).
    """
    pdf = _pdf(font, footer)
    if owner_password or user_password:
        pdf.set_encryption(owner_password=owner_password or "owner", user_password=user_password)
    pdf.add_page()
    if letter_spaced_title:
        pdf.set_char_spacing(6)
        pdf.cell(0, 10, letter_spaced_title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_char_spacing(0)
    count = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        if page_break_every and count and count % page_break_every == 0:
            pdf.add_page()
        pdf.multi_cell(0, 8, line.strip().replace("\t", "    "), new_x="LMARGIN", new_y="NEXT")  # no tab glyph
        count += 1
        if table_rows and table_every and count % table_every == 0:
            _pdf_table(pdf, table_rows)
    if framed_box:
        pdf.multi_cell(0, 8, framed_box, border=1, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)  # apart from what follows: touching frames would form one grid
    if table_rows:
        _pdf_table(pdf, table_rows)
    pdf.output(str(path))
    return Path(path)


def _pdf_table(pdf, rows) -> None:
    from fpdf.fonts import FontFace

    with pdf.table(headings_style=FontFace()) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(str(cell))


def make_scanned_pdf(text: str, path, pages: int = 1, font: str = "uming", size: int = 40) -> Path:
    """An image-only PDF: ``text`` drawn into a bitmap (large type, OCR-friendly) per page."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    pdf = FPDF(format="A4")
    face = ImageFont.truetype(font_path(font), size)
    lines = [line for line in text.splitlines() if line.strip()]
    for _ in range(pages):
        image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
        draw = ImageDraw.Draw(image)
        for k, line in enumerate(lines):
            draw.text((100, 120 + k * int(size * 1.6)), line, font=face, fill=0)
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        pdf.add_page()
        pdf.image(buf, x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return Path(path)


def make_truncated_pdf(src, path, fraction: float = 0.5) -> Path:
    data = Path(src).read_bytes()
    Path(path).write_bytes(data[: int(len(data) * fraction)])
    return Path(path)


def make_qpdf_encrypted(src, path, user_password: str = "", owner_password: str = "owner") -> Path:
    """AES-256 encryption with qpdf (the fpdf2 route gives RC4)."""
    subprocess.run(["qpdf", "--encrypt", user_password, owner_password, "256", "--", str(src), str(path)],
                   check=True, capture_output=True)
    return Path(path)


def make_docx(text: str, path, table_rows=None, table_after: int | None = None) -> Path:
    """One paragraph per line (blank lines kept); ``table_rows`` inserted after paragraph
    ``table_after`` (default: at the end)."""
    import docx

    document = docx.Document()
    lines = text.splitlines()
    at = len(lines) if table_after is None else table_after
    for k, line in enumerate(lines):
        if table_rows and k == at:
            _docx_table(document, table_rows)
        document.add_paragraph(line)
    if table_rows and at >= len(lines):
        _docx_table(document, table_rows)
    document.save(str(path))
    return Path(path)


def _docx_table(document, rows) -> None:
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            table.cell(r, c).text = str(cell)


def make_html(text: str, path, title: str = "政策文件", encoding: str = "utf-8",
              meta_charset: bool = True, boilerplate: bool = True, table_rows=None) -> Path:
    """A government-site-like page: content paragraphs inside nav/header/footer/script noise."""
    from html import escape

    paras = "\n".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    table = ""
    if table_rows:
        table = "<table>" + "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>"
                                    for r in table_rows) + "</table>"
    meta = f'<meta charset="{encoding}">' if meta_charset else ""
    noise_top = noise_bottom = ""
    if boilerplate:
        noise_top = ("<header><div class='logo'>某某市人民政府门户网站</div></header>"
                     "<nav><ul>" + "".join(f"<li><a href='/{k}'>栏目{k}</a></li>" for k in range(8)) +
                     "</ul></nav><div class='breadcrumb'>当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>"
                     "<script>var tracker = '不应出现的脚本文字';</script><style>p{color:red}</style>")
        noise_bottom = ("<div class='share-bar'>分享到：微信 微博</div><p>【打印】【关闭】</p>"
                        "<aside>相关链接 不应出现</aside><footer>版权所有：某某市人民政府办公厅 "
                        "网站标识码 370200</footer>")
    page = (f"<!DOCTYPE html><html><head>{meta}<title>{escape(title)}</title></head><body>"
            f"{noise_top}<div id='zoom' class='article-content'>\n{paras}\n{table}</div>{noise_bottom}</body></html>")
    Path(path).write_bytes(page.encode(encoding))
    return Path(path)


def write_encoded(text: str, path, encoding: str, bom: bool = False, traditional: bool = False) -> str:
    """Write ``text`` in a legacy/UTF-16 encoding; returns the text as written (characters
    the encoding lacks dropped; ``traditional`` converts to 繁體 first, as Big5 files are)."""
    if traditional:
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    text = text.encode(encoding, "ignore").decode(encoding)
    data = text.encode(encoding)
    if bom:
        data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding] + data
    Path(path).write_bytes(data)
    return text


def write_garbage(path, size: int = 4096, seed: int = 7) -> Path:
    """Binary bytes (with NULs and controls) under any name."""
    import random

    rng = random.Random(seed)
    Path(path).write_bytes(bytes(rng.randrange(256) for _ in range(size)))
    return Path(path)


def wrap_to_width(text: str, cols: int) -> list[str]:
    """Break ``text`` into lines of at most ``cols`` display columns (CJK counts 2), as a hard-wrapped file."""
    from ingest.clean import width
    out, cur = [], ""
    for c in text:
        if width(cur + c) > cols:
            out.append(cur)
            cur = ""
        cur += c
    return out + [cur] if cur else out
