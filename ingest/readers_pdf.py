"""PDF reader: pypdfium2 for text and tables; pdfplumber only as a per-page fallback.

Choice, from ``benchmarks/bench_pdf.py`` (PDFs made from the five seeds, ~1,000 CJK
characters a page, footer on every page; median of 5 interleaved runs, 2026-11-25, this
2-core machine under load 7, so absolute figures are noisy, ratios less so):

    pages/s (x pdftotext time)   UMing TrueType   Noto CFF            UMing, table every page
    pdftotext                    261   (1.00)     245  (1.00)         340  (1.00)
    pypdfium2 get_text_range     236   (1.11)      57  (4.28)         202  (1.69)
    pdfplumber extract_text       12  (21.9)      188  (1.31) EMPTY    15  (22.5)
    read_file (this module)      209   (1.25)      58  (4.21)         182  (1.87)
    read_file, pdfplumber tables 195   (1.34)      80  (3.05)          23  (14.7)

* pypdfium2 ``get_text_range()`` is the text path: ~20x pdfplumber, within 1.1-1.3x of
  ``pdftotext`` on TrueType fonts; no spurious spaces in letter-spaced headings
  (``青 岛 市`` → ``青岛市``); it reads the Noto CFF fonts with embedded CMaps for which
  pdfminer/pdfplumber return '' silently (pdfminer.six#1072) — slower there (page load +
  text page ~18 ms vs ~4 ms), pdfium's cost, not ours.
* Ruled tables: ``readers_pdf_tables.pdfium_tables`` finds the grid from the page's path
  segments (~0.5 ms a table page) and reads cells with pdfium; rows become tab-joined
  lines. pdfplumber ``find_tables()`` gives the same rows on every fixture and seed-made
  PDF but costs ~60 ms a page (it builds all character objects first): 8x slower on a
  table-heavy PDF, so it is kept only as ``TABLE_FINDER = "pdfplumber"``.
* pdfplumber/pdfminer text is tried on a page where pdfium finds text objects but gets
  no or garbled text (U+FFFD, private use), and kept when it is better.
* A page with images over >= 30 % of it and (almost) no text is a scanned page: OCR with
  ``tesseract - - -l chi_sim`` on a 300 dpi pdfium rendering when ``ocr=True`` (spaces
  between hanzi removed); otherwise an IngestError (every page scanned) or a warning.
* Known limits: text comes in content-stream order (fine for Word/WPS/fpdf2 exports; a
  multi-column or oddly produced PDF may interleave); a single pdfium call cannot be
  interrupted, so the time limit is checked between pages (a hang inside one page needs a
  per-file timeout around the whole reader, e.g. a worker process).
"""
from __future__ import annotations

import ctypes
import io
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .errors import IngestError
from .model import RawText
from .readers_pdf_tables import pdfium_tables, plumber_tables, with_tables
from .readers_text import split_lines
from .safety import Forked

MAX_PAGES = 5000
TIME_BASE_S, TIME_PER_PAGE_S, OCR_PAGE_TIMEOUT_S = 120.0, 1.0, 120.0
TABLE_FINDER = "pdfium"  # or "pdfplumber": same rows on ruled tables, ~25x slower (module doc)
TABLE_MIN_PATHS = 1  # pages without any path object cannot hold a ruled table
MAX_TABLE_PAGES = 300  # pdfplumber costs ~70 ms a page: cap it
MIN_PAGE_CHARS = 10  # fewer meaningful characters than this on an image page = scanned
MIN_SCAN_SHARE = 0.3  # ... and images cover at least this share of it
OCR_DPI = 300
FORK_MIN_PAGES = 16  # with forks > 1, a PDF this long is read by a second process too

