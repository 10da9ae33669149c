"""clean: a file's physical lines -> logical paragraphs (Paras) that map back to source lines.

Steps: tidy each line (clean_text.tidy_line: spurious spaces between CJK characters, zero-width
characters, markdown ``#``/``**`` markers; a leading ``- `` bullet is kept), drop page furniture
(clean_furniture, data/rules/furniture.yaml), join hard-wrapped lines (clean_joins,
data/rules/layout.yaml), then give each paragraph its matching form ``norm`` (clean_text.normalize).
Blank lines only separate; they never make a paragraph. A table row (a tab between cells) keeps its
tabs and is never joined. Every step is linear in the file (a 100,000-line paragraph included).

``norm`` has exactly the length of ``text`` (character-for-character), so offsets, and so
``line_map``, are shared. ``text`` keeps a space only between two non-CJK characters
(``Asahi Kasei``) or between two agency names (``青岛市科学技术局 青岛市财政局``); ``norm`` the same.
"""
from __future__ import annotations

from .clean_furniture import furniture_lines
from .clean_joins import Line, line, paragraphs
from .clean_rules import BARE_BULLET, WIDE_RX, rules, width
from .clean_text import normalize, tidy_line
from .model import Para, RawText, TextMap

__all__ = ["WIDE_RX", "clean", "furniture_lines", "normalize", "rules", "tidy_line", "width"]


def _para(group: list[Line]) -> Para:
    parts: list[str] = []
    line_map: list[tuple[int, int]] = []
    off = 0
    for ln in group:
        t = ln.text
        if parts and parts[-1][-1:].isascii() and parts[-1][-1:].isalpha() and t[:1].isascii() and t[:1].isalpha():
            t = " " + t  # an English word wrapped at a line end
        elif len(parts) == 1 and BARE_BULLET.fullmatch(parts[0]):
            t = " " + t  # "-" + "十一、…": the bullet's space went with the wrap
        line_map.append((off, ln.no))
        parts.append(t)
        off += len(t)
    text = "".join(parts)
    return Para(text, normalize(text), group[0].no, group[-1].no, group[0].page, tuple(line_map))


def clean(raw: RawText) -> TextMap:
    """Logical paragraphs of a file: furniture removed, hard wraps joined, ``norm`` added.

    >>> tm = clean(RawText("a.txt", "txt", ("第一条 为了促进科技创新，推动经济社会高质量发展，根据", "", "有关法律，制定本条例。",
    ...                                     "— 2 —", "第二条 适用。"), (None,) * 5))
    >>> [(p.text, p.line_start, p.line_end) for p in tm.paras]
    [('第一条为了促进科技创新，推动经济社会高质量发展，根据有关法律，制定本条例。', 1, 3), ('第二条适用。', 5, 5)]
    """
    r = rules()
    pages = raw.pages if len(raw.pages) == len(raw.lines) else (None,) * len(raw.lines)
    tidied = tuple(tidy_line(ln) for ln in raw.lines)
    furniture = furniture_lines(tidied, pages)
    lines = [line(i + 1, pages[i], raw_line, text, r)
             for i, (raw_line, text) in enumerate(zip(raw.lines, tidied)) if text and i not in furniture]
    paras = tuple(_para(g) for g in paragraphs(lines))
    warnings = []
    if furniture:
        warnings.append(f"{len(furniture)} line(s) of page furniture removed (first: line {min(furniture) + 1})")
    bad = [p.line_start for p in paras if "\ufffd" in p.text]
    if bad:
        warnings.append(f"replacement characters (U+FFFD, text lost by a converter) on {len(bad)} "
                        f"paragraph(s), first at line {bad[0]}")
    return TextMap(raw.source, raw.format, paras, tuple(warnings))
