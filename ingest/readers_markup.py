"""DOCX and HTML readers: one line per paragraph / block, table rows as tab-joined cells.

HTML boilerplate rules (tags, roles, class tokens, navigation lines) are data:
``data/rules/html_boilerplate.yaml``.
"""
from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path

from . import resources
from .errors import IngestError
from .model import RawText
from .readers_text import decode_text, split_lines

MAX_MARKUP_BYTES = 128 << 20
_WS = re.compile(r"[ \t\r\n\f\v\xa0\u3000]+")


def _lines_of(texts) -> list[str]:
    """Split multi-line texts into physical lines, trailing spaces removed."""
    return [line.rstrip() for t in texts for line in (split_lines(t) or ("",))]


# ---------------------------------------------------------------- DOCX

def _cell_text(cell) -> str:
    return " ".join(_WS.sub(" ", p.text).strip() for p in cell.paragraphs if p.text.strip())


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(_cell_text(cell))
            for inner in cell.tables:  # nested tables: their rows follow the row holding them
                rows.extend(_table_rows(inner))
        if any(cells):
            rows.append("\t".join(cells))
    return rows


# A policy's document.xml is rarely over a few MB; ratios above ~100 are compressed padding.
DOCX_MAX_XML_BYTES = 64 * 1024 * 1024
DOCX_MAX_RATIO = 200


def _refuse_zip_bomb(source: str, info: zipfile.ZipInfo) -> None:
    """Refuse a document.xml whose unpacked size or compression ratio is implausible for a text."""
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > DOCX_MAX_XML_BYTES or (ratio > DOCX_MAX_RATIO and info.file_size > 1024 * 1024):
        raise IngestError(source, "word/document.xml",
                          f"unpacks to {info.file_size:,} bytes (ratio {ratio:.0f}:1): refused as a zip bomb")


