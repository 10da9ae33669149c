"""segment: a document body's paragraphs -> its provision tree.

The numbering styles a document uses (编/章/节/条 for laws; 一、/（一）/1./（1）/① for policies)
and their nesting are read from the document itself: a label continues the open level of its
style whose next number it is, a style not yet open starts a level below the current one, and a
restart (1. again while 1.–4. are open) opens a nested list. 专栏 boxes and 附件 keep their own
numbering; a box closes when a label continues the numbering outside it.

Kinds: law labels give part/chapter/section/article; an article's later paragraphs are its 款
(kind paragraph, 第二款 …); labels inside articles, boxes and attachments are items. In a policy,
a group of sibling labels is "section" when its members group further numbered measures under a
bare heading (000's 二、加快引领产业创新…), otherwise its members are the "article"s (the measures).

Text: containers (part/chapter/section) carry only their own text (heading line and any intro
paragraphs before their first child); every other provision carries its full text, children
included. Spans always cover the whole subtree. Ids are paths of kind prefix + number
(chp_2/art_12/para_2/item_3, sec_2/art_5, box_1, att_1, pre, sig), so they survive edits elsewhere.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, cast

from .dates import DATE_LINE
from .meta import compact, split_orgs, rules
from .model import Para, Provision, ProvisionKind, Span
from .patterns import ATT_HEADER, ATT_LIST, TOC_LINE, label_number, match_label, strip_bullet

LAW_RANK = {"part": 0, "chapter": 1, "section": 2, "law_article": 3}
LAW_KIND: dict[str, ProvisionKind] = {"part": "part", "chapter": "chapter", "section": "section", "law_article": "article"}
PREFIX = {"part": "part", "chapter": "chp", "section": "sec", "article": "art", "paragraph": "para",
          "item": "item", "box": "box", "attachment": "att", "preamble": "pre", "other": "oth"}
CN_ORD = "一二三四五六七八九十"
# words after 第X条 that make it a cross-reference, not a label: 第五条规定的…
_XREF = re.compile(r"^(?:规定|所|的|至|、|和|或|中|第|之规定|以及)")
_HEADING_MAX = 40


@dataclass
class _Node:
    style: str  # a patterns.LABELS kind, or root/para/box/attachment/attlist/preamble/sig
    label: str | None = None
    number: int | None = None
    rest: str = ""  # the label line after its label
    paras: list[int] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    parent: "_Node | None" = None
    att_num: str | None = None  # an attachment's number as written: 1, 1-2

    @property
    def long(self) -> bool:  # the label line carries sentences, not just a heading
        return "。" in self.rest.rstrip("。") or len(self.rest) > 30

    def add(self, child: "_Node") -> "_Node":
        child.parent = self
        self.children.append(child)
        return child


def _label(norm: str, next_article: int = 1) -> tuple[str, str, int | None, str] | None:
    """(style, label, number, rest) of a paragraph (matching form) that starts a numbered unit.
    A 第X条 followed by words of a cross-reference (第五条规定的…) is one, unless X is the next
    article's number (第六条 规定本市特别重大事项的…, 第八条 中国（山东）自由贸易试验区…)."""
    line = strip_bullet(compact(norm))
    hit = match_label(line)
    if not hit or TOC_LINE.search(line) or hit[0] == "attachment":
        return None
    style, label, end = hit
    rest = line[end:].strip()
    if "\t" in norm.strip(" \r\n") and not (style == "law_article" and "。" in rest):
        return None  # a table row (an article's sentences may hold a stray tab: 第十八条\t…报告；\t也可以…)
    if style == "law_article" and _XREF.match(rest) and label_number(label) != next_article:
        return None  # a cross-reference such as 第五条规定的
    if style != "box" and not rest:
        return None  # a bare number is a page number or table cell
    return style, label, label_number(label), rest


