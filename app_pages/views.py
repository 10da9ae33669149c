"""Presentation helpers for the app: labels, form → profile, answers → table rows,
highlighted differences (first-start ingest and uploads: views_uploads; the status page:
views_status; the graph browser: views_graph).

Nothing here knows Streamlit; app.py renders what these return.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from datetime import date
from difflib import SequenceMatcher
from html import escape
from typing import Literal

from ingest.errors import StoreError

from queries.catalog import Catalog
from queries.formula import condition_fields
from queries.money import WAN
from queries.totals import REVIEW_FIELDS  # fields no profile can settle (review, document date)

USER_ERRORS = (ValueError, OSError, StoreError)  # IngestError is a ValueError: shown as messages

# ---- labels (zh, en[, colour]) the app shows ------------------------------------------------------

VERDICT: dict[str, tuple[str, str, Literal["green", "orange", "red"]]] = {"eligible": ("符合", "Eligible", "green"), "possible": ("可能符合", "Possible", "orange"),
           "ineligible": ("不符合", "Not eligible", "red")}
STATUS = {"in_force": ("现行有效", "In force", "#2e7d32"), "partly_superseded": ("部分修改", "Partly amended", "#f9a825"),
          "superseded": ("已被替代", "Superseded", "#8e24aa"), "expired": ("已失效", "Expired", "#c62828"),
          "not_yet_effective": ("尚未施行", "Not yet effective", "#0277bd"), "unknown": ("时效不明", "Unknown", "#9e9e9e")}
ENTITY = {"enterprise": "企业", "university": "高校", "institute": "科研院所", "hospital": "医疗机构",
          "new_rd_institution": "新型研发机构", "investor": "投资机构", "incubator": "孵化载体",
          "financial_institution": "金融机构", "platform": "平台", "individual": "个人/人才", "team": "团队"}
STATE_ICON = {"met": ":green[:material/check_circle:]", "unmet": ":red[:material/cancel:]", "unknown": ":orange[:material/help:]"}
TRI_STATE = (("new_arrival", "新引进/新落户", "Newly arrived"), ("first_rd_activity", "首次开展研发活动", "First R&D activity"),
             ("first_above_scale", "首次升规纳统", "First time above scale"))  # yes / no / not given
NUMBERS = (("rd_expense_wan", "上年度研发投入（万元）", "R&D last year (10k yuan)", 0.0),
           ("rd_expense_prev_wan", "前一年度研发投入（万元）", "R&D the year before (10k yuan)", 0.0),
           ("rd_increment_rank", "研发投入增量全市排名", "R&D increment rank in the city", 1),
           ("revenue_wan", "上年度营业收入（万元）", "Revenue last year (10k yuan)", 0.0))
CHANGE = {"changed": ("修改", "changed"), "added": ("新增", "added"), "removed": ("删除", "removed"), "same": ("相同", "same")}
RELATION = {"duplicate": ("重复", "duplicate"), "revision": ("修订版本", "revision"), "overlap": ("部分重叠", "overlap")}
KINDS = {"document": ("文件", "Document", "#1e88e5"), "agency": ("机构", "Agency", "#43a047"),
         "programme": ("计划/项目", "Programme", "#fb8c00"), "beneficiary": ("支持对象", "Beneficiary", "#8e24aa"),
         "work": ("文号/作品", "Work", "#757575")}
SPARQL_EXAMPLE = ("SELECT ?title ?date WHERE {\n  ?d a eli:LegalResource ; dcterms:title ?title .\n"
                  "  OPTIONAL { ?d eli:date_document ?date }\n} ORDER BY DESC(?date) LIMIT 50")
COLUMNS = {"file": ("上传文件名", "file"), "title": ("标题", "title"), "id": ("文件编号", "id"),
           "provisions": ("条款数", "provisions"), "measures": ("措施数", "measures"), "agency": ("机构", "agency"),
           "money_wan": ("金额（万元）", "money (10k yuan)"), "programme": ("计划", "programme"),
           "documents": ("文件数", "documents"), "from": ("起点", "from"), "relation": ("关系", "relation"),
           "to": ("终点", "to"), "count": ("次数", "count")}
LINEAGE = (("chain", "沿革链", "Lineage chain"), ("supersedes", "替代/废止", "Replaces"),
           ("superseded_by", "被替代于", "Superseded by"), ("amended_by", "被修改于", "Amended by"),
           ("same_work", "同一文件的其他文本", "Same policy, other copies"))
COUNTS = {"documents": "文件", "works": "作品", "provisions": "条款", "measures": "措施", "amounts": "金额",
          "conditions": "条件", "agencies": "机构", "concepts": "概念", "graphs": "来源图", "triples": "三元组"}


# ---- the firm profile ----------------------------------------------------------------------------

def profile_from_form(form: dict) -> dict:
    """A profile from form values: blanks dropped, money given in 万元 turned into yuan,
    tri-state answers ("yes"/"no"/None) into booleans. Validated by the eligibility module.

    >>> profile_from_form({"region": " 青岛市 ", "rd_expense_wan": 3000, "new_arrival": "no", "district": ""})
    {'region': '青岛市', 'rd_expense': 30000000, 'new_arrival': False}
    """
    from queries.eligibility import validate_profile
    prof = {}
    for k, v in form.items():
        if v is None or v == "" or v == [] or (k == "rd_increment_rank" and v == 0):
            continue
        if isinstance(v, str):
            v = v.strip()
            if v in ("yes", "no"):
                v = v == "yes"
        if k.endswith("_wan"):
            k, v = k.removesuffix("_wan"), int(round(float(v) * WAN))
        elif isinstance(v, date):
            v = v.isoformat()
        if v != "":
            prof[k] = v
    return validate_profile(prof, "form")


def split_list(text: str) -> list[str]:
    """The non-blank items of a comma-separated answer (either comma).

    >>> split_list("软件，生物医药,, ")
    ['软件', '生物医药']
    """
    return [x for x in text.replace("，", ",").split(",") if x.strip()]


_NOT_PROFILE = {"document_status": "文件施行日期不明", "application_review": "以申报指南/评审为准"}


def field_label(name: str) -> str:
    """The profile field's Chinese description (condition_fields.yaml)."""
    spec = condition_fields().get(name)
    return str(spec["text"]).split(" (")[0] if spec else _NOT_PROFILE.get(name, name)


