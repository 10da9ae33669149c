"""describe: a document's metadata from its paragraphs (title, type, issuers, 文号, dates, validity).

The header of a Chinese policy document comes in a few shapes, all handled by locating its parts
rather than by position: an optional 红头 issuer line and 文号, a wrapper title
(X关于印发《Y》的通知) with addressees, a short notice and a 落款 (issuer lines + date),
a publication mark, then the inner policy's own title; or, for laws and 规章, the title followed
by a parenthesised history (…通过 …修订 …批准). Rules (document types, classes, organisation
suffixes) live in data/rules/doc_types.yaml.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache


from . import resources
from .dates import DATE_LINE, DATE_RX, parse_date
from .history import history_at, history_issuers, is_history, publication_date, version_events
from .meta_validity import own_validity
from .model import DocMeta, Para, Revision, Validity
from .patterns import TOC_LINE, match_label, strip_bullet

HEADER_MAX = 60  # paragraphs searched for a header before the first numbered provision
TITLE_WINDOW = 6  # a title without a 落款 above it is among the first few paragraphs

_BR_OPEN, _BR_CLOSE = "〔[(（［【", "〕])）］】"
DOCNO_RX = re.compile(rf"([\u4e00-\u9fff]{{1,12}}?)\s*[{re.escape(_BR_OPEN)}]\s*((?:19|20)\d{{2}})\s*"
                      rf"[{re.escape(_BR_CLOSE)}]\s*第?\s*(\d{{1,5}})\s*[号號]")
DECREE_RX = re.compile(r"([\u4e00-\u9fff]{2,24}?令)\s*[（(]?\s*第\s*(\d{1,5})\s*号")
_SPACE = re.compile(r"\s")  # a quick look first: the substitution's look-behind costs ~3x a plain scan
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff“”《》（）()])\s+(?=[\u4e00-\u9fff“”《》（）()])")
# Where a second organisation's name starts inside a run of names written without spaces.
_NAME_START = re.compile(r"(?:中共|中国|国家|[\u4e00-\u9fff]{2,4}?(?:省|市|县|自治区|自治州))"
                         r"(?!分行|支行|分局|监管局|监管分局|中心支行|营业管理部|分公司|分院)[\u4e00-\u9fff]{2,}")
_TRAILING_PAREN = re.compile(r"\s*[（(][^（）()]{0,20}[）)]\s*$")
_PLACE = re.compile(r"^(?:中共)?([\u4e00-\u9fff]{2,7}?(?:特别行政区|自治区|自治州|省|市|州|盟|县|旗|区))")
_NATIONAL = ("国务院", "全国人民代表大会", "国家", "中共中央", "中华人民共和国", "最高人民")


@lru_cache(maxsize=1)
def rules() -> dict:
    """The document-type rules from data/rules/doc_types.yaml (read once)."""
    return resources.rules("doc_types")


def compact(s: str) -> str:
    """``s`` without spaces between CJK characters and without markdown emphasis.

    >>> compact("第一章 总 则"), compact("**激发活力**")
    ('第一章总则', '激发活力')
    """
    if "**" not in s and not _SPACE.search(s):
        return s.strip()
    return _CJK_SPACE.sub("", s.replace("**", "")).strip()


def normalise_doc_number(s: str) -> str | None:
    """A 文号 in the canonical form 青政字〔2024〕20号 (any bracket style), or None.

    >>> normalise_doc_number("青政办字[2018] 73號"), normalise_doc_number("青科字（2024）27号")
    ('青政办字〔2018〕73号', '青科字〔2024〕27号')
    """
    m = DOCNO_RX.search(s)
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号" if m else None


def doc_type_of(title: str | None) -> str | None:
    """The document type from a title's ending (longest rule wins).

    >>> doc_type_of("青岛市科技创新贷款贴息管理办法（试行）"), doc_type_of("关于印发《X》的通知")
    ('办法', '通知')
    """
    if not title:
        return None
    t = title.strip().rstrip("》”\"")
    while _TRAILING_PAREN.search(t):
        t = _TRAILING_PAREN.sub("", t)
    ends = [e for e in rules()["doc_types"] if t.endswith(e)]
    return rules()["doc_types"][max(ends, key=len)] if ends else None


def split_orgs(line: str) -> list[str] | None:
    """The organisation names on a 落款 line, or None when the line is not only names.

    >>> split_orgs("青岛市科学技术局 青岛市财政局")
    ['青岛市科学技术局', '青岛市财政局']
    >>> split_orgs("中国证券监督 管理委员会青岛监管局")
    ['中国证券监督管理委员会青岛监管局']
    >>> split_orgs("各区、市人民政府：") is None
    True
    """
    line = line.replace("**", "").strip()
    if not line or len(line) > 80 or re.search(r"[。，、：:；;《》“”\d]", line) or DATE_RX.search(line):
        return None
    suffixes = tuple(rules()["org_suffixes"])
    out, buf = [], ""
    for part in line.split():
        buf += part
        if buf.endswith(suffixes):
            out.extend(_split_run(buf, suffixes))
            buf = ""
    if buf or not out or any(len(o) < 3 for o in out):
        return None
    return out


def _split_run(run: str, suffixes: tuple[str, ...]) -> list[str]:
    """青岛市科学技术局青岛市财政局 -> two names: cut after a suffix where a new name starts."""
    out, start = [], 0
    for i in range(3, len(run) - 3):
        if run[start:i].endswith(suffixes) and _NAME_START.match(run, i) and run[i:].endswith(suffixes):
            out.append(run[start:i])
            start = i
    return out + [run[start:]]


def _is_public_mark(s: str) -> bool:
    return len(s) <= 20 and any(m in s for m in rules()["public_marks"])


def _is_docno_line(s: str) -> bool:
    c = s.replace(" ", "")
    return bool(DOCNO_RX.fullmatch(c.strip("（()）")) or DECREE_RX.fullmatch(c))


def _is_label(s: str) -> bool:
    return match_label(strip_bullet(s)) is not None and not TOC_LINE.search(s)


def _title_like(s: str, strict: bool) -> bool:
    if not 3 <= len(s) <= 120 or re.search(r"[。；;！]$|[：:]$", s) or "。" in s:
        return False
    if _is_label(s) or DATE_LINE.match(s) or _is_public_mark(s) or _is_docno_line(s) or is_history(s):
        return False
    return doc_type_of(s) is not None if strict else len(s) <= 60


_REPORTED = re.compile(r"《[^》]{2,14}》(?:提出|明确|强调|指出|要求)")
BYLINE_MAX = 40  # a byline / photo credit is a short paragraph
REPORT_TOP = 12  # … among the first paragraphs


def report_types() -> frozenset[str]:
    """The doc_types of texts that report on a policy without being one (新闻报道, 政策解读)."""
    return frozenset(rules()["reports"]["types"].values())


def report_kind(norms: list[str], title: str | None, title_idx: int | None) -> str | None:
    """新闻报道 or 政策解读 when the text reports on / explains a policy, else None.

    Cues (data/rules/doc_types.yaml ``reports``): interpretation words in the title; a byline or
    photo credit near the top; a headline 《X》出台; reporting words and reported speech
    (《行动计划》提出). The caller never asks for a text with a 文号 or a 落款.

    >>> report_kind(["《X行动计划》出台", "□日报记者 张三", "日前，《X行动计划》出台。"], "《X行动计划》出台", 0)
    '新闻报道'
    >>> report_kind(["关于X的通知", "各区：", "现将有关事项通知如下。"], "关于X的通知", 0) is None
    True
    """
    r = rules()["reports"]
    if title and any(w in title for w in r["interpretation_title"]):
        return r["types"]["interpretation"]
    byline = any(len(s) <= BYLINE_MAX and any(w in s for w in r["byline"])
                 for i, s in enumerate(norms[:REPORT_TOP]) if i != title_idx)
    headline = bool(title and re.search(rf"》[”\"]?(?:{'|'.join(map(re.escape, r['headline_verbs']))})", title)
                    and doc_type_of(title) is None)
    text = "\n".join(norms)
    score = sum(w in text for w in r["cues"]) + 2 * headline + (len(_REPORTED.findall(text)) >= 2)
    return r["types"]["news"] if byline or score >= 3 else None


def _signature(norms: list[str], lo: int, hi: int) -> tuple[int, int, list[str], date | None] | None:
    """(first org para, date para, issuers, date) of the first 落款 block in [lo, hi)."""
    for d in range(lo, hi):
        s = norms[d]
        if not DATE_LINE.match(s):
            m = DATE_RX.search(s)  # "青岛市人民政府 2024年7月31日" on one line
            orgs = split_orgs(s[:m.start()]) if m and m.end() >= len(s) - 3 else None
            if orgs:
                return d, d, orgs, parse_date(s)
            continue
        k, orgs = d, []
        while k - 1 >= lo and (o := split_orgs(norms[k - 1])) is not None:
            k -= 1
            orgs = o + orgs
        if orgs:
            return k, d, orgs, parse_date(s)
    return None


def _title_prefix_orgs(title: str | None) -> list[str]:
    if not title or "关于" not in title:
        return []
    head = title.split("关于", 1)[0]
    orgs = split_orgs(head)
    if orgs:
        return orgs
    parts = [compact(x) for x in re.split(r"[、，,]", head)]  # 最高人民法院、最高人民检察院关于…
    return parts if all(x.endswith(tuple(rules()["org_suffixes"])) for x in parts) else []


def _decree(text: str):
    """The last 令 number in a history text: (issuer, number) or None (dates removed first)."""
    found = DECREE_RX.findall(re.sub(r"^.*?(?:根据|经)", "", DATE_RX.sub(" ", text)))
    return (re.sub(r"^(?:根据|经|由)", "", found[-1][0][:-1]), found[-1][1]) if found else None


def _decree_header(norms: list[str]):
    """(issuer, number) of a 政府令 header: 'X市人民政府令' + '第123号' (one or two lines)."""
    for i, t in enumerate(norms):
        both = t + (norms[i + 1] if i + 1 < len(norms) and t.endswith("令") else "")
        m = DECREE_RX.fullmatch(both.replace(" ", ""))
        if m:
            return m.group(1)[:-1], m.group(2)
    return None


def _region(issuers: list[str]) -> str | None:
    for name in issuers:
        if name.startswith(_NATIONAL):
            return "全国"
        m = _PLACE.match(name)
        if m and not m.group(1).startswith(("中国", "国家")):
            return m.group(1)
    return None


def _doc_class(doc_type, issuers, title, doc_number, revisions) -> str | None:
    history = " ".join(r.text for r in revisions)
    decree = bool((doc_number and "令" in doc_number) or DECREE_RX.search(history))
    for rule in rules()["doc_classes"]:
        if "doc_type" in rule and doc_type not in rule["doc_type"]:
            continue
        if "issuer_any" in rule and not any(k in i for i in issuers for k in rule["issuer_any"]):
            continue
        if "title_prefix" in rule and not (title or "").startswith(tuple(rule["title_prefix"])):
            continue
        if rule.get("decree") and not decree:
            continue
        if "history_any" in rule and not any(k in history for k in rule["history_any"]):
            continue
        if "approved_by" in rule and not any(r.kind == "批准" and r.by in rule["approved_by"] for r in revisions):
            continue
        if "doc_number_prefix" in rule and not (doc_number or "").startswith(tuple(rule["doc_number_prefix"])):
            continue
        return rule["class"]
    return None


def _title_above_history(norms: list[str], end: int) -> int | None:
    """The paragraph right above the first history block (题注) before ``end``, when it reads as a
    title: a law saved inside a web page's navigation or a decree's preamble still has its title
    there."""
    hist = next((i for i in range(1, end) if is_history(norms[i])), None)
    return hist - 1 if hist is not None and _title_like(norms[hist - 1], True) else None


def _display(paras, first: int | None, last: int | None, matched: str | None) -> str | None:
    """The original characters (``Para.text``) of the title found in paragraphs first..last: the
    norm form is for matching only (it turns 2024—2028 into 2024-2028). 《…》 around a whole
    title are dropped.

    >>> from ingest.model import Para
    >>> _display([Para("《X计划（2024—2028年）》", "《X计划（2024-2028年）》", 1, 1)], 0, 0, "x")
    'X计划（2024—2028年）'
    """
    if first is None or last is None or matched is None:
        return matched
    text = "".join(compact(p.text) for p in paras[first:last + 1])
    if len(text) != len("".join(compact(p.norm or p.text) for p in paras[first:last + 1])):
        return matched  # should not happen (norm keeps text's length); never show a wrong cut
    if text[:1] in "《〈" and text[-1:] in "》〉" and text.count(text[0]) == 1:
        text = text[1:-1]
    return text


def describe(paras: tuple[Para, ...], named: date | None = None) -> DocMeta:
    """Metadata of one document (see the module docstring for the header shapes handled);
    ``named``: the date of the file's name, this version's publication when the history agrees
    (ingest/history.publication_date)."""
    norms = [compact(p.norm or p.text) for p in paras]
    n, warnings = len(paras), []
    if not n:
        return DocMeta(title=None, warnings=("empty document",))
    first_label = next((i for i in range(min(n, HEADER_MAX)) if _is_label(norms[i])), min(n, HEADER_MAX))
    sig = _signature(norms, 0, first_label)
    title_idx = wrapper_idx = None
    issuers: list[str] = []
    issue_date = None
    if sig:
        k, d, issuers, issue_date = sig
        j = d + 1
        while j < first_label and (_is_public_mark(norms[j]) or _is_docno_line(norms[j]) or not norms[j]):
            j += 1
        if j < first_label and _title_like(norms[j], strict=False):
            title_idx = j
            wrapper_idx = next((i for i in range(k) if _title_like(norms[i], True) and doc_type_of(norms[i]) in
                                ("通知", "决定", "通告", "意见", "函", "批复")), None)
        else:
            title_idx = next((i for i in range(k) if _title_like(norms[i], True)), None)
    else:  # the title is near the top: within the first paragraphs that are not header furniture
        top = [i for i in range(first_label) if not (_is_docno_line(norms[i]) or split_orgs(norms[i])
                                                     or _is_public_mark(norms[i]))][:TITLE_WINDOW]
        title_idx = _title_above_history(norms, first_label)  # a law's title stands on its 题注
        if title_idx is None:
            title_idx = next((i for i in top if _title_like(norms[i], True)), None)
        if title_idx is None:
            title_idx = next((i for i in top[:2] if _title_like(norms[i], False)), None)
        m = re.search(r"(?:批准|印发|转发)《([^》]+)》", norms[title_idx]) if title_idx is not None else None
        inner = next((i for i in range(title_idx + 1, first_label) if m and norms[i] == m.group(1)), None) if m and title_idx is not None else None
        if inner is not None:
            wrapper_idx, title_idx = title_idx, inner
    # a title broken over two paragraphs: join while the join reads as a title and the first did not
    title = norms[title_idx] if title_idx is not None else None
    title_from = title_idx
    if title_idx is not None and title is not None and doc_type_of(title) is None and title_idx + 1 < first_label:
        joined = title + norms[title_idx + 1]
        if _title_like(joined, True):
            title, title_idx = joined, title_idx + 1
    if title and title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        title = title[1:-1]
    wrapper_title = norms[wrapper_idx] if wrapper_idx is not None else None
    # body: after the title and whatever header furniture follows it
    body_start = (title_idx + 1) if title_idx is not None else (sig[1] + 1 if sig else 0)
    entries: tuple[Revision, ...] = ()
    while body_start < n and body_start < first_label + 1:
        s = norms[body_start]
        used, found = history_at(paras, body_start, first_label + 1)
        if used:
            entries += found
            body_start += used
            continue
        if not (_is_docno_line(s) or _is_public_mark(s) or DATE_LINE.match(s) or not s
                  or (s.endswith(("：", ":")) and "。" not in s and len(s) < 150 and "如下" not in s)):
            break
        body_start += 1
    revisions, header_start = version_events(entries)
    header = range(0, min(body_start, n))
    doc_number = next((normalise_doc_number(norms[i]) for i in header if _is_docno_line(norms[i])
                       and DOCNO_RX.search(norms[i])), None)
    if doc_number is None:
        for t in (wrapper_title, title):
            m = re.search(rf"[{re.escape(_BR_OPEN)}]([^{re.escape(_BR_CLOSE)}]*[〔\[(（［]\d{{4}}[^号]*号)[{re.escape(_BR_CLOSE)}]$", t or "")
            if m:
                doc_number = normalise_doc_number(m.group(1))
    decree = [d for r in revisions if (d := _decree(r.text))]
    head_decree = _decree_header(norms[:title_idx or 0])
    if doc_number is None and head_decree:
        doc_number = f"{head_decree[0]}令第{head_decree[1]}号"
        issuers = issuers or [head_decree[0]]
        issue_date = issue_date or next((parse_date(norms[i]) for i in range(title_idx or 0)
                                         if DATE_LINE.match(norms[i])), None)
    if doc_number is None and decree:
        doc_number = f"{decree[-1][0]}令第{decree[-1][1]}号"
    tail = None
    if not sig and not revisions:  # a 落款 at the end of a bare policy
        tail = _signature(norms, max(body_start, n - 12), n)
        if tail:
            issuers, issue_date = tail[2], tail[3]
    published = (publication_date(named, revisions, header_start.date if header_start else None)
                 if issue_date is None else None)
    if published:
        last = revisions[-1]
        warnings.append(f"issue date {published.isoformat()} from the file name: published after the "
                        f"history's last entry ({last.date.isoformat()} {last.kind})")
    if issue_date is None and revisions:
        issue_date = published or revisions[-1].date
    if issue_date is None:  # a bare date line in the header (a web page's own date is not one)
        issue_date = next((parse_date(norms[i]) for i in header if DATE_LINE.match(norms[i])), None)
    if not issuers and revisions:
        issuers = history_issuers(revisions)
    if not (wrapper_title and "批准" in wrapper_title):
        known = "".join(issuers)
        issuers += [o for o in _title_prefix_orgs(wrapper_title or title) if o not in known]
    issuers = [re.sub(r"^中华人民共和国(?=国务院|主席)", "", compact(i).replace(" ", "")) for i in issuers]
    signed = bool(sig or doc_number or revisions or tail)  # a 落款 or 文号: a policy, never a report
    report = None if signed else report_kind(norms, title, title_idx)
    if report and title_idx is not None:  # a report's title is its headline, the first title-like line
        assert title_from is not None  # title_from is title_idx's first value, and title_idx only moves on from it
        head = next((i for i in range(min(title_from, TITLE_WINDOW)) if _title_like(norms[i], False)), None)
        if head is not None:
            title_from = title_idx = head
            title, body_start = norms[head], min(body_start, head + 1)
    if title is None:
        warnings.append("no title found")
    if issue_date is None and not report and named:  # the text states no date at all
        issue_date = named
        warnings.append(f"issue date {named.isoformat()} from the file name: the text states none")
    if issue_date is None and not report:
        warnings.append("no issue date found")
    # a report's 施行 sentence is the reported policy's, not its own
    validity = Validity() if report else own_validity(paras, norms, body_start, issue_date, revisions, warnings,
                                                            header_start, published)
    doc_type = report or doc_type_of(title)
    doc_class = None if report else _doc_class(doc_type, issuers, title, doc_number, revisions)
    title = _display(paras, title_from, title_idx, title)
    wrapper_title = _display(paras, wrapper_idx, wrapper_idx, wrapper_title)
    return DocMeta(title=title, doc_type=doc_type, doc_class=doc_class,
                   issuers=tuple(dict.fromkeys(issuers)), doc_number=doc_number, issue_date=issue_date,
                   validity=validity, revisions=revisions, region=_region(issuers),
                   wrapper_title=wrapper_title, body_start=min(body_start, n), warnings=tuple(warnings))
