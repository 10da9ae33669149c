"""The in-memory, indexed view of the documents every question is answered from.

A :class:`Catalog` wraps ``list[Document]`` (the frozen model) with lookups and a memo
that the question modules fill lazily (status per date, search index, measures).
``catalog_for_store`` builds one from a store and caches it until the store changes.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Callable, cast

from ingest.contract import JurisdictionJSON
from ingest.extract.amounts import is_benefit
from ingest.jurisdiction import jurisdiction_json
from ingest.model import Document, LineMap, Provision, line_at

from graph.catalog_cache import CACHE_NAME, documents_in_order, read_entries, refresh_entries, reset, store_fingerprint, sync  # noqa: F401

from .contract import DocumentRef, ProvisionRef

_BLANK = re.compile(r"\s+")
_TITLE_JUNK = re.compile(r"[《》〈〉“”\"'‘’\s]")


@dataclass(frozen=True, eq=False)
class Catalog:
    """Documents plus lookups; ``memo`` holds derived indexes (never the answers' inputs)."""

    documents: tuple[Document, ...]
    by_id: dict = field(default_factory=dict)
    memo: dict = field(default_factory=dict)

    def document(self, key: str) -> Document:
        """A document by id, exact title, or unique title substring; ValueError otherwise."""
        return find_document(self, key)

    def units(self) -> list[tuple[Document, Provision]]:
        """Every provision with its document, depth first (memoised)."""
        if "units" not in self.memo:
            self.memo["units"] = [(d, p) for d in self.documents for p in d.walk()]
        return self.memo["units"]


def build_catalog(documents) -> Catalog:
    """A catalog over ``documents``. Ids are unique: a repeated one (x.md beside x.txt; one file
    name ingested from two runs' folders) gets ``~2``, ``~3`` … in document order, so nothing a
    user drops into a folder can stop a question.

    >>> build_catalog([]).documents
    ()
    """
    docs, by_id = [], {}
    for d in documents:
        if d.id in by_id:
            n = 2
            while f"{d.id}~{n}" in by_id:
                n += 1
            d = replace(d, id=f"{d.id}~{n}")
        by_id[d.id] = d
        docs.append(d)
    return Catalog(tuple(docs), by_id)


def catalog_from_paths(paths) -> Catalog:
    """Parse files directly (no store): handy for tests and for the app's first start."""
    from ingest.pipeline import discover, parse_file
    return build_catalog(d for f in discover(paths) for d in parse_file(f).documents)


def find_document(catalog: Catalog, key: str) -> Document:
    """Look a document up by id, then exact (normalised) title, then unique title substring."""
    if key in catalog.by_id:
        return catalog.by_id[key]
    k = norm_title(key)
    exact = [d for d in catalog.documents if norm_title(d.title) == k]
    if len(exact) == 1:
        return exact[0]
    part = exact or [d for d in catalog.documents if k and k in norm_title(d.title)]
    if len(part) == 1:
        return part[0]
    if not part:
        raise ValueError(f"no document with id or title {key!r}")
    raise ValueError(f"{key!r} matches {len(part)} documents: "
                     + ", ".join(f"{d.id} {d.title}" for d in part[:5]))


# ---- small shared helpers -------------------------------------------------------------------

def norm_text(s: str | None) -> str:
    """Matching form of a text: NFKC (full-width → ASCII), no whitespace.

    >>> norm_text("研发投入 １０００ 万元")
    '研发投入1000万元'
    """
    return _BLANK.sub("", unicodedata.normalize("NFKC", s or ""))


@lru_cache(maxsize=65536)
def norm_title(s: str | None) -> str:
    """Title matching form: the ingest ``norm`` form (simplified script, 2024—2028 → 2024-2028,
    full-width brackets) without book-title marks, quotes or spaces. Titles are stored as
    written, so every comparison of titles goes through here.

    >>> norm_title("《青岛市 科技 条例》")
    '青岛市科技条例'
    >>> norm_title("X计划（2024—2028年）") == norm_title("X計劃(2024-2028年)")
    True
    """
    from ingest.clean import normalize
    return _TITLE_JUNK.sub("", normalize(unicodedata.normalize("NFKC", s or "")))


def norm_doc_number(s: str | None) -> str:
    """文号 matching form: brackets unified, no spaces.

    >>> norm_doc_number("青政字[2024] 20号") == norm_doc_number("青政字〔2024〕20号")
    True
    """
    return re.sub(r"[\[\(（【〔]", "〔", re.sub(r"[\]\)）】〕]", "〕", norm_text(s)))


def parse_as_of(as_of: str | date | None) -> date:
    """The question date: ISO string, a date, or today.

    >>> parse_as_of("2026-11-22")
    datetime.date(2026, 11, 22)
    """
    if as_of is None:
        return date.today()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(str(as_of).strip())
    except ValueError:
        raise ValueError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None


def doc_ref(doc: Document) -> DocumentRef:
    """The citation of a document."""
    return {"id": doc.id, "title": doc.title, "source": doc.span.source, "doc_number": doc.doc_number,
            "issue_date": doc.issue_date.isoformat() if doc.issue_date else None,
            "jurisdiction": cast("JurisdictionJSON | None", jurisdiction_json(doc.jurisdiction))}


def prov_ref(p: Provision, text: bool = True) -> ProvisionRef:
    """The citation of a provision (label, source lines, and its text)."""
    d: ProvisionRef = {"id": p.id, "label": p.label, "heading": p.heading,
         "line_start": p.span.line_start, "line_end": p.span.line_end, "page": p.span.page}
    if text:
        d["text"] = p.text
    return d


def clause_units(doc: Document) -> list[Provision]:
    """The provisions whose text is their own, in order: a child whose text its parent
    already contains is left out, so that no text is counted twice."""
    out = []

    def add(p: Provision, parent_text: str):
        if p.text and p.text not in parent_text:
            out.append(p)
        for c in p.children:
            add(c, p.text)
    for p in doc.provisions:
        add(p, "")
    return out


@lru_cache(maxsize=64)
def _source_lines(source: str) -> tuple[str, ...] | None:
    try:
        return tuple(Path(source).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return None


def line_map_of(p: Provision) -> tuple[tuple[int, int], ...]:
    """The provision's offset → source line map; when it was not kept (a catalog loaded from a
    store), rebuilt by walking its source lines (whitespace ignored), else its first line."""
    if p.line_map:
        return p.line_map
    lines = _source_lines(p.span.source) if p.span.line_end > p.span.line_start else None
    if not lines:
        return ((0, p.span.line_start),)
    ns_offsets, n = [], 0  # offset in p.text where each non-space character sits
    for i, ch in enumerate(p.text):
        if not ch.isspace():
            ns_offsets.append(i)
    out, k = [], 0
    for ln in range(p.span.line_start, min(p.span.line_end, len(lines)) + 1):
        if k >= len(ns_offsets):
            break
        out.append((ns_offsets[k], ln))
        k += sum(1 for ch in lines[ln - 1] if not ch.isspace())
    return tuple(out) or ((0, p.span.line_start),)


def doc_body(doc: Document) -> str:
    """A document's body as one string: its clauses (``clause_units``), each ending a line."""
    return "".join(p.text + "\n" for p in clause_units(doc))


def doc_lines(doc: Document) -> Callable[[int], int | None]:
    """Source line of a character of ``doc_body(doc)`` (of a clause's line break: its last
    line). A clause is mapped to its lines only when asked, once: rebuilding a map reads the
    source file, and the differences shown need a few clauses of a document, not all."""
    units = clause_units(doc)
    starts = list(accumulate((len(p.text) + 1 for p in units), initial=0))
    maps: dict[int, LineMap] = {}

    def line(offset: int) -> int | None:
        if not units:
            return None
        k = min(bisect_right(starts, offset) - 1, len(units) - 1)
        if k not in maps:
            maps[k] = line_map_of(units[k])
        return line_at_offset(units[k], offset - starts[k], maps[k])
    return line


# ---- the store --------------------------------------------------------------------------------

_STORE_CACHE: dict[str, tuple[object, Catalog]] = {}


def catalog_for_store(spec: str) -> Catalog:
    """The catalog of a store (directory or sparql+http URL), rebuilt only when it changed.

    Cached in this process, and for a store directory also on disk (``CACHE_NAME`` inside it,
    one row per source graph, written by ingest), so a new process reads the documents back
    from there, and after a change only the graphs whose content digest changed are decoded.
    """
    from graph.store import open_store
    from graph.store_base import is_remote
    spec = str(spec)
    hit = _STORE_CACHE.get(spec)
    if is_remote(spec):
        store = open_store(spec)
        try:
            key = store_fingerprint(spec, store)
            if key is not None and hit and hit[0] == key:
                return hit[1]
            entries = refresh_entries(store, {})[0]
        finally:
            store.close()
    else:
        key = store_fingerprint(spec)
        if key is not None and hit and hit[0] == key:
            return hit[1]
        key, entries = cached_entries(spec)
    cat = build_catalog(documents_in_order(entries))
    _STORE_CACHE[spec] = (key, cat)
    return cat


def cached_entries(spec: str, graphs=None):
    """(fingerprint, graph → (digest, key, documents)) of a store directory, from its cache
    brought up to date (all graphs, or those named); a damaged cache is rebuilt, never an error."""
    for attempt in (1, 2):
        key, con, entries = sync(spec)
        if entries is not None:
            return key, entries if graphs is None else {g: entries[g] for g in graphs if g in entries}
        try:
            return key, read_entries(con, graphs)
        except Exception:  # noqa: BLE001 — a damaged row: rebuild the cache once
            if attempt == 2:
                raise
            reset(spec)
        finally:
            con.close()


# ---- measures: what a provision grants ----------------------------------------------------------

# 择优 is left out: 竞争择优 (competitive selection) is not about stacking
NO_STACKING = re.compile(r"不重复|就高|从优|不(?:可|予|得)?叠加|不兼得|按最高|只能享受一项|不再重复")


def provision_measures(p: Provision) -> tuple:
    """The measures of a provision; a provision without any that grants money or has a
    formula stands as one measure of its own (conditions and benefit amounts)."""
    from ingest.model import Measure
    if p.measures:
        return p.measures
    benefit = tuple(a for a in p.amounts if is_benefit(a))
    if not benefit and not p.benefit_formula:
        return ()
    who = next((a.beneficiary for a in benefit if a.beneficiary), None)
    what = next((a.purpose for a in benefit if a.purpose), None)
    return (Measure(text=p.text, conditions=p.conditions, amounts=benefit,
                    benefit_formula=p.benefit_formula, beneficiary=who, purpose=what,
                    line=p.span.line_start),)


def measure_key(m) -> tuple[str, str] | None:
    """(beneficiary, purpose) in matching form: measures with the same key compete."""
    if not m.beneficiary or not m.purpose:
        return None
    return norm_text(m.beneficiary), norm_text(m.purpose)


def amount_max(m) -> int | None:
    """The largest benefit amount a measure names (ignores thresholds, targets, funds)."""
    vals = [a.value_yuan for a in m.amounts if is_benefit(a) and a.value_yuan]
    return max(vals) if vals else None


def benefit_values(p: Provision) -> list[int]:
    """The benefit amounts a provision names, to compare two statements of a measure."""
    return sorted({a.value_yuan for m in provision_measures(p) for a in m.amounts
                   if a.value_yuan and is_benefit(a)})


def no_stacking_clauses(doc: Document) -> list[dict]:
    """Sentences of a document saying benefits do not stack (不重复/就高/从优), with lines."""
    out = []
    for p in clause_units(doc):
        for sent in re.split(r"(?<=[。；;\n])", p.text):
            if NO_STACKING.search(sent):
                out.append({"text": sent.strip(), "line": line_at_offset(p, p.text.find(sent.strip())),
                            "provision": p.id})
    return out


def line_at_offset(p: Provision, offset: int, line_map: LineMap | None = None) -> int:
    """Source line of a character of a provision's text (``line_map``: its ``line_map_of``)."""
    return line_at(line_map_of(p) if line_map is None else line_map, max(offset, 0), p.span.line_start) \
        or p.span.line_start
