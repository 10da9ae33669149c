"""The history block (题注) of a law, regulation, rule or judicial interpretation → its events.

One entry per date: ``<date> <body> <meeting> <event>`` (…第二十八次会议通过, …国务院令第265号发布,
…《关于修改〈…〉的决定》第二次修正, …批准, 自…起施行), written in one parenthesised paragraph or one
line each. Entries are cut at their dates; a connector before a date (根据, 并经, 自) belongs to the
entry that follows. Words and shapes live in data/rules/history.yaml.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from . import resources
from .dates import DATE_RX, parse_date
from .model import Para, Revision
from .patterns import match_label

_BOOK = re.compile(r"《[^《》]*(?:《[^《》]*》[^《》]*)*》")  # 《…〈…〉…》, one level of 《》 nesting too
_START = re.compile(rf"^\s*[（(]?\s*(?:根据|经)?\s*{DATE_RX.pattern}")
_ENTRY_TAIL = re.compile(r"[\s　,，、;；。:：)）(（]+$")


@lru_cache(maxsize=1)
def rules() -> dict:
    """data/rules/history.yaml, with its regexes compiled (read once)."""
    r = dict(resources.rules("history"))
    r["noise_rx"] = [re.compile(p) for p in r["body_noise"]]
    r["connector_rx"] = re.compile("(?:" + "|".join(map(re.escape, r["connectors"])) + r")[\s　]*$")
    r["event_rx"] = re.compile("(?:" + "|".join(map(re.escape, r["events"])) + ")")
    return r


def _kind(segment: str) -> str | None:
    """The strongest event word an entry names outside 《…》 (data/rules/history.yaml ``events``),
    else inside (a typo: 《…的决定修正》)."""
    for text in (_BOOK.sub("", segment), segment):
        found = next((k for k in rules()["events"] if k in text), None)
        if found:
            return found
    return None


def _ends_with_event(segment: str) -> bool:
    """Whether an entry ends with an event word (…通过, …第二次修正, …起施行), also before the
    name it was adopted under (…通过《浙江省实行九年制义务教育条例》) or inside a mistyped
    《…的决定修正》."""
    bare = _ENTRY_TAIL.sub("", rules()["connector_rx"].sub("", _ENTRY_TAIL.sub("", segment)))
    for form in (bare, re.sub(r"《[^《》]*》$", "", bare), bare.rstrip("》")):
        form = re.sub(r"第[一二三四五六七八九十\d]+次$", "", form)
        if any(form.endswith(k) for k in rules()["events"]) or form.endswith(("起施行", "起实施")):
            return True
    return False


def starts_with_date(s: str) -> bool:
    """Whether a paragraph opens as a history entry does (a date, after （ or 根据): a quick look."""
    return bool(_START.match(s))


def is_history(s: str) -> bool:
    """Whether a paragraph is a history block: it starts with a date (after （ or 根据), has no
    sentence outside 《…》 and some entry ends with an event word.

    >>> is_history("（2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过）")
    True
    >>> is_history("2019年3月1日 施行"), is_history("2024年7月1日起，对新认定的企业给予奖励。")
    (True, False)
    """
    if not _START.match(s) or len(s) > 1500:
        return False
    bare = _BOOK.sub("", s).rstrip(" 　)）").rstrip("。")
    if "。" in bare:
        return False
    return any(_ends_with_event(seg) for _, seg in _segments(s))


def _segments(text: str) -> list[tuple[re.Match, str]]:
    """(date match, the entry's text after its date) for each date outside 《…》."""
    books = [m.span() for m in _BOOK.finditer(text)]
    dates = [m for m in DATE_RX.finditer(text) if not any(a <= m.start() < b for a, b in books)]
    return [(m, text[m.end():dates[i + 1].start() if i + 1 < len(dates) else len(text)])
            for i, m in enumerate(dates)]


def adopting_body(segment: str) -> str | None:
    """The body an entry names: 第九届全国人民代表大会常务委员会第二十八次会议通过 → 全国人民代表大会常务委员会;
    for an entry naming a decision by its issuer (《国务院关于修改〈…〉的决定》修订, …批准的《X市人民代表大会
    常务委员会关于修改…的决定》修正), the decision's issuer.

    >>> adopting_body("中华人民共和国国务院令第265号发布"), adopting_body("最高人民法院审判委员会第1823次会议通过")
    ('国务院', '最高人民法院')
    >>> adopting_body("《国务院关于修改部分行政法规的决定》第一次修订")
    '国务院'
    """
    r = rules()
    text = re.sub(r"[\s　]", "", r["connector_rx"].sub("", segment))
    text = re.sub(r"^(?:根据|经|由|起)", "", text)
    book = _BOOK.search(text)
    if book:  # 《国务院关于修改…的决定》 / …批准的《X市人民代表大会常务委员会关于修改…的决定》修正
        issuer = book.group(0)[1:].split("关于", 1)[0]
        if 2 <= len(issuer) <= 40 and issuer.endswith(tuple(r["body_suffixes"])):
            return issuer
    head = text[:book.start()] if book else text
    m = r["event_rx"].search(head)
    head = head[:m.start()] if m else head
    for rx in r["noise_rx"]:
        head = rx.sub("", head)
    for inner in r["inner_committees"]:
        head = head.replace(inner, "") if not head.endswith(("人民代表大会" + inner,)) else head
    head = re.sub(r"(?:的|和|、|，|,)+$", "", head)
    return head if 2 <= len(head) <= 40 and head.endswith(tuple(r["body_suffixes"])) else None


def parse_history(text: str, line_of: Callable[[int], int] | None = None) -> tuple[Revision, ...]:
    """The entries of a history block in text order, 施行 entries included; an entry without an
    event word (the first of two bodies adopting one text: …审判委员会第1882次会议、2023年7月27日
    …检察委员会第十次会议通过) takes the event of the next entry that has one. ``line_of``: the
    source line of an offset of ``text``.

    >>> [(r.kind, r.date.isoformat(), r.by) for r in parse_history(
    ...     "（2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过　根据2012年2月29日第十一届"
    ...     "全国人民代表大会常务委员会第二十五次会议《关于修改〈中华人民共和国清洁生产促进法〉的决定》修正）")]
    [('通过', '2002-06-29', '全国人民代表大会常务委员会'), ('修正', '2012-02-29', '全国人民代表大会常务委员会')]
    """
    found = []
    for m, seg in _segments(text):
        when = parse_date(m.group(0))
        if when is None:
            continue
        entry = (m.group(0) + _ENTRY_TAIL.sub("", rules()["connector_rx"].sub("", _ENTRY_TAIL.sub("", seg))))
        found.append([_kind(seg), when, entry, adopting_body(seg), line_of(m.start()) if line_of else None])
    nxt = None
    for f in reversed(found):
        f[0] = f[0] or nxt
        nxt = f[0]
    return tuple(Revision(kind=k, date=d, text=t, by=b, line=ln) for k, d, t, b, ln in found if k)


MAX_PARTS = 4  # paragraphs one entry may be broken into (a line break inside 《关于修改〈…〉的决定》)


def history_at(paras: tuple[Para, ...], i: int, stop: int) -> tuple[int, tuple[Revision, ...]]:
    """(paragraphs used, entries) of the history block starting at paragraph ``i`` (before
    ``stop``), or (0, ()) when none starts there. An entry broken over paragraphs (…《关于修改〈X县 /
    乡两级…〉的决定》第一次修正; 2017年7月28日 山东省 / 第十二届…修正) is joined first."""
    text = paras[i].norm or paras[i].text
    if not _START.match(text):
        return 0, ()
    parts, k = [(0, paras[i])], 1
    while not _complete(text) and i + k < stop and k < MAX_PARTS:
        nxt = paras[i + k].norm or paras[i + k].text
        if _START.match(nxt) or match_label(nxt):
            break
        parts.append((len(text), paras[i + k]))
        text, k = text + nxt, k + 1
    if not is_history(text):
        return 0, ()

    def line_of(offset: int) -> int:
        start, p = next((o, p) for o, p in reversed(parts) if o <= offset)
        return p.line_of(offset - start)
    return k, parse_history(text, line_of)


def _complete(text: str) -> bool:
    """Whether a history text ends a whole entry: its 《》 closed, its last entry ending in an event."""
    segs = _segments(text)
    return text.count("《") <= text.count("》") and bool(segs) and _ends_with_event(segs[-1][1])


def version_events(entries) -> tuple[tuple[Revision, ...], Revision | None]:
    """(the revisions, oldest first; the latest 施行 entry or None) of parsed history entries."""
    revisions = tuple(sorted((r for r in entries if r.kind != "施行"), key=lambda r: r.date))
    starts = [r for r in entries if r.kind == "施行"]
    return revisions, (max(starts, key=lambda r: r.date) if starts else None)


def history_issuers(revisions) -> list[str]:
    """The bodies that adopted this version: the body of the latest adopting entry and of the
    other adopting entries of its kind within a year before it (two courts adopting one
    interpretation); a 批准 approves, it does not adopt.

    >>> from datetime import date
    >>> history_issuers([Revision("通过", date(2017, 8, 31), "", "东营市人民代表大会常务委员会"),
    ...                  Revision("批准", date(2017, 9, 30), "", "山东省人民代表大会常务委员会")])
    ['东营市人民代表大会常务委员会']
    """
    adopting = [r for r in revisions if r.kind in rules()["adopting"] and r.by]
    if not adopting:
        return []
    last = adopting[-1]
    return list(dict.fromkeys(body for r in adopting if r.kind == last.kind and 0 <= (last.date - r.date).days <= 365
                              for body in _bodies(r.by)))


def _bodies(by: str) -> list[str]:
    """The bodies an entry's ``by`` names: 最高人民法院、最高人民检察院公告公布 names two.

    >>> _bodies("最高人民法院、最高人民检察院"), _bodies("全国人民代表大会常务委员会")
    (['最高人民法院', '最高人民检察院'], ['全国人民代表大会常务委员会'])
    """
    parts = [x for x in re.split("[、，,]", by) if x]
    suffixes = tuple(rules()["body_suffixes"])
    return parts if len(parts) > 1 and all(len(x) >= 2 and x.endswith(suffixes) for x in parts) else [by]


def latest_revising(revisions) -> Revision | None:
    """The latest entry that made a new text of the work (修订/修正; or a body adopting (通过) the
    work again long after it first did: 上海 writes a revised regulation's entry as plain
    …第十七次会议通过), or None.

    >>> from datetime import date
    >>> latest_revising([Revision("通过", date(2021, 5, 21), "", "上海市人民代表大会常务委员会"),
    ...                  Revision("通过", date(2024, 11, 28), "", "上海市人民代表大会常务委员会")]).date
    datetime.date(2024, 11, 28)
    """
    revising = [r for r in revisions if r.kind in rules()["revising"]]
    adopted = [r for r in revisions if r.kind == "通过" and r.by]
    again = [r for r in adopted[1:] if r.by == adopted[0].by and (r.date - adopted[0].date).days > 365]
    if again and (not revising or again[-1].date > revising[-1].date):
        return again[-1]
    return revising[-1] if revising else None


def date_in_name(name: str) -> date | None:
    """The one date a file name carries (data/rules/history.yaml ``file_name_date``), or None (no
    date, several different ones, or not a calendar day).

    >>> date_in_name("重庆市失业保险条例(2011-11-29).md"), date_in_name("附件1.pdf")
    (datetime.date(2011, 11, 29), None)
    >>> date_in_name("通知_2021年8月3日.pdf"), date_in_name("2019-02-30 通知.txt")
    (datetime.date(2021, 8, 3), None)
    """
    found = set()
    for y, m, d in re.findall(rules()["file_name_date"], name):
        try:
            found.add(date(int(y), int(m), int(d)))
        except ValueError:
            return None
    return found.pop() if len(found) == 1 else None


def publication_date(named: date | None, revisions, effective: date | None = None) -> date | None:
    """``named`` (a file name's date) when it reads as the publication of the version the history
    ends with: that entry is an adoption or approval (``published_after``), before ``named`` and at
    most ``published_within_days`` earlier (``awaiting_approval_within_days`` when the entry is a
    city's adoption of a work the province approves; ``published_within_days_by_body`` for the
    bodies that publish later, the highest court's and procuratorate's interpretations), and not
    after this version's own 施行 date (``effective``, the history's, when not older than its last
    entry); else None (the text's own dates stand).

    >>> from datetime import date
    >>> approved = [Revision("通过", date(2021, 6, 29), ""), Revision("批准", date(2021, 7, 29), "")]
    >>> publication_date(date(2021, 8, 3), approved), publication_date(date(2021, 12, 3), approved)
    (datetime.date(2021, 8, 3), None)
    >>> publication_date(date(2021, 8, 3), [Revision("公布", date(2021, 7, 29), "")])
    >>> publication_date(date(2018, 11, 30), approved + [Revision("修正", date(2018, 9, 7), "")])
    datetime.date(2018, 11, 30)
    >>> court = [Revision("通过", date(2024, 3, 29), "", "最高人民检察院")]
    >>> publication_date(date(2024, 8, 19), court), publication_date(date(2024, 8, 21), court, date(2024, 8, 20))
    (datetime.date(2024, 8, 19), None)
    """
    if named is None or not revisions:
        return None
    last = revisions[-1]
    if effective and last.date <= effective < named:  # this version's 施行 (not an older one's) came first
        return None
    lag = (named - last.date).days
    awaiting = last.kind != "批准" and any(r.kind == "批准" for r in revisions)
    within = max(rules()["awaiting_approval_within_days" if awaiting else "published_within_days"],
                 rules()["published_within_days_by_body"].get(last.by, 0))
    if last.kind not in rules()["published_after"] or not 0 < lag <= within:
        return None
    return named
