"""The model as the JSON of ``policygraph parse --json`` (see shared/contract)."""
from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date

from .contract import DocumentJSON, ParsedFileJSON, ProvisionJSON
from .jurisdiction import jurisdiction_from_json, jurisdiction_json
from .model import (AgencyMention, Amount, ApplicationWindow, Condition, Document, Lineage, Measure, ParsedFile,
                    Provision, Reference, Revision, Span, Validity)


_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass's serialised field names (fields() per object cost ~10 µs)


def _names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name not in ("line_map", "span"))
    return names


def _plain(obj, later: frozenset[str] = frozenset()):
    """``obj`` as JSON data; the fields named in ``later`` keep their place with None, for the
    caller to fill (children and provisions: serialised once, not once per ancestor)."""
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, tuple | list):
        return [_plain(x) for x in obj]
    if is_dataclass(obj) and not isinstance(obj, type):
        return {n: None if n in later else _plain(getattr(obj, n)) for n in _names(type(obj))}
    return obj


_CHILDREN = frozenset({"children"})
_PROVISIONS = frozenset({"provisions"})


def provision_to_dict(p: Provision) -> ProvisionJSON:
    d = _plain(p, _CHILDREN)
    d.update(line_start=p.span.line_start, line_end=p.span.line_end, page=p.span.page,
             children=[provision_to_dict(c) for c in p.children])
    return d


def document_to_dict(doc: Document) -> DocumentJSON:
    d = _plain(doc, _PROVISIONS)
    d["jurisdiction"] = jurisdiction_json(doc.jurisdiction)
    v = doc.validity
    d.pop("validity")
    d["effective"] = {"start": _plain(v.start), "end": _plain(v.end), "text": v.text, "line": v.line}
    d.update(source=doc.span.source, line_start=doc.span.line_start, line_end=doc.span.line_end,
             provisions=[provision_to_dict(p) for p in doc.provisions],
             application_windows=[window_to_dict(w) for w in document_windows(doc)])
    return d


def window_to_dict(w: ApplicationWindow) -> dict:
    """A window as the contract's ``application_windows`` item (dates as ISO strings)."""
    return _plain(w)


def document_windows(doc: Document) -> list[ApplicationWindow]:
    """The document's application windows in text order, each once (a parent provision's text
    may repeat its children's)."""
    seen: dict[tuple, ApplicationWindow] = {}
    for p in doc.walk():
        for w in p.windows:
            seen.setdefault((w.kind, w.start, w.end, w.yearly_start, w.yearly_end, w.line), w)
    return sorted(seen.values(), key=lambda w: (w.line or 0))


def parsed_file_to_dict(pf: ParsedFile) -> ParsedFileJSON:
    return {"source": pf.source, "format": pf.format, "sha256": pf.sha256,
            "documents": [document_to_dict(d) for d in pf.documents],
            "warnings": list(pf.warnings)}


def _date(s):
    return date.fromisoformat(s) if s else None


def _cond(d: dict) -> Condition:
    v = d.get("value")
    return Condition(field=d["field"], op=d["op"], value=tuple(v) if isinstance(v, list) else v,
                     unit=d.get("unit"), text=d.get("text", ""), line=d.get("line"))


def window_from_dict(d: dict) -> ApplicationWindow:
    return ApplicationWindow(**{**d, "start": _date(d.get("start")), "end": _date(d.get("end"))})


def provision_from_dict(d: dict, source: str) -> Provision:
    return Provision(
        id=d["id"], kind=d["kind"], label=d.get("label"), heading=d.get("heading"), text=d["text"],
        span=Span(source, d["line_start"], d["line_end"], d.get("page")),
        children=tuple(provision_from_dict(c, source) for c in d.get("children", ())),
        amounts=tuple(Amount(**a) for a in d.get("amounts", ())),
        agencies=tuple(AgencyMention(**a) for a in d.get("agencies", ())),
        programmes=tuple(d.get("programmes", ())), beneficiaries=tuple(d.get("beneficiaries", ())),
        conditions=tuple(_cond(c) for c in d.get("conditions", ())),
        benefit_formula=d.get("benefit_formula"),
        measures=tuple(Measure(text=m["text"], conditions=tuple(_cond(c) for c in m.get("conditions", ())),
                               amounts=tuple(Amount(**a) for a in m.get("amounts", ())),
                               benefit_formula=m.get("benefit_formula"), beneficiary=m.get("beneficiary"),
                               purpose=m.get("purpose"), line=m.get("line"), tier_group=m.get("tier_group"))
                       for m in d.get("measures", ())),
        windows=tuple(window_from_dict(w) for w in d.get("windows", ())))


def document_from_dict(d: dict) -> Document:
    """Inverse of :func:`document_to_dict` (fixtures, caches)."""
    src = d.get("source", "")
    e = d.get("effective") or {}
    return Document(
        id=d["id"], title=d.get("title"), doc_type=d.get("doc_type"), issuers=tuple(d.get("issuers", ())),
        doc_number=d.get("doc_number"), issue_date=_date(d.get("issue_date")),
        validity=Validity(_date(e.get("start")), _date(e.get("end")), e.get("text"), e.get("line")),
        span=Span(src, d["line_start"], d["line_end"]),
        provisions=tuple(provision_from_dict(p, src) for p in d.get("provisions", ())),
        revisions=tuple(Revision(r["kind"], _date(r["date"]), r["text"], r.get("by"), r.get("line"))
                        for r in d.get("revisions", ())),
        references=tuple(Reference(**r) for r in d.get("references", ())),
        lineage=tuple(Lineage(**x) for x in d.get("lineage", ())),
        doc_class=d.get("doc_class"), region=d.get("region"), wrapper_title=d.get("wrapper_title"),
        jurisdiction=jurisdiction_from_json(d.get("jurisdiction")))
