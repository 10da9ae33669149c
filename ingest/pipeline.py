"""read → clean → split → describe → segment → extract, one file at a time.

Each stage is a plain function returning new frozen objects (see ingest/model.py).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .clean import clean
from .errors import IngestError
from .extract import enrich, relations
from .meta import describe
from .model import Document, Lineage, ParsedFile, Reference, Span
from .readers import read_file
from .safety import logged_warnings
from .segment import segment
from .split import split_documents


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def parse_file(path: str | Path, *, ocr: bool = False, extract: bool = True) -> ParsedFile:
    """Parse one file into its documents; raises IngestError for unusable input."""
    path = Path(path)
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
    for index, paras in enumerate(parts, start=1):
        meta = describe(paras)
        warnings.extend(f"document {index}: {w}" for w in meta.warnings)
        provisions = segment(paras[meta.body_start:], source)
        references: tuple[Reference, ...] = ()
        lineage: tuple[Lineage, ...] = ()
        if extract:
            provisions = tuple(enrich(p, meta) for p in provisions)
            references, lineage = relations(paras)
        documents.append(Document(
            id=f"{path.stem}:{index:02d}", title=meta.title, doc_type=meta.doc_type,
            issuers=meta.issuers, doc_number=meta.doc_number, issue_date=meta.issue_date,
            validity=meta.validity, span=Span(source, paras[0].line_start, paras[-1].line_end, paras[0].page),
            provisions=provisions, revisions=meta.revisions, references=references, lineage=lineage,
            doc_class=meta.doc_class, region=meta.region, wrapper_title=meta.wrapper_title))
    if not documents:
        raise IngestError(str(path), None, "no document found in the text")
    return ParsedFile(source=source, format=raw.format, documents=tuple(documents),
                      warnings=tuple(warnings), sha256=_file_sha256(path))


SUPPORTED = {".txt", ".md", ".pdf", ".docx", ".html", ".htm"}


def discover(paths) -> list[Path]:
    """Files under the given paths that policygraph can read, sorted, hidden files skipped."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED
                                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            found.append(p)
    return found