def what_would_change(results: list[dict]) -> list[dict]:
    """Unknown fields that decide ``possible`` results: field, label, whether the firm can fill it
    in (a profile field) or not (document status, review by the agency), how many results, the
    most money they could unlock, and the condition texts; fillable and most decisive first."""
    count: Counter[str] = Counter()
    most: dict[str, int] = defaultdict(int)
    texts: dict[str, list[str]] = defaultdict(list)
    for r in results:
        for f in r.get("deciding_fields", ()):
            count[f] += 1
            most[f] = max(most[f], r["benefit"]["max_yuan"] or 0)
            texts[f] += [c["text"] for c in r["conditions"] if c["field"] == f and c["state"] == "unknown"
                         and c["text"] and c["text"] not in texts[f]][:1]
    fillable = condition_fields()
    rows = [{"field": f, "label": field_label(f), "fillable": f in fillable, "results": n, "max_yuan": most[f],
             "texts": texts[f][:3]} for f, n in count.items()]
    return sorted(rows, key=lambda r: (not r["fillable"], -r["results"], -r["max_yuan"], r["field"]))


def condition_lines(conditions: list[dict]) -> list[str]:
    """One markdown line per distinct condition: the state's icon and the text (else the field's label).

    >>> condition_lines([{"state": "met", "text": "高新<技术>企业", "field": "q"}] * 2)
    [':green[:material/check_circle:] 高新&lt;技术&gt;企业']
    """
    return list(dict.fromkeys(f"{STATE_ICON[c['state']]} {escape((c['text'] or field_label(c['field']))[:70])}"
                              for c in conditions))


def review_only(r: dict) -> bool:
    """A ``possible`` result that only a call for applications / review (or the document's unknown
    date) can settle — counted apart and never added into a total (queries.totals)."""
    return r["verdict"] == "possible" and bool(set(r.get("deciding_fields", ())) & REVIEW_FIELDS)


def split_review(results: list[dict]) -> tuple[list[dict], list[dict]]:
    """(main, review): the results a profile can settle, and those only review can (review_only)."""
    return [r for r in results if not review_only(r)], [r for r in results if review_only(r)]