def _signature_start(norms: list[str]) -> int:
    """Index where a trailing 落款/版记 block (issuer lines, dates, 印发, 抄送) begins."""
    i = len(norms)
    seen = False
    while i > 0:
        s = norms[i - 1]
        if DATE_LINE.match(s) or split_orgs(s) is not None:
            seen = True
        elif not (s.startswith(("抄送", "主送")) or any(m in s for m in rules()["public_marks"])):
            break
        i -= 1
    return i if seen else len(norms)


def _place(stack: list[_Node], style: str, number: int | None, node: _Node) -> None:
    """Close what the new label ends and push it where its numbering says it belongs."""
    floor = max((k for k, n in enumerate(stack) if n.style in ("attachment", "attlist")), default=0)
    if style in LAW_RANK:
        while len(stack) > floor + 1 and not (stack[-1].style in LAW_RANK and LAW_RANK[stack[-1].style] < LAW_RANK[style]) \
                and stack[-1].style not in ("box",):
            stack.pop()
        while len(stack) > floor + 1 and stack[-1].style == "box":
            stack.pop()
            while len(stack) > floor + 1 and not (stack[-1].style in LAW_RANK and LAW_RANK[stack[-1].style] < LAW_RANK[style]):
                stack.pop()
    else:
        cands = [k for k in range(floor + 1, len(stack)) if stack[k].style == style]
        target = None
        if cands:
            hits = [k for k in cands if number is not None and (sn := stack[k].number) is not None and number == sn + 1]
            if len(hits) == 1:
                target = hits[0]
            elif hits:  # both an outer and an inner list expect this number: the one of its shape
                same = [k for k in hits if stack[k].long == node.long]
                target = same[-1] if same else hits[0]
            elif number != 1:
                target = cands[-1]  # a gap or repeated number: stay in the nearest list
        if target is not None:
            del stack[target:]
    stack.append(stack[-1].add(node))


def _build(paras: tuple[Para, ...]) -> _Node:
    norms = [compact(p.norm or p.text) for p in paras]
    sig_at = _signature_start(norms)
    has_att_header = [False] * (len(norms) + 1)
    for i in range(len(norms) - 1, -1, -1):
        has_att_header[i] = has_att_header[i + 1] or bool(ATT_HEADER.match(norms[i]))
    root = _Node("root")
    stack = [root]
    next_article = 1
    for i, s in enumerate(norms):
        if i >= sig_at:
            if stack[-1].style != "sig":
                del stack[1:]
                stack.append(root.add(_Node("sig")))
            stack[-1].paras.append(i)
            continue
        line = strip_bullet(s)
        if ATT_HEADER.match(line) or (ATT_LIST.match(line) and not has_att_header[i + 1]):
            del stack[1:]
            stack.append(root.add(_attachment(line, norms[i + 1] if i + 1 < len(norms) else "", i)))
            continue
        if ATT_LIST.match(line):
            del stack[1:]
            stack.append(root.add(_Node("attlist", label="附件", paras=[i])))
            continue
        if stack[-1].style == "attlist":
            stack[-1].paras.append(i)
            continue
        hit = _label(paras[i].norm or paras[i].text, next_article)
        if hit is None:
            _unlabelled(stack, i)
            continue
        style, label, number, rest = hit
        if style == "law_article" and number is not None:
            next_article = number + 1
        node = _Node(style, label, number, rest, [i])
        if style == "box":
            while any(n.style == "box" for n in stack[1:]):
                stack.pop()
            stack.append(stack[-1].add(node))
        else:
            _place(stack, style, number, node)
    return root


def _attachment(line: str, next_line: str, i: int) -> _Node:
    """An attachment node; its heading is the text after 附件N： or else the title line below."""
    m = re.match(r"^\s*附\s*件\s*([0-9]+(?:\s*[-－—]\s*[0-9]+)*)?\s*[:：]?\s*(.*)$", line)
    num = re.sub(r"\s*[-－—]\s*", "-", m.group(1)) if m and m.group(1) else None
    title = (m.group(2) if m else "") or (next_line if next_line and len(next_line) <= 60 and "。" not in next_line
                                          and not ATT_HEADER.match(next_line) else "")
    node = _Node("attachment", label=f"附件{num or ''}", number=None, rest=title.strip(), paras=[i])
    node.att_num = num
    return node


