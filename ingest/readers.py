"""Read a file into :class:`RawText`: its physical lines, each with its page.

Dispatch by extension: TXT/MD in ``readers_text``, PDF in ``readers_pdf``, DOCX and HTML in
``readers_markup`` (imported when first needed: a text-only run never loads the PDF libraries).
Every unusable input raises :class:`IngestError` naming the file, the place and the problem —
never a bare exception.
"""
from __future__ import annotations

from pathlib import Path

from .errors import IngestError
from .model import RawText
from .readers_text import read_text


def read_file(path: Path, *, ocr: bool = False, forks: int = 1) -> RawText:
    """Read a .txt/.md/.pdf/.docx/.html file; IngestError names the file and what is wrong.
    ``forks``: processes a long PDF's pages may be read in (ingest/readers_pdf.py)."""
    path = Path(path)
    source = str(path)
    ext = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as e:
        raise IngestError(source, None, f"cannot read file: {e.strerror or e}") from None
    if not path.is_file():
        raise IngestError(source, None, "not a regular file")
    if ext not in (".txt", ".md", ".pdf", ".docx", ".html", ".htm"):
        hint = " (save it as .docx)" if ext in (".doc", ".wps") else ""
        raise IngestError(source, None, f"unsupported file type {ext or '(no extension)'!r}{hint}")
    if size == 0:
        raise IngestError(source, None, "empty file")
    try:
        if ext in (".txt", ".md"):
            return read_text(path, "md" if ext == ".md" else "txt")
        if ext == ".pdf":
            from .readers_pdf import read_pdf
            return read_pdf(path, ocr=ocr, forks=forks)
        from .readers_markup import read_docx, read_html
        return read_docx(path) if ext == ".docx" else read_html(path)
    except IngestError:
        raise
    except OSError as e:
        raise IngestError(source, None, f"cannot read file: {e.strerror or e}") from None
    except MemoryError:
        raise IngestError(source, None, "file too large to read") from None
    except Exception as e:  # a parser library choking on hostile bytes must not stop the batch
        raise IngestError(source, None, f"unreadable {ext[1:].upper()} ({type(e).__name__}: {e})") from e
