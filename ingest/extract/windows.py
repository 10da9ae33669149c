"""Application windows: when one may apply (申报时间：…至…, 于…前报送, 每年3月, 常年受理).

A date becomes a window only in a sentence about applying (data/rules/windows.yaml
``apply_words``) that is not an agency's own schedule or a consultation (``not_apply_words``).
A date without a year takes the year of the date before it in the same provision, else the
document's issue year (a deadline before the issue date is next year's).
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import Any

from ..clean_text import normalize
from ..model import ApplicationWindow
from ..rules import alternation, load

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_YEAR_MENTION = re.compile(r"(?<!\d)(20\d\d|19\d\d)年")
_TIME = r"(?:[（(]星期.[）)])?\s*(?:(?P<{p}h>\d{{1,2}})\s*[:：时点]\s*(?P<{p}mi>\d{{2}})?分?|(?P<{p}eod>下班))?"
_MD = r"(?:(?P<{p}y>\d{{4}})\s*年\s*)?(?:(?P<{p}m>\d{{1,2}})\s*月\s*)?(?P<{p}d>\d{{1,2}})\s*[日号]"


@lru_cache(maxsize=1)
def _rx() -> dict:
    r = load("windows")
    for key in ("apply_words", "not_apply_words", "rolling", "from_today", "range_joiners",
                "deadline_after", "deadline_before"):
        if not isinstance(r.get(key), list) or not r[key]:
            raise ValueError(f"data/rules/windows.yaml: {key!r} must be a non-empty list, got {r.get(key)!r}")
    one = _MD.format(p="a") + _TIME.format(p="a")
    two = _MD.format(p="b") + _TIME.format(p="b")
    joiner = alternation(r["range_joiners"])
    today = alternation(r["from_today"])
    yearly_md = r"(?P<{p}m>\d{{1,2}})\s*月(?:份|(?P<{p}d>\d{{1,2}})\s*[日号]|(?P<{p}end>底|末))?"
    return {
        "apply": re.compile(alternation(r["apply_words"])),
        "not_apply": re.compile(alternation(r["not_apply_words"])),
        "rolling": re.compile(alternation(r["rolling"])),
        "late": re.compile(r["late_refused"]),
        # 2019年10月23日-11月20日17时 / 即日起至2014年6月15日
        "range": re.compile(rf"(?:(?P<today>{today})|{one})\s*(?:{joiner})\s*{two}(?:止|期间|为止)?"),
        "deadline": re.compile(rf"(?:(?:{alternation(r['deadline_before'])})[^。，,；\d]{{0,6}}?\s*{two}"
                               rf"|{two.replace('(?P<b', '(?P<c')}\s*(?:{alternation(r['deadline_after'])}))"),
        "yearly": re.compile(rf"每年\s*{yearly_md.format(p='a')}(?:\s*(?:{joiner})\s*{yearly_md.format(p='b')})?"
                             rf"(?P<before>(?:之|以)?前)?"),
    }


def reference_year(issue_date: date | None, doc_number: str | None, title: str | None) -> int | None:
    """The year a date without one belongs to: the issue date's, else the 文号's, else the title's.

    >>> reference_year(None, "内工信中小字〔2021〕130号", None), reference_year(None, None, "关于2023年度申报的通知")
    (2021, 2023)
    """
    if issue_date:
        return issue_date.year
    for s, rx in ((doc_number, r"[〔\[（(](\d{4})[〕\]）)]"), (title, r"(\d{4})年")):
        m = re.search(rx, s or "")
        if m:
            return int(m.group(1))
    return None


def find_windows(text: str, line_of, issue_date: date | None = None,
                 ref_year: int | None = None) -> tuple[ApplicationWindow, ...]:
    """The application windows stated in a provision's ``text`` (``line_of``: offset → source line).

    >>> w = find_windows("申报时间：2023年2月1日至2月24日18:00，逾期不予受理。", lambda o: 7)
    >>> [(x.kind, str(x.start), str(x.end), x.time_end, x.late_refused, x.line) for x in w]
    [('range', '2023-02-01', '2023-02-24', '18:00', True, 7)]
    >>> [(x.kind, x.yearly_start, x.yearly_end) for x in find_windows("应当于每年3月份提交申请；逾期申请的，不予受理。", lambda o: 1)]
    [('yearly', '03-01', '03-31')]
    >>> [x.kind for x in find_windows("本事项常年受理。", lambda o: 1)]
    ['rolling']
    >>> find_windows("每年3月底前，街道应当完成上年度资金的清算工作。", lambda o: 1)
    ()
    """
    if "月" not in text and not any(w in text for w in load("windows")["rolling"]):
        return ()
    norm = normalize(text)
    rx, out = _rx(), []
    year = None  # the year of the last dated window: carries to dates that state none
    for m in _SENTENCE.finditer(norm):
        sent, base = m.group(), m.start()
        if not rx["apply"].search(sent) or rx["not_apply"].search(rx["late"].sub("", sent)):
            continue
        late = bool(rx["late"].search(sent)) or bool(rx["late"].search(norm[m.end():m.end() + 40].split("。")[0]))
        found, year = _sentence_windows(sent, issue_date, year or ref_year, rx)
        said = text[m.start():m.end()].strip()  # as written (normalize keeps offsets)
        for start_off, w in found:
            out.append(ApplicationWindow(kind=w["kind"], text=said, start=w.get("start"), end=w.get("end"),
                                         time_end=w.get("time"), yearly_start=w.get("ys"), yearly_end=w.get("ye"),
                                         late_refused=late, line=line_of(base + start_off)))
        if not found and rx["rolling"].search(sent):
            out.append(ApplicationWindow(kind="rolling", text=said, late_refused=False,
                                         line=line_of(base + rx["rolling"].search(sent).start())))
    return tuple(out)


def _sentence_windows(sent: str, issue: date | None, year: int | None, rx: dict):
    """[(offset, fields)] of one sentence, left to right; and the year carried on."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, dict[str, Any]]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in rx["yearly"].finditer(sent):
        ys = _yearly_md(m, "a", end=False)
        ye = _yearly_md(m, "b", end=True) if m.group("bm") else _yearly_md(m, "a", end=True)
        if m.group("before") and not m.group("bm"):
            ys = None  # 每年5月底前: only an end
        taken.append(m.span())
        if ye is None:  # 每年13月: not a date
            continue
        found.append((m.start(), {"kind": "yearly", "ys": ys, "ye": ye}))
    for kind in ("range", "deadline"):
        for m in rx[kind].finditer(sent):
            if not free(*m.span()):
                continue
            hint = _year_hint(sent[:m.start()], year, issue)
            w = _dated(m, kind, hint, issue)
            if w is None:
                continue
            taken.append(m.span())
            found.append((m.start(), w))
    found.sort(key=lambda x: x[0])
    for _, w in found:
        if w.get("end"):
            year = w["end"].year
    return found, year


