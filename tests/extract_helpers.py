"""Shared builders for the extract tests (provisions built directly, no segmenter needed)."""
from __future__ import annotations

from ingest.extract import enrich
from ingest.model import DocMeta, Provision, Span

QINGDAO = DocMeta(title=None, region="青岛市")


def prov(text: str, line: int = 1, line_map=None, pid: str = "art_1") -> Provision:
    return Provision(pid, "article", "1.", None, text, Span("x", line, line), line_map=line_map or ((0, line),))


def run(text: str, meta: DocMeta | None = QINGDAO, **kw) -> Provision:
    return enrich(prov(text, **kw), meta)


def amounts(text: str) -> list[tuple]:
    """(value or ratio, kind) of every amount of ``text``."""
    return [(a.ratio if a.kind in ("ratio", "fraction") else a.value_yuan, a.kind) for a in run(text).amounts]
