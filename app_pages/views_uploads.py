"""The app's store on first start and its uploads: ingest the bundled corpus with progress, save an
upload under a generated name inside the store, ingest it, list what came from uploads.

Nothing here knows Streamlit; app.py renders what these return.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from graph.store_base import is_remote
from queries.catalog import Catalog

from .views import USER_ERRORS

if TYPE_CHECKING:  # graph.ingesting loads the whole parsing pipeline: imported where ingest runs
    from graph.ingesting import IngestSummary

UPLOAD_TYPES = ("pdf", "docx", "txt", "md", "html", "htm")
MAX_UPLOAD_BYTES = 20 << 20
UPLOAD_DIR = "uploads"  # inside the store directory (never a user-given path)


# ---- the store on first start --------------------------------------------------------------------

def store_ready(store: str) -> bool:
    """True when ``store`` is a remote endpoint or an embedded store holding source graphs."""
    if is_remote(store):
        return True
    from graph.store import open_store
    if not (Path(store) / "CURRENT").exists():
        return False
    st = open_store(store, read_only=True)
    try:
        return bool(st.graphs())
    finally:
        st.close()


def ingest_corpus(store: str, corpus, on_file=None) -> IngestSummary:
    """Ingest every file of ``corpus`` into ``store`` one file at a time (so a caller can show
    progress: ``on_file(done, total, name)``); keys as ``policygraph ingest corpus`` gives them."""
    from graph.ingesting import ingest_paths, targets
    jobs = targets([corpus])
    total: IngestSummary = {"files": 0, "documents": 0, "provisions": 0, "triples": 0, "errors": []}
    for i, (f, key) in enumerate(jobs):
        if on_file:
            on_file(i, len(jobs), f.name)
        if key != f.name:  # nested folder: keys are relative paths, ingest the folder as a whole
            return ingest_paths([corpus], store)
        s = ingest_paths([f], store)
        total["files"] = total.get("files", 0) + s.get("files", 0)
        for k in ("documents", "provisions", "triples"):
            total[k] += s[k]
        total["errors"] += s["errors"]
    if on_file:
        on_file(len(jobs), len(jobs), "")
    return total


# ---- uploads -------------------------------------------------------------------------------------

def upload_dir(store: str) -> Path:
    """Where uploads are kept: inside an embedded store's directory, else a temporary folder."""
    if is_remote(store):
        import tempfile
        return Path(tempfile.gettempdir()) / "policygraph-uploads"
    return Path(store) / UPLOAD_DIR


def save_upload(data: bytes, filename: str, store: str, max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
    """Write an uploaded file under ``<store>/uploads/<sha256 prefix>.<ext>`` (the user's name is
    only kept as a note in a side file); ValueError for an empty, too big or unsupported file.

    >>> import tempfile; d = tempfile.mkdtemp()
    >>> save_upload(b"x", "../../etc/passwd.txt", d).name
    '2d711642b726b044.txt'
    """
    ext = Path(filename).suffix.lower().lstrip(".")
    if ext not in UPLOAD_TYPES:
        raise ValueError(f"{filename}: file type .{ext or '?'} not supported (allowed: {', '.join(UPLOAD_TYPES)})")
    if not data:
        raise ValueError(f"{filename}: the file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise ValueError(f"{filename}: {len(data) / 2**20:.1f} MB is over the {max_bytes / 2**20:.0f} MB limit")
    folder = upload_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
    path.write_bytes(data)
    path.with_suffix(".name.json").write_text(json.dumps({"name": filename}, ensure_ascii=False), encoding="utf-8")
    return path


def uploaded_names(store: str) -> dict[str, str]:
    """Generated upload file stem → the name the user gave it."""
    out = {}
    for f in upload_dir(store).glob("*.name.json"):
        try:
            out[f.name.removesuffix(".name.json")] = json.loads(f.read_text(encoding="utf-8"))["name"]
        except (OSError, ValueError, KeyError):
            continue
    return out


def uploaded_documents(catalog: Catalog, store: str) -> list[dict]:
    """Rows for the documents that came from uploads: the user's file name, title, id, provisions."""
    names = uploaded_names(store)
    return [{"file": names[Path(d.span.source).stem], "title": d.title, "id": d.id,
             "provisions": sum(1 for _ in d.walk())} for d in catalog.documents if Path(d.span.source).stem in names]


def discard_upload(path: Path) -> None:
    """Remove a saved upload that could not be ingested (and its name note)."""
    for f in (path, path.with_suffix(".name.json")):
        f.unlink(missing_ok=True)


def ingest_uploads(files: list[tuple[str, bytes]], store: str, on_file=None) -> list[tuple[str, dict]]:
    """Save and ingest each (name, bytes) upload, one at a time (``on_file(done, total, name)``
    before each): (name, summary) in order, a refused or failed file's message under ``errors``."""
    report = []
    for i, (name, data) in enumerate(files):
        if on_file:
            on_file(i, len(files), name)
        try:
            report.append((name, ingest_upload(store, save_upload(data, name, store), name)))
        except USER_ERRORS as e:
            report.append((name, {"errors": [str(e)]}))
    return report


def ingest_upload(store: str, path: Path, shown_name: str) -> dict:
    """Ingest one saved upload; errors name the user's file, never the generated path."""
    from graph.ingesting import ingest_paths
    try:
        s = ingest_paths([path], store)
    except USER_ERRORS:
        discard_upload(path)
        raise
    errors = [str(e["error"]).replace(str(path), shown_name) for e in s["errors"]]
    if not errors and s["documents"] == 0:
        errors = [f"{shown_name}: no document found"]
    if errors:
        discard_upload(path)
    return {"documents": s["documents"], "provisions": s["provisions"], "errors": errors}
