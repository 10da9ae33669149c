"""read → clean → split → describe → segment → extract, one file at a time.

Each stage is a plain function returning new frozen objects (see ingest/model.py).
"""
from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from pathlib import Path

from .clean import clean
from .errors import IngestError
from .extract import enrich, relations
from .history import date_in_name
from .jurisdiction import jurisdiction, place_chain
from .meta import describe
from .model import Document, Lineage, Para, ParsedFile, RawText, Reference, Span
from .readers import read_file
from .safety import logged_warnings
from .segment import numbering_warnings, segment
from .sources import SUPPORTED, discover  # noqa: F401 — what callers of the pipeline list files with
from .split import split_documents


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def parse_file(path: str | Path, *, ocr: bool = False, extract: bool = True, id_base: str | None = None,
               name_dates: bool = True, raw: RawText | None = None, forks: int = 1) -> ParsedFile:
    """Parse one file into its documents; raises IngestError for unusable input. Document ids are
    ``{id_base}:01``, ``:02`` …; ``id_base`` defaults to the file name without its extension
    (ingest passes the file's path in the folder: two 通知.txt in two folders are two ids).
    A date in the file's name dates a one-document file's publication when its history agrees
    (``name_dates=False``: the text's dates only). ``raw``: the file as ``read_file(path, ocr=ocr)``
    already read it; ``forks``: processes a long PDF may be read in (ingest/readers_pdf.py)."""
    path = Path(path)
    raw = raw or read_file(path, ocr=ocr, forks=forks)
    documents, warnings = parse_raw(raw, id_base or path.stem, extract=extract, name=str(path),
                                    file_name=path.name if name_dates else None)
    return ParsedFile(source=raw.source, format=raw.format, documents=documents,
                      warnings=warnings, sha256=file_sha256(path))


def parse_raw(raw: RawText, id_base: str, *, extract: bool = True, name: str | None = None,
              file_name: str | None = None) -> tuple[tuple[Document, ...], tuple[str, ...]]:
    """The documents of a file already read, and the warnings of reading and parsing it (``name``:
    the file in error messages; ``file_name``: the name whose date may date a one-document file)."""
    name = name or raw.source
    text_map = clean(raw)
    if not any(p.norm.strip() for p in text_map.paras):
        raise IngestError(name, None, "no text found after cleaning")
    source = raw.source
    warnings = list(raw.warnings) + list(text_map.warnings)
    with logged_warnings() as logged:  # e.g. a TOC entry not found in a compilation's body
        parts = split_documents(text_map)
    warnings.extend(m.removeprefix(f"{source}: ") for m in logged)
    if not parts:
        raise IngestError(name, None, "no document found in the text")
    named = date_in_name(file_name) if file_name and len(parts) == 1 else None
    documents = []
    for index, paras in enumerate(parts, start=1):
        document, notes = _document(index, paras, id_base, source, named, extract)
        documents.append(document)
        warnings.extend(notes)
    return tuple(documents), tuple(warnings)


def _document(index: int, paras: tuple[Para, ...], id_base: str, source: str, named: date | None,
              extract: bool) -> tuple[Document, list[str]]:
    meta = describe(paras, named)
    warnings = [f"document {index}: {w}" for w in meta.warnings]
    provisions = segment(paras[meta.body_start:], source)
    warnings.extend(f"document {index}: {w}" for w in numbering_warnings(provisions))
    references: tuple[Reference, ...] = ()
    lineage: tuple[Lineage, ...] = ()
    where = jurisdiction(meta, paras)
    if extract:
        provisions = tuple(enrich(p, meta, place=place_chain(where) or "") for p in provisions)
        references, lineage = relations(paras)
    return Document(
        id=f"{id_base}:{index:02d}", title=meta.title, doc_type=meta.doc_type,
        issuers=meta.issuers, doc_number=meta.doc_number, issue_date=meta.issue_date,
        validity=meta.validity, span=Span(source, paras[0].line_start, paras[-1].line_end, paras[0].page),
        provisions=provisions, revisions=meta.revisions, references=references, lineage=lineage,
        doc_class=meta.doc_class, region=meta.region, wrapper_title=meta.wrapper_title,
        jurisdiction=where), warnings


# A short notice that takes every stage's look-up tables into use (agencies, amounts, conditions,
# windows, validity, numbering, places): parsed by warm().
_WARM_LINES = (
    "青岛市科学技术局关于印发《青岛市支持科技创新若干措施》的通知", "青科规〔2024〕1号", "各区、市科技主管部门：",
    "一、对首次认定的高新技术企业，年度研发投入超过500万元的，给予最高10万元奖励。",
    "二、申报时间：2024年3月1日至3月31日。由市科技局负责解释。",
    "第一条 本措施自2024年1月1日起施行，有效期三年。", "青岛市科学技术局", "2024年1月1日",
)


@cache
def warm() -> None:
    """Build the shared look-up tables (division gazetteer, cleaning, extraction and metadata rules,
    their regular expressions) in this process by parsing a short notice: worker processes forked
    from it start with them instead of each building them under the per-file deadline, and a
    parse may build them while a forked child reads its PDF. Once per process."""
    parse_raw(RawText("<warm>", "txt", _WARM_LINES, (None,) * len(_WARM_LINES)), "warm")
