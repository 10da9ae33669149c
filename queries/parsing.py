"""`policygraph parse`: files → the parse contract, no store involved."""
from __future__ import annotations

from pathlib import Path

from graph import iri
from ingest.errors import IngestError
from ingest.pipeline import discover, parse_file
from ingest.serialize import parsed_file_to_dict

_FORMATS = {".txt": "txt", ".md": "md", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}


def _failed(path: str, error: str) -> dict:
    return {"source": path, "format": _FORMATS.get(Path(path).suffix.lower(), "txt"),
            "documents": [], "warnings": [], "error": error}


def targets(paths) -> list[tuple[Path, str]]:
    """(file, source key) for every readable file under ``paths``; keys relative to each folder given.
    A key already taken in this run (通知.txt at the top of two folders given) gets the folder's
    name in front, else the file's full path: two files are never one key."""
    out: list[tuple[Path, str]] = []
    seen: set[str] = set()
    for p in map(Path, paths):
        found = [(f, iri.source_key(f, p)) for f in discover([p])] if p.is_dir() else [(p, iri.source_key(p))]
        for f, key in found:
            if key in seen:
                key = f"{p.resolve().name}/{key}" if p.is_dir() else str(f.resolve())
            if key in seen:
                key = str(f.resolve())
            seen.add(key)
            out.append((f, key))
    return out


def _parse_one(index: int, path: str, ocr: bool, key: str | None = None) -> dict:
    try:
        return parsed_file_to_dict(parse_file(path, ocr=ocr, id_base=iri.id_base(key) if key else None))
    except (IngestError, OSError) as e:
        return _failed(path, str(e))


def parse_files(paths, *, ocr: bool = False) -> dict:
    """Parse each file, and the files under each folder (as ``ingest`` does, document ids from
    the path in the folder); a file that fails becomes an entry with ``error`` and no documents.

    Each file is parsed in a worker process under a deadline (ingest/safety.py): a file that
    hangs or crashes its parser is reported like any other bad file."""
    from ingest.safety import FILE_TIMEOUT_S, isolated
    jobs = [(i, str(p), ocr, key) for i, (p, key) in enumerate(targets(paths))]
    files: dict[int, dict] = {}
    timeout = max(FILE_TIMEOUT_S, 3600.0) if ocr else FILE_TIMEOUT_S  # OCR: ~10 s a page
    for (i, path, _, _), ok, out in isolated(_parse_one, jobs, timeout=timeout):
        files[i] = out if ok else _failed(path, f"{path}: {out}")
    return {"files": [files[i] for i in range(len(jobs))]}


def print_tree(result: dict, console) -> None:
    """A readable outline: documents with their metadata, then the provision tree."""
    from rich.tree import Tree
    for f in result["files"]:
        if f.get("error"):
            console.print(f"[red]✗ {f['error']}[/red]", highlight=False, soft_wrap=True)
            continue
        root = Tree(f"[bold]{f['source']}[/bold] ({f['format']}, {len(f['documents'])} documents)")
        for d in f["documents"]:
            eff = d["effective"]
            node = root.add(f"[cyan]{d['title'] or '(无标题)'}[/cyan]  {d['doc_type'] or ''} "
                            f"{d['doc_number'] or ''} {d['issue_date'] or ''} "
                            f"施行 {eff['start'] or '?'}–{eff['end'] or ''}  L{d['line_start']}-{d['line_end']}")
            _add_provisions(node, d["provisions"])
        console.print(root)
        for w in f["warnings"]:
            console.print(f"[yellow]warning:[/yellow] {w}", highlight=False)


def _add_provisions(node, provisions) -> None:
    for p in provisions:
        head = p.get("heading") or p["text"][:40]
        extra = "".join(f" [green]{a['text']}[/green]" for a in p.get("amounts", ())[:3])
        child = node.add(f"{p['label'] or p['kind']} {head} [dim]L{p['line_start']}[/dim]{extra}")
        _add_provisions(child, p["children"])