def read_docx(path: Path) -> RawText:
    """Body paragraphs in order, tables interleaved where they stand (rows tab-joined)."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    source = str(path)
    if not zipfile.is_zipfile(path):
        raise IngestError(source, None, "not a valid DOCX (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as z:
            if "word/document.xml" not in z.namelist():
                raise IngestError(source, None, "not a valid DOCX (zip without word/document.xml)")
            _refuse_zip_bomb(source, z.getinfo("word/document.xml"))
        document = docx.Document(str(path))
    except IngestError:
        raise
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors … on bad packages
        raise IngestError(source, None, f"not a valid DOCX ({type(e).__name__}: {e})") from None
    texts: list[str] = []
    warnings: list[str] = []

    def walk(parent_element, parent) -> None:
        for child in parent_element.iterchildren():
            if child.tag == qn("w:p"):
                texts.append(Paragraph(child, parent).text)
                if child.find(".//" + qn("w:txbxContent")) is not None and not warnings:
                    warnings.append("text boxes are not read")
            elif child.tag == qn("w:tbl"):
                texts.extend(_table_rows(Table(child, parent)))
            elif child.tag == qn("w:sdt"):  # content controls wrap ordinary paragraphs
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content, parent)

    walk(document.element.body, document._body)
    lines = _lines_of(texts)
    while lines and not lines[-1].strip():
        lines.pop()
    if not any(line.strip() for line in lines):
        raise IngestError(source, None, "no text in the DOCX body")
    return RawText(source=source, format="docx", lines=tuple(lines), pages=(None,) * len(lines),
                   encoding=None, warnings=tuple(warnings))


# ---------------------------------------------------------------- HTML

@lru_cache(maxsize=1)
def _rules():
    r = resources.rules("html_boilerplate")
    return {**r, "drop_class_tokens": frozenset(r["drop_class_tokens"]),
            "drop_line_patterns": [re.compile(p) for p in r["drop_line_patterns"]]}


_BLOCK = frozenset("""address article blockquote body center dd details dialog dir div dl dt fieldset
figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main ol p pre section summary table tbody
thead tfoot tr ul caption""".split())
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
            "big5": "big5hkscs", "x-big5": "big5hkscs"}


def _decode_html(data: bytes, source: str) -> tuple[str, str, list[str]]:
    m = _CHARSET.search(data[:8192])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = m.group(1).decode("ascii", "replace").lower()
        enc = _ALIASES.get(declared, declared)
        try:
            return data.decode(enc), enc, []
        except (LookupError, UnicodeDecodeError) as e:
            try:
                text, found, _ = decode_text(data, source)
                return text, found, [f"declared charset {declared!r} is wrong ({type(e).__name__}); read as {found}"]
            except IngestError:
                if isinstance(e, LookupError):
                    raise
                return (data.decode(enc, "replace"), enc,
                        [f"invalid {declared} bytes from byte {e.start} replaced by U+FFFD"])
    text, enc, warnings = decode_text(data, source)
    return text, enc, list(warnings)


def _is_boilerplate(el, rules, body_len: int) -> bool:
    if el.name in rules["drop_tags"]:
        return True
    if el.name in rules["site_furniture_tags"] and el.find_parent(["article", "main"]) is None:
        return True
    attrs = getattr(el, "attrs", None) or {}
    role = str(attrs.get("role", "")).lower()
    tokens: set[str] = set()
    for value in (attrs.get("class") or []) + [attrs.get("id") or ""]:
        tokens.update(t for t in re.split(r"[\s_-]+", str(value).lower()) if t)
    hinted = role in rules["drop_roles"] or bool(tokens & rules["drop_class_tokens"])
    links = el.find_all("a") if el.name in ("ul", "ol", "div", "table", "p", "td") else ()
    if not hinted and len(links) >= 5:  # a menu: several links and little else
        text_len = len(_WS.sub("", el.get_text()))
        link_len = sum(len(_WS.sub("", a.get_text())) for a in links)
        hinted = text_len > 0 and link_len >= 0.8 * text_len and text_len / len(links) < 20
    # never drop what holds most of the page: the content div may carry an unlucky class
    return hinted and len(_WS.sub("", el.get_text())) < 0.3 * body_len


def _html_text(node, out: list[str], in_cell: bool, in_pre: bool) -> None:
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    for child in node.children:
        if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            out.append(str(child) if in_pre else _WS.sub(" ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            out.append(" " if in_cell else "\n")
        elif name == "tr":
            cells = []
            for cell in child.find_all(["td", "th"], recursive=False):
                buf: list[str] = []
                _html_text(cell, buf, True, in_pre)
                cells.append(_WS.sub(" ", "".join(buf)).strip())
            if any(cells):
                out.append("\n" + "\t".join(cells) + "\n")
        else:
            block = name in _BLOCK
            if block:
                out.append(" " if in_cell else "\n")
            _html_text(child, out, in_cell, in_pre or name == "pre")
            if block:
                out.append(" " if in_cell else "\n")


def read_html(path: Path) -> RawText:
    """Body text of an HTML page, navigation and site furniture dropped, blocks as lines."""
    from bs4 import BeautifulSoup

    source = str(path)
    if path.stat().st_size > MAX_MARKUP_BYTES:
        raise IngestError(source, None, f"HTML file too large ({path.stat().st_size} bytes)")
    text, enc, warnings = _decode_html(path.read_bytes(), source)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as e:
        raise IngestError(source, None, f"unparsable HTML ({type(e).__name__}: {e})") from None
    body = soup.body or soup
    rules = _rules()
    body_len = len(_WS.sub("", body.get_text()))
    for el in body.find_all(True):
        if el.decomposed or el.parent is None:
            continue
        if _is_boilerplate(el, rules, body_len):
            el.decompose()
    out: list[str] = []
    _html_text(body, out, False, False)
    lines = []
    for line in "".join(out).split("\n"):
        line = "\t".join(_WS.sub(" ", c).strip() for c in line.split("\t")).strip()
        if line and not any(p.search(line) for p in rules["drop_line_patterns"]):
            lines.append(line)
    if not lines:
        raise IngestError(source, None, "no body text in the HTML page")
    return RawText(source=source, format="html", lines=tuple(lines), pages=(None,) * len(lines),
                   encoding=enc, warnings=tuple(warnings))