def _unlabelled(stack: list[_Node], i: int) -> None:
    """An unnumbered paragraph: a law article's next 款, else more text of the open unit."""
    art = next((k for k in range(len(stack) - 1, 0, -1) if stack[k].style == "law_article"), None)
    inner = any(n.style in ("box", "attachment") for n in stack[(art or 0) + 1:])
    if art is not None and not inner:
        del stack[art + 1:]
        article = stack[art]
        count = 1 + sum(1 for c in article.children if c.style == "para")
        stack.append(article.add(_Node("para", label=f"第{_cn(count + 1)}款", number=count + 1, paras=[i])))
    elif len(stack) == 1:
        pre = stack[0].children[0] if stack[0].children and stack[0].children[0].style == "preamble" else None
        if pre is None or len(stack[0].children) > 1:
            pre = stack[0].add(_Node("preamble"))
        pre.paras.append(i)
    else:
        stack[-1].paras.append(i)


def _cn(n: int) -> str:
    if n <= 10:
        return CN_ORD[n - 1]
    return (CN_ORD[n // 10 - 1] if n >= 20 else "") + "十" + (CN_ORD[n % 10 - 1] if n % 10 else "")


def _heading(node: _Node, kind: str) -> str | None:
    rest = node.rest.replace("**", "").strip()
    if kind in ("part", "chapter", "section", "box") or node.style == "attachment":
        return rest.strip("。") or None
    if node.style == "law_article" or kind == "paragraph":
        m = re.match(r"^[【\[]([^】\]]{1,20})[】\]]", rest)
        return m.group(1) if m else None
    m = re.match(r"^([^。；;，,：:！]{2,%d})。" % _HEADING_MAX, rest)
    if m and (len(rest) > m.end() or node.children or len(node.paras) > 1):
        return m.group(1)
    if rest and not re.search(r"[。；;，,：:]", rest) and len(rest) <= _HEADING_MAX and (
            (node.style in ("cn_top", "cn_paren") and kind != "item") or node.children or len(node.paras) > 1):
        return rest
    return None


def _kinds(node: _Node, inside: bool) -> list[ProvisionKind]:
    """Kinds of a node's children; ``inside`` is True within an article, item, box or attachment."""
    fixed: dict[str, ProvisionKind] = {"para": "paragraph", "box": "box", "attachment": "attachment", "attlist": "other",
             "preamble": "preamble", "sig": "other"}
    policy = [c for c in node.children if c.style not in fixed and c.style not in LAW_RANK]
    grouping = any(
        any(g.style not in fixed and g.style not in LAW_RANK for g in c.children)
        and len(c.paras) == 1 and not c.long for c in policy)
    out: list[ProvisionKind] = []
    for c in node.children:
        if c.style in fixed:
            out.append(fixed[c.style])
        elif c.style in LAW_RANK:
            out.append(LAW_KIND[c.style] if not (inside and c.style != "law_article" and node.style != "attachment") else "item")
        else:
            out.append("item" if inside else ("section" if grouping else "article"))
    return out


def _freeze(node: _Node, kind: ProvisionKind | Literal["root"], path: str, paras: tuple[Para, ...], source: str,
            inside: bool) -> tuple[Provision, set[int]]:
    """The node as a Provision, and the paragraphs it and its descendants hold."""
    inside_children = inside or kind in ("article", "item", "paragraph", "box", "attachment")
    kinds = _kinds(node, inside_children)
    children: list[Provision] = []
    below: set[int] = set()
    used: set[str] = set()
    for c, k in zip(node.children, kinds):
        if c.style == "sig":
            key = "sig"
        elif c.style == "attlist":
            key = "att_list"
        elif k == "preamble":
            key = "pre"
        else:
            num = (c.att_num if c.style == "attachment" and c.att_num else
                   c.number if c.number is not None else 1 + sum(1 for u in used if re.match(rf"{PREFIX[k]}_\d", u)))
            key = f"{PREFIX[k]}_{num}"
        base, n = key, 2
        while key in used:
            key, n = f"{base}_{n}", n + 1
        used.add(key)
        child, held = _freeze(c, k, f"{path}/{key}" if path else key, paras, source, inside_children)
        children.append(child)
        below |= held
    own = sorted(node.paras)
    below.update(own)
    every = sorted(below)
    shown = own if kind in ("part", "chapter", "section") else every
    text, line_map = _join([paras[i] for i in shown])
    span_paras = [paras[i] for i in (every or own)]
    return Provision(id=path, kind=cast(ProvisionKind, kind), label=node.label if node.style not in ("preamble", "sig") else None,
                     heading=_heading(node, kind), text=text,
                     span=Span(source, span_paras[0].line_start, span_paras[-1].line_end, span_paras[0].page),
                     children=tuple(children), line_map=line_map), below


def _join(ps: list[Para]):
    """Paragraph texts joined by newlines, with their line maps shifted to the joined offsets."""
    parts, line_map, off = [], [], 0
    for p in ps:
        for o, line in (p.line_map or ((0, p.line_start),)):
            line_map.append((off + o, line))
        parts.append(p.text)
        off += len(p.text) + 1
    return "\n".join(parts), tuple(line_map)


def segment(paras: tuple[Para, ...], source: str) -> tuple[Provision, ...]:
    """The provision tree of a document body (see the module docstring).

    >>> from ingest.model import Para
    >>> ps = tuple(Para(t, t, i, i) for i, t in enumerate(["第一章 总则", "第一条 为了规范。", "第二条 本办法自2024年1月1日起施行。"], 1))
    >>> [(p.id, p.kind, p.heading) for p in segment(ps, "x.txt")[0].walk()]
    [('chp_1', 'chapter', '总则'), ('chp_1/art_1', 'article', None), ('chp_1/art_2', 'article', None)]
    """
    if not paras:
        return ()
    root = _build(paras)
    return _freeze(root, "root", "", paras, source, False)[0].children


_ARTICLE_LABEL = re.compile(r"^第.+条(之.+)?$")
MAX_NUMBERING_WARNINGS = 5


def numbering_warnings(provisions: tuple[Provision, ...]) -> list[str]:
    """Defects of a law's 第X条 numbering, which runs 1..N with 第X条之一 after 第X条: gaps,
    repeats and numbers out of order, each with its source line (attachments keep their own).

    >>> from ingest.model import Span
    >>> arts = [Provision(f"art_{n}", "article", f"第{c}条", None, "", Span("x", n, n)) for n, c in ((1, "一"), (2, "二"), (4, "四"))]
    >>> numbering_warnings(tuple(arts))
    ['article numbering: 第四条 at line 4 follows 第二条 (第3条 missing)']
    """
    out, last, last_label = [], 0, None

    def arts(ps):
        for p in ps:
            if p.kind == "attachment":
                continue
            if p.kind == "article" and p.label and _ARTICLE_LABEL.match(p.label):
                yield p
            yield from arts(p.children)
    for p in arts(provisions):
        n = label_number(p.label)
        if n is None:
            continue
        sub = "之" in p.label
        where = f"{p.label} at line {p.span.line_start}"
        if (sub and n == last) or (not sub and n == last + 1):
            pass
        elif not sub and n == last:
            out.append(f"article numbering: {where} repeats {last_label}")
        elif not sub and n > last + 1:
            gap = f"第{last + 1}条" + (f"–第{n - 1}条" if n - 1 > last + 1 else "")
            out.append(f"article numbering: {where} follows {last_label or 'the start'} ({gap} missing)")
        else:
            out.append(f"article numbering: {where} follows {last_label} (out of order)")
        last, last_label = n, p.label
    if len(out) > MAX_NUMBERING_WARNINGS:
        out = out[:MAX_NUMBERING_WARNINGS] + [f"article numbering: {len(out) - MAX_NUMBERING_WARNINGS} more defects"]
    return out
