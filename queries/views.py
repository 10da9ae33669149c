"""Presentation-neutral helpers for the app: first-start ingest, form → profile, answers →
table rows, timeline rows, graph neighbourhoods, highlighted differences, safe uploads.

Nothing here knows Streamlit; app.py renders what these return.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from difflib import SequenceMatcher
from pathlib import Path

from ingest.errors import StoreError

from .catalog import Catalog
from .formula import condition_fields
from .totals import _NOT_FILLABLE as REVIEW_FIELDS  # fields no profile can settle (review, document date)

USER_ERRORS = (ValueError, OSError, StoreError)  # IngestError is a ValueError: shown as messages

UPLOAD_TYPES = ("pdf", "docx", "txt", "md", "html", "htm")
MAX_UPLOAD_BYTES = 20 << 20
UPLOAD_DIR = "uploads"  # inside the store directory (never a user-given path)
WAN = 10_000

# ---- labels (zh, en[, colour]) the app shows ------------------------------------------------------

VERDICT = {"eligible": ("符合", "Eligible", "green"), "possible": ("可能符合", "Possible", "orange"),
           "ineligible": ("不符合", "Not eligible", "red")}
STATUS = {"in_force": ("现行有效", "In force", "#2e7d32"), "partly_superseded": ("部分修改", "Partly amended", "#f9a825"),
          "superseded": ("已被替代", "Superseded", "#8e24aa"), "expired": ("已失效", "Expired", "#c62828"),
          "not_yet_effective": ("尚未施行", "Not yet effective", "#0277bd"), "unknown": ("时效不明", "Unknown", "#9e9e9e")}
ENTITY = {"enterprise": "企业", "university": "高校", "institute": "科研院所", "hospital": "医疗机构",
          "new_rd_institution": "新型研发机构", "investor": "投资机构", "incubator": "孵化载体",
          "financial_institution": "金融机构", "platform": "平台", "individual": "个人/人才", "team": "团队"}
STATE_ICON = {"met": ":green[:material/check_circle:]", "unmet": ":red[:material/cancel:]", "unknown": ":orange[:material/help:]"}
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


# ---- the store on first start --------------------------------------------------------------------

def store_ready(store: str) -> bool:
    """True when ``store`` is a remote endpoint or an embedded store holding source graphs."""
    if store.startswith(("sparql+http://", "sparql+https://")):
        return True
    from graph.store import open_store
    if not (Path(store) / "CURRENT").exists():
        return False
    st = open_store(store, read_only=True)
    try:
        return bool(st.graphs())
    finally:
        st.close()


def ingest_corpus(store: str, corpus, on_file=None) -> dict:
    """Ingest every file of ``corpus`` into ``store`` one file at a time (so a caller can show
    progress: ``on_file(done, total, name)``); keys as ``policygraph ingest corpus`` gives them."""
    from .ingesting import ingest_paths, targets
    jobs = targets([corpus])
    total = {"files": 0, "documents": 0, "provisions": 0, "errors": []}
    for i, (f, key) in enumerate(jobs):
        if on_file:
            on_file(i, len(jobs), f.name)
        if key != f.name:  # nested folder: keys are relative paths, ingest the folder as a whole
            return ingest_paths([corpus], store)
        s = ingest_paths([f], store)
        for k in ("files", "documents", "provisions"):
            total[k] += s[k]
        total["errors"] += s["errors"]
    if on_file:
        on_file(len(jobs), len(jobs), "")
    return total


# ---- uploads -------------------------------------------------------------------------------------

def upload_dir(store: str) -> Path:
    """Where uploads are kept: inside an embedded store's directory, else a temporary folder."""
    if store.startswith(("sparql+http://", "sparql+https://")):
        import tempfile
        return Path(tempfile.gettempdir()) / "policygraph-uploads"
    return Path(store) / UPLOAD_DIR


