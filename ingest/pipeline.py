"""read → clean → split → describe → segment → extract, one file at a time.

Each stage is a plain function returning new frozen objects (see ingest/model.py).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .clean import clean
from .errors import IngestError
from .extract import enrich, relations
from .history import date_in_name
from .jurisdiction import jurisdiction, place_chain
from .meta import describe
from .model import Document, Lineage, ParsedFile, Reference, Span
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
               name_dates: bool = True) -> ParsedFile:
    """Parse one file into its documents; raises IngestError for unusable input. Document ids are
    ``{id_base}:01``, ``:02`` …; ``id_base`` defaults to the file name without its extension
    (ingest passes the file's path in the folder: two 通知.txt in two folders are two ids).
    A date in the file's name dates a one-document file's publication when its history agrees
    (``name_dates=False``: the text's dates only)."""
    path = Path(path)
    id_base = id_base or path.stem
    raw = read_file(path, ocr=ocr)
    text_map = clean(raw)
    if not any(p.norm.strip() for p in text_map.paras):
        raise IngestError(str(path), None, "no text found after cleaning")
    source = raw.source
    warnings = list(raw.warnings) + list(text_map.warnings)
    documents = []
    with logged_warnings() as logged:  # e.g. a TOC entry not found in a compilation's body
        parts = split_documents(text_map)
    warnings.extend(m.removeprefix(f"{source}: ") for m in logged)
    named = date_in_name(path.name) if name_dates and len(parts) == 1 else None
    for index, paras in enumerate(parts, start=1):
        meta = describe(paras, named)
        warnings.extend(f"document {index}: {w}" for w in meta.warnings)
        provisions = segment(paras[meta.body_start:], source)
        warnings.extend(f"document {index}: {w}" for w in numbering_warnings(provisions))
        references: tuple[Reference, ...] = ()
        lineage: tuple[Lineage, ...] = ()
        where = jurisdiction(meta, paras)
        if extract:
            provisions = tuple(enrich(p, meta, place=place_chain(where) or "") for p in provisions)
            references, lineage = relations(paras)
        documents.append(Document(
            id=f"{id_base}:{index:02d}", title=meta.title, doc_type=meta.doc_type,
            issuers=meta.issuers, doc_number=meta.doc_number, issue_date=meta.issue_date,
            validity=meta.validity, span=Span(source, paras[0].line_start, paras[-1].line_end, paras[0].page),
            provisions=provisions, revisions=meta.revisions, references=references, lineage=lineage,
            doc_class=meta.doc_class, region=meta.region, wrapper_title=meta.wrapper_title,
            jurisdiction=where))
    if not documents:
        raise IngestError(str(path), None, "no document found in the text")
    return ParsedFile(source=source, format=raw.format, documents=tuple(documents),
                      warnings=tuple(warnings), sha256=file_sha256(path))


def warm() -> None:
    """Build the shared look-up tables (division gazetteer, extraction rules) in this process, so
    worker processes forked from it start with them instead of each building them under the
    per-file deadline."""
    from .extract.agencies import find_agencies
    from .extract.amounts import find_amounts
    from .places import gazetteer
    gazetteer()
    find_agencies("（责任单位：市科技局）", "北京市")
    find_amounts("给予最高10万元奖励，处罚款。")
