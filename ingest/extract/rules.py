"""Rule files of data/rules/ for the extract stage, loaded once per process."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from ingest.yamlrules import load_yaml

RULES_DIR = Path(__file__).resolve().parents[2] / "data" / "rules"


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The parsed ``data/rules/<name>.yaml``; raises ValueError naming the file when unusable."""
    path = RULES_DIR / f"{name}.yaml"
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ValueError(f"{path}: cannot load rules: {e}") from e
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top, got {type(data).__name__}")
    return data


def alternation(words) -> str:
    """A regex alternation of literal ``words``, longest first so the longest match wins.

    >>> alternation(["最高", "最高不超过"])
    '最高不超过|最高'
    """
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def trie_pattern(words) -> str:
    """A prefix-factored regex matching any of ``words``, preferring the longest (much faster
    than a flat alternation of hundreds of phrases in Python's ``re``).

    >>> import re
    >>> rx = re.compile(trie_pattern(["市科技局", "市科技", "市财政局"]))
    >>> [m.group() for m in rx.finditer("市科技局和市财政局、市科技")]
    ['市科技局', '市财政局', '市科技']
    """
    trie: dict = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return build(trie) or "(?!)"
