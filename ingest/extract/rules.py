"""Rule files of data/rules/ for the extract stage (``load``: ingest.resources.rules, read once per
process) and the regexes built from their word lists."""
from __future__ import annotations

import re

from ..resources import rules as load  # noqa: F401  (the extract modules' name for a rule file)


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
