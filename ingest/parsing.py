"""`policygraph parse`: files → the parse contract, no store involved."""
from __future__ import annotations

from pathlib import Path

from ingest.errors import IngestError
from ingest.contract import ParsedFileJSON, ParseResult
from ingest.model import FileFormat
from ingest.safety import Forked
from ingest.sources import id_base, targets

_FORMATS: dict[str, FileFormat] = {".txt": "txt", ".md": "md", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}


def _failed(path: str, error: str) -> ParsedFileJSON:
    return {"source": path, "format": _FORMATS.get(Path(path).suffix.lower(), "txt"),
            "documents": [], "warnings": [], "error": error}


def _parse_one(index: int, path: str, ocr: bool, key: str | None = None) -> ParsedFileJSON:
    try:
        from ingest.readers import read_file
        if Path(path).suffix.lower() == ".pdf":  # pdfium in two other processes, imports and tables here
            with Forked(read_file, Path(path), ocr=ocr, forks=2) as reading:
                from ingest.pipeline import warm
                warm()
                raw = reading.result()
        else:
            raw = read_file(Path(path), ocr=ocr)
        from ingest.pipeline import parse_file
        from ingest.serialize import parsed_file_to_dict
        return parsed_file_to_dict(parse_file(path, ocr=ocr, id_base=id_base(key) if key else None, raw=raw))
    except (IngestError, OSError) as e:
        return _failed(path, str(e))


def parse_files(paths, *, ocr: bool = False) -> ParseResult:
    """Parse each file, and the files under each folder (as ``ingest`` does, document ids from
    the path in the folder); a file that fails becomes an entry with ``error`` and no documents.

    Each file is parsed in a worker process under a deadline (ingest/safety.py): a file that
    hangs or crashes its parser is reported like any other bad file."""
    from ingest.safety import FILE_TIMEOUT_S, isolated
    jobs = [(i, str(p), ocr, key) for i, (p, key) in enumerate(targets(paths))]
    files: dict[int, ParsedFileJSON] = {}
    timeout = max(FILE_TIMEOUT_S, 3600.0) if ocr else FILE_TIMEOUT_S  # OCR: ~10 s a page
    for (i, path, _, _), ok, out in isolated(_parse_one, jobs, timeout=timeout):
        files[i] = out if ok else _failed(path, f"{path}: {out}")
    return {"files": [files[i] for i in range(len(jobs))]}