def save_upload(data: bytes, filename: str, store: str, max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
    """Write an uploaded file under ``<store>/uploads/<sha256 prefix>.<ext>`` (the user's name is
    only kept as a note in a side file); ValueError for an empty, too big or unsupported file.

    >>> import tempfile; d = tempfile.mkdtemp()
    >>> save_upload(b"x", "../../etc/passwd.txt", d).name
    '2d711642b726b044.txt'
    """
    ext = Path(filename).suffix.lower().lstrip(".")
    if ext not in UPLOAD_TYPES:
        raise ValueError(f"{filename}: file type .{ext or '?'} not supported (allowed: {', '.join(UPLOAD_TYPES)})")
    if not data:
        raise ValueError(f"{filename}: the file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise ValueError(f"{filename}: {len(data) / 2**20:.1f} MB is over the {max_bytes / 2**20:.0f} MB limit")
    folder = upload_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
    path.write_bytes(data)
    path.with_suffix(".name.json").write_text(json.dumps({"name": filename}, ensure_ascii=False), encoding="utf-8")
    return path


def uploaded_names(store: str) -> dict[str, str]:
    """Generated upload file stem → the name the user gave it."""
    out = {}
    for f in upload_dir(store).glob("*.name.json"):
        try:
            out[f.name.removesuffix(".name.json")] = json.loads(f.read_text(encoding="utf-8"))["name"]
        except (OSError, ValueError, KeyError):
            continue
    return out


def uploaded_documents(catalog: Catalog, store: str) -> list[dict]:
    """Rows for the documents that came from uploads: the user's file name, title, id, provisions."""
    names = uploaded_names(store)
    return [{"file": names[Path(d.span.source).stem], "title": d.title, "id": d.id,
             "provisions": sum(1 for _ in d.walk())} for d in catalog.documents if Path(d.span.source).stem in names]


def discard_upload(path: Path) -> None:
    """Remove a saved upload that could not be ingested (and its name note)."""
    for f in (path, path.with_suffix(".name.json")):
        f.unlink(missing_ok=True)


def ingest_upload(store: str, path: Path, shown_name: str) -> dict:
    """Ingest one saved upload; errors name the user's file, never the generated path."""
    from .ingesting import ingest_paths
    try:
        s = ingest_paths([path], store)
    except USER_ERRORS:
        discard_upload(path)
        raise
    errors = [str(e["error"]).replace(str(path), shown_name) for e in s["errors"]]
    if not errors and s["documents"] == 0:
        errors = [f"{shown_name}: no document found"]
    if errors:
        discard_upload(path)
    return {"documents": s["documents"], "provisions": s["provisions"], "errors": errors}


# ---- the firm profile ----------------------------------------------------------------------------

def profile_from_form(form: dict) -> dict:
    """A profile from form values: blanks dropped, money given in 万元 turned into yuan,
    tri-state answers ("yes"/"no"/None) into booleans. Validated by the eligibility module.

    >>> profile_from_form({"region": " 青岛市 ", "rd_expense_wan": 3000, "new_arrival": "no", "district": ""})
    {'region': '青岛市', 'rd_expense': 30000000, 'new_arrival': False}
    """
    from .eligibility import validate_profile
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


_NOT_PROFILE = {"document_status": "文件施行日期不明", "application_review": "以申报指南/评审为准"}


def field_label(name: str) -> str:
    """The profile field's Chinese description (condition_fields.yaml)."""
    spec = condition_fields().get(name)
    return str(spec["text"]).split(" (")[0] if spec else _NOT_PROFILE.get(name, name)


def what_would_change(results: list[dict]) -> list[dict]:
    """Unknown fields that decide ``possible`` results: field, label, whether the firm can fill it
    in (a profile field) or not (document status, review by the agency), how many results, the
    most money they could unlock, and the condition texts; fillable and most decisive first."""
    by = defaultdict(lambda: {"results": 0, "max_yuan": 0, "texts": []})
    for r in results:
        for f in r.get("deciding_fields", ()):
            e = by[f]
            e["results"] += 1
            e["max_yuan"] = max(e["max_yuan"], r["benefit"]["max_yuan"] or 0)
            e["texts"] += [c["text"] for c in r["conditions"] if c["field"] == f and c["state"] == "unknown"
                           and c["text"] and c["text"] not in e["texts"]][:1]
    fillable = condition_fields()
    rows = [{"field": f, "label": field_label(f), "fillable": f in fillable, **v, "texts": v["texts"][:3]}
            for f, v in by.items()]
    return sorted(rows, key=lambda r: (not r["fillable"], -r["results"], -r["max_yuan"], r["field"]))


def review_only(r: dict) -> bool:
    """A ``possible`` result that only a call for applications / review (or the document's unknown
    date) can settle — counted apart and never added into a total (queries.totals)."""
    return r["verdict"] == "possible" and bool(set(r.get("deciding_fields", ())) & REVIEW_FIELDS)


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


def short(text: str | None, n: int) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis.

    >>> short("一二\\n三四五", 4)
    '一二 三…'
    """
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[:n] + "…"


def yuan_text(v) -> str:
    """Money for people: 万元 above ten thousand.

    >>> yuan_text(1_000_000), yuan_text(482_470_000), yuan_text(12_345), yuan_text(500), yuan_text(None)
    ('100万元', '48,247万元', '1.23万元', '500元', '—')
    """
    if v is None:
        return "—"
    if abs(v) < WAN:
        return f"{v:g}元"
    w = v / WAN
    return (f"{w:,.0f}" if w == int(w) else f"{w:,.2f}".rstrip("0").rstrip(".")) + "万元"


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


def to_csv(rows: list[dict]) -> bytes:
    """CSV (UTF-8 with BOM, so Excel reads the Chinese) of dict rows."""
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# ---- status timeline -----------------------------------------------------------------------------

def timeline_rows(status: dict, horizon_days: int = 365) -> tuple[list[dict], list[dict]]:
    """(bars, undated) of a status report: a bar from the start (or issue) date to the end date
    (open-ended bars run ``horizon_days`` past the as-of date); documents without any date apart."""
    day = date.fromisoformat(status["as_of"])
    bars, undated = [], []
    for d in status["documents"]:
        start = d["effective_start"] or d["issue_date"]
        row = {"id": d["id"], "title": d["title"] or d["id"], "status": d["status"]}
        if not start:
            undated.append(row)
            continue
        end = d["effective_end"]
        open_end = end is None
        end = end or max(day, date.fromisoformat(start)) + timedelta(days=horizon_days)
        bars.append(dict(row, start=start, end=str(end), open_end=open_end,
                         label=f"{(d['title'] or d['id'])[:28]} · {d['id'].split(':')[-1]}"))
    bars.sort(key=lambda r: r["start"])
    return bars, undated


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


# ---- graph browser -------------------------------------------------------------------------------

def doc_graph(catalog: Catalog):
    """The NetworkX view with provisions folded into their documents (memoised): a document
    links straight to the agencies, programmes and beneficiaries its provisions name."""
    if "views:doc_graph" in catalog.memo:
        return catalog.memo["views:doc_graph"]
    import networkx as nx

    from graph.nxview import project
    G = project(catalog.documents)
    H = nx.Graph()
    owner = {n: f"doc:{a['document']}" for n, a in G.nodes(data=True) if a.get("type") == "provision"}
    for n, a in G.nodes(data=True):
        if a.get("type") != "provision":
            H.add_node(n, type=a.get("type"), label=a.get("label") or n)
    for u, v, t in G.edges(data="type"):
        u, v = owner.get(u, u), owner.get(v, v)
        if u == v:
            continue
        if H.has_edge(u, v):
            H[u][v]["count"] += 1
            H[u][v]["types"].add(t)
        else:
            H.add_edge(u, v, count=1, types={t})
    catalog.memo["views:doc_graph"] = H
    return H


def graph_choices(catalog: Catalog, kind: str) -> list[tuple[str, str]]:
    """(node id, label) of one node type (document, agency, programme, beneficiary), best linked first."""
    H = doc_graph(catalog)
    nodes = [(n, a["label"]) for n, a in H.nodes(data=True) if a.get("type") == kind]
    return sorted(nodes, key=lambda x: (-H.degree(x[0]), x[1]))


def neighbourhood(catalog: Catalog, node: str, limit: int = 60) -> dict:
    """A node, its neighbours (the ``limit`` most linked) and the links among them, as plain
    lists: nodes {id, label, type, centre}, edges {source, target, relation, count}."""
    H = doc_graph(catalog)
    if node not in H:
        raise ValueError(f"no node {node!r} in the graph")
    near = sorted(H.neighbors(node), key=lambda n: (-H[node][n]["count"], -H.degree(n), n))[:limit]
    keep = {node, *near}
    nodes = [{"id": n, "label": H.nodes[n]["label"], "type": H.nodes[n]["type"], "centre": n == node} for n in keep]
    edges = [{"source": u, "target": v, "relation": "/".join(sorted(a["types"])), "count": a["count"]}
             for u, v, a in H.subgraph(keep).edges(data=True)]
    return {"nodes": sorted(nodes, key=lambda x: (not x["centre"], x["type"], x["label"])),
            "edges": sorted(edges, key=lambda e: -e["count"])}


def vis_spec(nb: dict, label_chars: int = 12) -> dict:
    """Keyword arguments of streamlit-agraph's Node and Edge (vis.js options) for a neighbourhood."""
    def short(s):
        return s[:label_chars] + ("…" if len(s) > label_chars else "")
    nodes = [{"id": n["id"], "label": short(n["label"]), "title": n["label"], "size": 26 if n["centre"] else 12,
              "color": KINDS.get(n["type"], ("", "", "#999"))[2], "font": {"size": 13}} for n in nb["nodes"]]
    edges = [{"source": e["source"], "target": e["target"], "title": f"{e['relation']} ×{e['count']}",
              "width": 1 + min(e["count"], 20) / 4, "color": "#bbbbbb"} for e in nb["edges"]]
    return {"nodes": nodes, "edges": edges}


def stats_tables(stats: dict) -> tuple[list[dict], list[dict]]:
    """(agencies, programmes) rows of graph stats, money in 万元 (column names: COLUMNS)."""
    return ([{"agency": a["agency"], "measures": a["measures"], "provisions": a["provisions"],
              "money_wan": round(a["money_yuan"] / WAN)} for a in stats["agencies"]],
            [{"programme": p["programme"], "documents": len(p["documents"]), "provisions": p["provisions"]}
             for p in stats["programmes"]])


def edge_rows(nb: dict) -> list[dict]:
    """A neighbourhood's links as table rows (column names: COLUMNS)."""
    label = {n["id"]: n["label"] for n in nb["nodes"]}
    return [{"from": label[e["source"]], "relation": e["relation"], "to": label[e["target"]], "count": e["count"]}
            for e in nb["edges"]]


def timeline_spec(bars: list[dict], as_of: str, names: list[str], colours: list[str], axis: str) -> dict:
    """A Vega-Lite spec: one bar per document's validity (``status`` already a display name from
    ``names``), a dashed rule at the as-of date."""
    return {"layer": [
        {"data": {"values": bars}, "mark": {"type": "bar", "height": 14},
         "encoding": {"x": {"field": "start", "type": "temporal", "title": axis}, "x2": {"field": "end"},
                      "y": {"field": "label", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 320}},
                      "color": {"field": "status", "type": "nominal", "scale": {"domain": names, "range": colours},
                                "legend": {"title": None, "orient": "top"}},
                      "tooltip": [{"field": f, "type": "temporal" if f in ("start", "end") else "nominal"}
                                  for f in ("title", "id", "status", "start", "end", "open_end")]}},
        {"data": {"values": [{"d": as_of}]}, "mark": {"type": "rule", "color": "black", "strokeDash": [4, 3]},
         "encoding": {"x": {"field": "d", "type": "temporal"}}}]}


def graph_stats(store: str, catalog: Catalog) -> dict:
    """queries.graphstats.stats for the store, memoised with the catalog it matches."""
    if "views:stats" not in catalog.memo:
        from .graphstats import stats
        catalog.memo["views:stats"] = stats(store)
    return catalog.memo["views:stats"]


def memo(catalog: Catalog, key, fn):
    """``fn()`` computed once per catalog (the catalog is rebuilt when the store changes)."""
    k = ("views", key)
    if k not in catalog.memo:
        catalog.memo[k] = fn()
    return catalog.memo[k]


def qualification_names() -> list[str]:
    """The qualifications a profile can hold (data/rules/entity_types.yaml)."""
    from .eligibility import entity_rules
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