def verdict_counts(results: list[dict]) -> dict[str, int]:
    """How many results of each verdict (every verdict, zero included)."""
    return {v: sum(r["verdict"] == v for r in results) for v in VERDICT}


def amount_sentence(text: str, yuan: int | None) -> str:
    """The sentence of ``text`` that states ``yuan`` (as N万元), else the first naming an amount,
    else the whole text: a news report's restated measure can run over a whole paragraph.

    >>> amount_sentence("加快创新。\\n实施计划，给予最高500万元支持。其他", 5_000_000)
    '实施计划，给予最高500万元支持。'
    """
    parts = [x.strip() for x in re.split(r"(?<=[。；;！？])|\n", text or "") if x.strip()]
    wan = f"{yuan / WAN:g}万" if yuan else None
    return next((x for x in parts if wan and wan in x), None) or next((x for x in parts if re.search(r"[万亿]元", x)), text)


def reading_groups(related: list[dict]) -> list[dict]:
    """Related reading (news reports, interpretations restating measures) grouped by document:
    {document, note, items:[{text, label, line_start, line_end, line, max_yuan}]}, one item per
    restated sentence (the one stating the amount), documents in first-seen order.

    >>> r = {"document": {"id": "n"}, "provision": {"label": None, "line_start": 3, "line_end": 9}, "max_yuan": 5,
    ...      "measure": {"text": "给予最高500万元", "line": 4}}
    >>> g = reading_groups([r, dict(r, max_yuan=9)]); [(len(x["items"]), x["items"][0]["max_yuan"]) for x in g]
    [(1, 9)]
    """
    docs: dict = {}
    for r in related:
        d = docs.setdefault(r["document"]["id"], {"document": r["document"], "note": r.get("note"), "items": {}})
        p, m = r["provision"], r["measure"]
        text = amount_sentence(m["text"], r.get("max_yuan"))
        item = d["items"].setdefault(text, {"text": text, "label": p.get("label"), "line_start": p["line_start"],
                                            "line_end": p["line_end"], "line": m["line"], "max_yuan": None})
        if r.get("max_yuan") is not None and (item["max_yuan"] or 0) < r["max_yuan"]:
            item["max_yuan"] = r["max_yuan"]
    return [dict(d, items=list(d["items"].values())) for d in docs.values()]


def name_documents(text: str, titles: dict[str, str]) -> str:
    """``text`` with the document ids it quotes replaced by 《title》.

    >>> name_documents("按 000_ab:01 执行：…", {"000_ab:01": "某某办法"})
    '按 《某某办法》 执行：…'
    """
    for i, t in titles.items():
        if i in text and t:
            text = text.replace(i, t if "《" in t else f"《{t}》")
    return text


def date_param(text: str | None) -> date | None:
    """A date from a URL parameter, None when absent or not an ISO date in 1949..2100.

    >>> date_param("2024-09-15"), date_param("x"), date_param(None)
    (datetime.date(2024, 9, 15), None, None)
    """
    try:
        d = date.fromisoformat(text or "")
    except ValueError:
        return None
    return d if date(1949, 10, 1) <= d <= date(2100, 12, 31) else None


def book(title: str | None) -> str:
    """A title in 《》 (once), for citing a document.

    >>> book("某某办法"), book("《某某办法》的通知"), book(None)
    ('《某某办法》', '《某某办法》的通知', '《(无标题)》')
    """
    t = title or "(无标题)"
    return t if "《" in t else f"《{t}》"


