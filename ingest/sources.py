"""The files a run reads and their identities: which files under the paths given policygraph can
read, each file's source key (its path in the folder given: its identity in the store) and the
stem of its document ids. Plain path functions, shared by ``parse`` and ``ingest``.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath

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


def source_key(path: str | Path, root: str | Path | None = None) -> str:
    """A file's identity in the store: its path relative to the ingested folder (POSIX form).

    >>> source_key("/data/corpus/a/x.txt", "/data/corpus")
    'a/x.txt'
    >>> source_key("/data/corpus/x.txt")
    'x.txt'
    """
    p = Path(path)
    if root is not None:
        try:
            return PurePosixPath(p.resolve().relative_to(Path(root).resolve())).as_posix()
        except ValueError:
            pass
    return p.name


def id_base(key: str) -> str:
    """The stem of a file's document ids: its source key without the extension.

    >>> id_base("a/通知.txt"), id_base("职业病防治法(2018-12-29).md")
    ('a/通知', '职业病防治法(2018-12-29)')
    """
    p = PurePosixPath(key)
    return (p.parent / p.stem).as_posix() if p.parent != PurePosixPath(".") else p.stem


def targets(paths) -> list[tuple[Path, str]]:
    """(file, source key) for every readable file under ``paths``; keys relative to each folder given.
    A key already taken in this run (通知.txt at the top of two folders given) gets the folder's
    name in front, else the file's full path: two files are never one key."""
    out: list[tuple[Path, str]] = []
    seen: set[str] = set()
    for p in map(Path, paths):
        found = [(f, source_key(f, p)) for f in discover([p])] if p.is_dir() else [(p, source_key(p))]
        for f, key in found:
            if key in seen:
                key = f"{p.resolve().name}/{key}" if p.is_dir() else str(f.resolve())
            if key in seen:
                key = str(f.resolve())
            seen.add(key)
            out.append((f, key))
    return out
