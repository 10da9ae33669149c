"""Ruled tables in PDF pages, as tab-joined rows, with cell text from pdfium.

Two finders of the table *geometry* (cell text always comes from pdfium's
``get_text_bounded``, which also reads the CFF fonts pdfminer cannot):

* ``pdfium_tables`` (default): the page's path segments → horizontal/vertical rules →
  connected grids → row bands split at the vertical rules crossing them. ~1 ms a page.
* ``plumber_tables``: pdfplumber ``find_tables()``; same rows on ruled tables, but it
  builds every character object first (~25x the cost of the page's text extraction).

A grid needs at least two cells (3 rules one way, 2 the other): a single framed box
(a 专栏) is text, not a one-cell table.
"""
from __future__ import annotations

import ctypes
import re

import pypdfium2.raw as pdfium_c

TOL = 1.0  # a rule is axis-aligned within this many points
MIN_RULE = 5.0  # shorter strokes are ticks, underlines of single characters, thick-rule ends
SNAP = 3.0  # rules this close are one (the two edges of a thin filled rectangle)
_CJK_END = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")

Box = tuple[float, float, float, float]  # left, bottom, right, top (PDF space)
Table = tuple[Box, list[str]]


def _rules(page) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) straight segments of the page's paths."""
    hs, vs = [], []
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        matrix = obj.get_matrix()
        start = cur = None
        for k in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
            if not pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                continue
            pt = matrix.on_point(x.value, y.value)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            ends = []
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = pt
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO and cur is not None:
                ends.append((cur, pt))
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                ends.append((pt, start))
            cur = start if pdfium_c.FPDFPathSegment_GetClose(seg) else pt
            for (ax, ay), (bx, by) in ends:
                if abs(ay - by) <= TOL and abs(ax - bx) >= MIN_RULE:
                    hs.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
                elif abs(ax - bx) <= TOL and abs(ay - by) >= MIN_RULE:
                    vs.append(((ax + bx) / 2, min(ay, by), max(ay, by)))
    return _merge(hs), _merge(vs)


def _merge(rules: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Snap rules at (almost) the same position together and join overlapping ones.

    >>> _merge([(10.0, 0.0, 50.0), (10.5, 48.0, 90.0), (40.0, 0.0, 90.0), (40.0, 95.0, 99.0)])
    [(10.0, 0.0, 90.0), (40.0, 0.0, 90.0), (40.0, 95.0, 99.0)]
    """
    out: list[tuple[float, float, float]] = []
    for pos, a, b in sorted(rules):
        k = len(out) - 1
        while k >= 0 and pos - out[k][0] <= SNAP:  # earlier rules at about the same position
            p, c, d = out[k]
            if a <= d + SNAP and c <= b + SNAP:
                out[k] = (p, min(a, c), max(b, d))
                break
            k -= 1
        else:
            out.append((pos, a, b))
    return out


def _grids(hs, vs) -> list[tuple[list, list]]:
    """Groups of rules that touch each other (union-find), as (horizontals, verticals)."""
    parent = list(range(len(hs) + len(vs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - SNAP <= x <= x1 + SNAP and y0 - SNAP <= y <= y1 + SNAP:
                parent[root(i)] = root(len(hs) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(root(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(root(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values()
            if len(g[0]) >= 2 and len(g[1]) >= 2 and (len(g[0]) >= 3 or len(g[1]) >= 3)]


def cell_text(textpage, left: float, bottom: float, right: float, top: float) -> str:
    """A cell's text on one line: wrapped CJK rejoined without a space."""
    parts = [p.strip() for p in re.split(r"[\r\n]+", textpage.get_text_bounded(left, bottom, right, top))]
    out = ""
    for part in filter(None, parts):
        glue = "" if not out or (_CJK_END.search(out) and _CJK_START.search(part)) else " "
        out += glue + " ".join(part.split())
    return out


def pdfium_tables(page, textpage) -> list[Table]:
    """Ruled tables of one page found from its path segments."""
    tables: list[Table] = []
    for hs, vs in _grids(*_rules(page)):
        left, right = min(h[1] for h in hs), max(h[2] for h in hs)
        ys = sorted({round(h[0], 1) for h in hs}, reverse=True)
        rows = []
        for top, bottom in zip(ys, ys[1:]):
            mid = (top + bottom) / 2
            xs = sorted(v[0] for v in vs if v[1] - SNAP <= mid <= v[2] + SNAP)
            if len(xs) < 2:
                continue
            cells = [cell_text(textpage, a, bottom, b, top) for a, b in zip(xs, xs[1:]) if b - a > SNAP]
            if any(cells):
                rows.append("\t".join(cells))
        if rows:
            tables.append(((left, ys[-1], right, ys[0]), rows))
    return tables


def plumber_tables(path, page_indexes: list[int], textpages: dict, heights: dict,
                   warnings: list[str]) -> dict[int, list[Table]]:
    """Per page index: the ruled tables pdfplumber finds (its geometry, pdfium's text)."""
    import pdfplumber

    found: dict[int, list[Table]] = {}
    try:
        with pdfplumber.open(path, pages=[i + 1 for i in page_indexes]) as pl:
            for i, pg in zip(page_indexes, pl.pages):
                h, tp, tables = heights[i], textpages[i], []
                for table in pg.find_tables():
                    x0, top, x1, bottom = table.bbox
                    rows = ["\t".join(cell_text(tp, c[0], h - c[3], c[2], h - c[1]) if c else ""
                                      for c in row.cells) for row in table.rows]
                    rows = [r for r in rows if r.strip()]
                    if rows:
                        tables.append(((x0, h - bottom, x1, h - top), rows))
                if tables:
                    found[i] = tables
    except Exception as e:  # an optional refinement: never lose the page for it
        warnings.append(f"table detection failed ({type(e).__name__}: {e}); tables read as plain text")
    return found


def with_tables(textpage, text: str, tables: list[Table], clean) -> list[str]:
    """Page lines with every line that starts inside a table replaced by the table's rows."""
    out: list[str] = []
    done: set[int] = set()
    pos = 0
    for raw in re.split(r"(\r\n|\r|\n)", text):
        if raw in ("\r\n", "\r", "\n"):
            pos += len(raw)
            continue
        hit = None
        k = next((j for j, ch in enumerate(raw) if not ch.isspace()), None)
        if k is not None:
            left, bottom, right, top = textpage.get_charbox(pos + k)
            cx, cy = (left + right) / 2, (bottom + top) / 2
            hit = next((t for t, ((x0, y0, x1, y1), _) in enumerate(tables)
                        if x0 - 1 <= cx <= x1 + 1 and y0 - 1 <= cy <= y1 + 1), None)
        pos += len(raw)
        if hit is None:
            out.append(clean(raw))
        elif hit not in done:
            done.add(hit)
            out.extend(tables[hit][1])
    return out