_MEANINGFUL_RUN = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]+")
_BAD = re.compile(r"[\ufffd\ue000-\uf8ff]|\(cid:\d+\)")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff\ufffe]")  # keep \t
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]) +(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")


@lru_cache(maxsize=1024)  # asked up to four times per page
def _quality(text: str) -> int:
    """Meaningful characters minus garbage (U+FFFD, private use, ``(cid:N)``).

    >>> _quality("第1条"), _quality("(cid:12)(cid:13)")
    (3, -4)
    """
    bad = len(_BAD.findall(text))
    return _meaningful(_BAD.sub("", text) if bad else text) - 2 * bad


def _meaningful(text: str) -> int:
    """How many meaningful characters: counted in runs (a list of runs, not of characters)."""
    return sum(map(len, _MEANINGFUL_RUN.findall(text)))


def _garbled(text: str) -> bool:
    """Too little text, or too much of it undecodable (a font without a usable ToUnicode)."""
    bad = len(_BAD.findall(text))
    return _quality(text) < MIN_PAGE_CHARS or bad > 0.1 * _meaningful(text)


def _clean_line(line: str) -> str:
    return _CONTROLS.sub("", line).rstrip()


def _page_lines(text: str) -> list[str]:
    return [_clean_line(line) for line in split_lines(text)]


def _pdfium_text(textpage) -> str:
    return textpage.get_text_range()


def _page_objects(page) -> tuple[dict[int, int], float]:
    """Object counts by pdfium type (form XObjects descended 3 levels, as ``get_objects(max_depth=3)``),
    and the share of the page that images cover. Raw pdfium calls: a helper object per page
    object cost ~12 µs, a tenth of the whole PDF read on a text page."""
    counts: dict[int, int] = {}
    image_area = 0.0
    box = [ctypes.c_float() for _ in range(4)]

    def visit(parent, count, get, level):
        nonlocal image_area
        for k in range(count(parent)):
            obj = get(parent, k)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            counts[kind] = counts.get(kind, 0) + 1
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(obj, *map(ctypes.byref, box)):
                left, bottom, right, top = (b.value for b in box)
                image_area += max(0.0, right - left) * max(0.0, top - bottom)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < 2:
                visit(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, level + 1)
    visit(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)
    width, height = page.get_size()
    return counts, image_area / max(width * height, 1.0)


def _open(path: Path, source: str):
    with path.open("rb") as f:
        head = f.read(1024)
        f.seek(max(0, path.stat().st_size - 2048))
        tail = f.read()
    if b"%PDF-" not in head:
        raise IngestError(source, None, "not a PDF file (no %PDF- header)")
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise IngestError(source, None, "encrypted PDF (password required)") from None
        raise IngestError(source, None, f"unreadable PDF: {e}") from None
    warnings = [] if b"%%EOF" in tail else ["no %%EOF at the end: the file may be truncated"]
    return doc, warnings


def _plumber_text(path: Path, page_indexes: list[int], warnings: list[str]) -> dict[int, str]:
    import pdfplumber

    try:
        with pdfplumber.open(path, pages=[i + 1 for i in page_indexes]) as pl:
            return {i: pg.extract_text() or "" for i, pg in zip(page_indexes, pl.pages)}
    except Exception as e:
        warnings.append(f"pdfplumber fallback failed ({type(e).__name__}: {e})")
        return {}


def _ocr(page, source: str, number: int) -> list[str]:
    image = page.render(scale=OCR_DPI / 72).to_pil()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    try:
        done = subprocess.run(["tesseract", "-", "-", "-l", "chi_sim"], input=buf.getvalue(),
                              capture_output=True, timeout=OCR_PAGE_TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise IngestError(source, f"page {number}", "OCR needs tesseract (tesseract-ocr-chi-sim)") from None
    except subprocess.TimeoutExpired:
        raise IngestError(source, f"page {number}", f"OCR timed out after {OCR_PAGE_TIMEOUT_S:.0f} s") from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise IngestError(source, f"page {number}", f"OCR failed: {err[0]}")
    text = done.stdout.decode("utf-8", "replace")
    # chi_sim puts a space between every two hanzi
    return [_CJK_GAP.sub("", line).strip() for line in split_lines(text) if line.strip()]


def _ranges(numbers: list[int]) -> str:
    """'1-3, 7' for [1, 2, 3, 7].

    >>> _ranges([1, 2, 3, 7])
    '1-3, 7'
    """
    out, start = [], None
    for k, n in enumerate(numbers):
        if start is None:
            start = n
        if k + 1 == len(numbers) or numbers[k + 1] != n + 1:
            out.append(f"{start}-{n}" if n != start else str(n))
            start = None
    return ", ".join(out)


@dataclass(frozen=True)
class PageRead:
    """What one page gave pdfium: its text and what the rest of the reading needs to know of it."""
    text: str
    table_lines: tuple[str, ...] | None  # its lines, ruled tables as tab-joined rows (pdfium finder)
    ruled: bool  # path objects beside text: a page for pdfplumber's table finder, when that is chosen
    retry: bool  # text objects but no usable text: let pdfminer try
    scanned: bool  # (almost) no text, images over MIN_SCAN_SHARE of it


def read_page(doc, source: str, i: int, deadline: float, limit_s: float) -> PageRead:
    """Page ``i`` of an open pdfium document, by ``deadline`` (monotonic time; ``limit_s``: the time
    allowed, for the message)."""
    if time.monotonic() > deadline:
        raise IngestError(source, f"page {i + 1}", f"reading timed out after {limit_s:.0f} s")
    try:
        page = doc[i]
        tp = page.get_textpage()
    except pdfium.PdfiumError as e:
        raise IngestError(source, f"page {i + 1}", f"unreadable page: {e}") from None
    text = _pdfium_text(tp)
    kinds, image_share = _page_objects(page)
    quality = _quality(text)
    ruled = kinds.get(pdfium_c.FPDF_PAGEOBJ_PATH, 0) >= TABLE_MIN_PATHS and quality > 0
    found = pdfium_tables(page, tp) if ruled and TABLE_FINDER == "pdfium" else None
    return PageRead(text, tuple(with_tables(tp, text, found, _clean_line)) if found else None, ruled,
                    _garbled(text) and bool(kinds.get(pdfium_c.FPDF_PAGEOBJ_TEXT, 0)),
                    quality < MIN_PAGE_CHARS and image_share >= MIN_SCAN_SHARE)


def _claim(left, lock, front: bool) -> int | None:
    """The next page to read from the front (the forked reader) or from the back (this process),
    or None once the two have met; ``left`` holds [first, end) of the pages nobody took yet."""
    with lock:
        if left[0] >= left[1]:
            return None
        if front:
            left[0] += 1
            return left[0] - 1
        left[1] -= 1
        return left[1]


def _read_claimed(doc, source: str, left, lock, front: bool, deadline: float, limit_s: float) -> dict[int, PageRead]:
    """The pages this side claims (``_claim``) until none is left, read from ``doc``."""
    out = {}
    while (i := _claim(left, lock, front)) is not None:
        out[i] = read_page(doc, source, i, deadline, limit_s)
    return out


def _read_front(path: Path, left, lock, deadline: float, limit_s: float) -> dict[int, PageRead]:
    """In the forked reader: pages taken from the front, the PDF opened here."""
    doc, _ = _open(path, str(path))
    try:
        return _read_claimed(doc, str(path), left, lock, True, deadline, limit_s)
    finally:
        doc.close()


def _read_shared(doc, path: Path, n: int, deadline: float, limit_s: float,
                 meanwhile: Callable[[], object] | None) -> list[PageRead]:
    """Every page: a forked reader takes pages from the front while this process runs ``meanwhile``
    and then takes pages from the back, until the two meet (neither waits while pages are left)."""
    import multiprocessing
    left, lock = multiprocessing.RawArray("i", [0, n]), multiprocessing.Lock()
    with Forked(_read_front, path, left, lock, deadline, limit_s) as front:
        if meanwhile is not None:
            meanwhile()
        mine = _read_claimed(doc, str(path), left, lock, False, deadline, limit_s)
        theirs = front.result()
    return [mine[i] if i in mine else theirs[i] for i in range(n)]


def read_pdf(path: Path, *, ocr: bool = False, forks: int = 1,
             meanwhile: Callable[[], object] | None = None) -> RawText:
    """The lines of a PDF. ``forks`` > 1: a long PDF's pages are read by a forked process too
    (pdfium's page loading is most of the time, and one process runs it on one core), while this
    one first runs ``meanwhile`` (e.g. imports and look-up tables), then reads pages itself.
    ``meanwhile`` is run in any case."""
    source = str(path)
    t0 = time.monotonic()
    doc, warnings = _open(path, source)
    try:
        n = len(doc)
        if n == 0:
            raise IngestError(source, None, "PDF has no pages")
        if n > MAX_PAGES:
            raise IngestError(source, None, f"{n} pages: more than the {MAX_PAGES} pages read per file")
        limit = TIME_BASE_S + n * (OCR_PAGE_TIMEOUT_S if ocr else TIME_PER_PAGE_S)
        deadline = t0 + limit
        if forks > 1 and n >= FORK_MIN_PAGES:
            read = _read_shared(doc, path, n, deadline, limit, meanwhile)
        else:
            if meanwhile is not None:
                meanwhile()
            read = [read_page(doc, source, i, deadline, limit) for i in range(n)]
        texts = {i: r.text for i, r in enumerate(read)}
        tables = {i: list(r.table_lines) for i, r in enumerate(read) if r.table_lines is not None}
        retry = [i for i, r in enumerate(read) if r.retry]
        scanned = [i for i, r in enumerate(read) if r.scanned]
        table_pages = [i for i, r in enumerate(read) if r.ruled] if TABLE_FINDER == "pdfplumber" else []
        if retry:
            replaced = []
            for i, alt in _plumber_text(path, retry, warnings).items():
                if _quality(alt) > max(_quality(texts[i]), 0):
                    texts[i] = alt
                    replaced.append(i + 1)
            if replaced:
                warnings.append(f"page(s) {_ranges(replaced)}: text from pdfminer (pdfium's empty or garbled)")
                for i in replaced:  # table cells and charboxes are pdfium's
                    tables.pop(i - 1, None)
                table_pages = [i for i in table_pages if i + 1 not in replaced]
            scanned = [i for i in scanned if _quality(texts[i]) < MIN_PAGE_CHARS]
            garbled = [i + 1 for i in retry if i not in scanned and _BAD.search(texts[i])]
            if garbled:
                warnings.append(f"page(s) {_ranges(garbled)}: undecodable characters in the text layer")
        if len(table_pages) > MAX_TABLE_PAGES:
            warnings.append(f"tables looked for on the first {MAX_TABLE_PAGES} of {len(table_pages)} ruled pages")
            table_pages = table_pages[:MAX_TABLE_PAGES]
        if table_pages:
            textpages = {i: doc[i].get_textpage() for i in table_pages}
            heights = {i: doc[i].get_height() for i in table_pages}
            for i, found in plumber_tables(path, table_pages, textpages, heights, warnings).items():
                tables[i] = with_tables(textpages[i], texts[i], found, _clean_line)
        text_pages = [i for i in range(n) if _quality(texts[i]) > 0 and i not in scanned]
        if scanned and not ocr:
            if not text_pages:
                raise IngestError(source, f"pages 1-{n}", "no text layer (scanned image PDF?); use --ocr")
            warnings.append(f"page(s) {_ranges([i + 1 for i in scanned])}: no text layer (scanned?); "
                            "their text is missing, use --ocr")
        if not scanned and not text_pages:
            raise IngestError(source, f"pages 1-{n}", "no text found in the PDF")
        lines: list[str] = []
        pages: list[int] = []
        for i in range(n):
            if i in scanned and ocr:
                if time.monotonic() > deadline:
                    raise IngestError(source, f"page {i + 1}", f"reading timed out after {limit:.0f} s")
                page_lines = _ocr(doc[i], source, i + 1)
            else:
                page_lines = tables[i] if i in tables else _page_lines(texts[i])
            lines.extend(page_lines)
            pages.extend([i + 1] * len(page_lines))
        if scanned and ocr:
            warnings.append(f"page(s) {_ranges([i + 1 for i in scanned])}: text from OCR (tesseract chi_sim); check it")
        if not any(line.strip() for line in lines):
            raise IngestError(source, f"pages 1-{n}", "no text found in the PDF (OCR found none either)")
        return RawText(source=source, format="pdf", lines=tuple(lines), pages=tuple(pages),
                       encoding=None, warnings=tuple(warnings))
    finally:
        doc.close()
