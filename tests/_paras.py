"""Paragraphs built straight from raw lines, for describe/segment tests that must not depend on
the real cleaner: one Para per non-blank line (traditional characters simplified in ``norm``
when asked, like the cleaner does)."""
from __future__ import annotations

from pathlib import Path

from ingest.model import Para


def paras_from_lines(lines, first_line: int = 1, simplify: bool = False) -> tuple[Para, ...]:
    """One Para per non-blank line; line numbers count from ``first_line``."""
    conv = None
    if simplify:
        import opencc
        conv = opencc.OpenCC("t2s")
    out = []
    for i, line in enumerate(lines, start=first_line):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        norm = conv.convert(text) if conv else text
        out.append(Para(text, norm, i, i, None, ((0, i),)))
    return tuple(out)


def paras_from_text(text: str, **kw) -> tuple[Para, ...]:
    return paras_from_lines(text.splitlines(), **kw)


def paras_from_file(path: Path, start: int = 1, end: int | None = None, **kw) -> tuple[Para, ...]:
    """Paras of lines start..end (1-based, inclusive) of a file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return paras_from_lines(lines[start - 1:end], first_line=start, **kw)


_FINAL = tuple("。；：！？）)”》")


def join_wrapped(lines) -> list[str]:
    """Lines with hard wraps undone the simple way (a line not ending a sentence continues on
    the next unless that one starts a label): a stand-in for the cleaner in law fixtures."""
    from ingest.patterns import match_label
    out: list[str] = []
    for line in (l.rstrip() for l in lines):
        if not line.strip():
            continue
        if out and not out[-1].endswith(_FINAL) and not match_label(line) and not line.lstrip().startswith(("(", "（")) and len(out[-1]) > 15:
            out[-1] += line.strip()
        else:
            out.append(line)
    return out