def short(text: str | None, n: int) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis.

    >>> short("一二\\n三四五", 4)
    '一二 三…'
    """
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[:n] + "…"


def result_rows(result: dict) -> list[dict]:
    """One flat row per eligibility result (for a table or CSV)."""
    rows = []
    for r in result["results"]:
        p, states = r["provision"], Counter(c["state"] for c in r["conditions"])
        rows.append({"verdict": r["verdict"], "max_yuan": r["benefit"]["max_yuan"], "formula": r["benefit"]["formula"],
                     "document": r["document"]["title"], "document_id": r["document"]["id"],
                     "provision": p["label"] or p["id"], "lines": f"{p['line_start']}-{p['line_end']}",
                     "status": r["status"], "met": states["met"], "unmet": states["unmet"],
                     "unknown": states["unknown"], "deciding_fields": "、".join(r["deciding_fields"]),
                     "agencies": "、".join(a["name"] for a in r["agencies"]), "measure": r["measure"]["text"]})
    return rows


def to_json(result: dict) -> str:
    """A result as readable JSON for download (Chinese kept, dates as text)."""
    return json.dumps(result, ensure_ascii=False, indent=1, default=str)


def to_csv(rows: list[dict]) -> bytes:
    """CSV (UTF-8 with BOM, so Excel reads the Chinese) of dict rows."""
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# ---- differences ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"[0-9０-９]+(?:[.,．][0-9０-９]+)*|[A-Za-z]+|.", re.S)


def diff_segments(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts cut into (piece, changed) segments for highlighting; numbers and Latin words
    count as one token, other characters one each.

    >>> diff_segments("最高500万元", "最高1000万元")
    ([('最高', False), ('500', True), ('万元', False)], [('最高', False), ('1000', True), ('万元', False)])
    """
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    sa, sb = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if i2 > i1:
            sa.append(("".join(ta[i1:i2]), op != "equal"))
        if j2 > j1:
            sb.append(("".join(tb[j1:j2]), op != "equal"))
    return sa, sb


DIFF_COLOURS = ("#ffd6d6", "#d6f5d6")  # A only, B only


def mark_html(segments, colour: str) -> str:
    """(piece, changed) segments as escaped HTML, changed pieces marked in ``colour``.

    >>> mark_html([("<a>", False), ("1", True)], "red")
    "&lt;a&gt;<mark style='background:red'>1</mark>"
    """
    return "".join(f"<mark style='background:{colour}'>{escape(t)}</mark>" if ch else escape(t) for t, ch in segments)


def differences_html(differences: list[dict], limit: int = 12) -> str:
    """Token differences of two documents, one per line: L<a line> a-text → L<b line> b-text."""
    a, b = DIFF_COLOURS
    return "  \n".join(f"L{x['a_line']} {mark_html([(x['a_text'] or '∅', True)], a)} → "
                       f"L{x['b_line']} {mark_html([(x['b_text'] or '∅', True)], b)}" for x in differences[:limit])


# ---- overlaps and search pages -------------------------------------------------------------------

def provision_pairs(report: dict, hide_duplicates: bool) -> list[dict]:
    """The near-duplicate provision pairs of an overlaps report, without (when asked) those
    inside a pair of duplicate documents."""
    dup = {tuple(sorted((d["a"], d["b"]))) for d in report["documents"] if d["relation"] == "duplicate"}
    return [p for p in report["provisions"]
            if not (hide_duplicates and tuple(sorted((p["a"]["document"], p["b"]["document"]))) in dup)]


def search_facets(catalog: Catalog) -> tuple[list[str], list[str]]:
    """(issuers, document types) of the catalog, sorted: the search page's filters."""
    return (sorted({i for d in catalog.documents for i in d.issuers}),
            sorted({d.doc_type for d in catalog.documents if d.doc_type}))


def snippet_html(snippet: str, query: str) -> str:
    """A search hit's snippet as escaped HTML, the query text marked.

    >>> snippet_html("研发<投入>", "投入")
    '研发&lt;<mark>投入</mark>&gt;'
    """
    q = escape(query.strip())
    return escape(snippet).replace(q, f"<mark>{q}</mark>")


# ---- shared ----------------------------------------------------------------------------------------

def memo(catalog: Catalog, key, fn):
    """``fn()`` computed once per catalog (the catalog is rebuilt when the store changes)."""
    k = ("views", key)
    if k not in catalog.memo:
        catalog.memo[k] = fn()
    return catalog.memo[k]


def qualification_names() -> list[str]:
    """The qualifications a profile can hold (data/rules/entity_types.yaml)."""
    from queries.eligibility_measures import entity_rules
    return list(entity_rules()["qualifications"])


def entity_type_names() -> list[str]:
    """The entity types a profile can name (condition_fields.yaml)."""
    return list(condition_fields()["entity_type"]["values"])


def sparql_rows(res: dict) -> list[dict]:
    """SPARQL JSON results as plain rows of values."""
    if "boolean" in res:
        return [{"result": res["boolean"]}]
    names = res.get("head", {}).get("vars", [])
    return [{n: b[n]["value"] if n in b else None for n in names} for b in res.get("results", {}).get("bindings", [])]