def _year_hint(before: str, carried: int | None, issue: date | None) -> int | None:
    mentions = _YEAR_MENTION.findall(before)
    if mentions:
        return int(mentions[-1])
    return carried or (issue.year if issue else None)


def _dated(m: re.Match, kind: str, hint: int | None, issue: date | None) -> dict | None:
    """A range or deadline match as dates; None when no year can be found or a date is impossible."""
    g = m.groupdict()
    p = "b" if g.get("bd") else "c"
    y = int(g[f"{p}y"]) if g.get(f"{p}y") else None
    start = None
    if kind == "range":
        if g.get("today"):
            start = issue
        else:
            sy = int(g["ay"]) if g.get("ay") else hint
            start = _date(sy, g.get("am"), g["ad"], issue, explicit=bool(g.get("ay")))
            if start is None:
                return None
            hint = start.year
            g[f"{p}m"] = g.get(f"{p}m") or g.get("am")  # 6月1日至30日
    end = _date(y or hint, g.get(f"{p}m"), g[f"{p}d"], issue, explicit=y is not None)
    if end is None or (start and end < start):
        return None
    return {"kind": kind, "start": start, "end": end, "time": _time(g, p)}


def _date(year: int | None, month: str | None, day: str, issue: date | None, explicit: bool) -> date | None:
    if year is None or not month:
        return None
    try:
        d = date(year, int(month), int(day))
    except ValueError:
        return None
    if not explicit and issue and (issue - d).days > 31:
        try:  # a December notice's "1月10日前" is next January
            d = date(year + 1, d.month, d.day)
        except ValueError:
            return None
    return d


def _time(g: dict, p: str) -> str | None:
    if g.get(f"{p}eod"):
        return "17:00"  # 下班前: the end of office hours
    if g.get(f"{p}h") is None:
        return None
    h, mi = int(g[f"{p}h"]), int(g.get(f"{p}mi") or 0)
    return f"{h:02d}:{mi:02d}" if h <= 24 and mi < 60 else None


def _yearly_md(m: re.Match, p: str, end: bool) -> str | None:
    month = int(m.group(f"{p}m"))
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(2000, month)[1]  # a leap year: 02-29 is a date
    day = int(m.group(f"{p}d") or (last if end else 1))  # 每年3月: the whole month
    return f"{month:02d}-{day:02d}" if 1 <= day <= last else None
