"""Application windows of measures: those of a measure's provision or the nearest enclosing
provision stating any, else its document's (a 申报通知 states the window once, in its own section),
else those of the calls for applications in the store that cite its document (a 申报通知 under
《…办法》(文号)). Eligibility attaches them to its results; queries.calendar dates them.
"""
from __future__ import annotations

from ingest.rules import load as load_rules
from ingest.model import ApplicationWindow, Document
from ingest.serialize import document_windows, window_to_dict

from .catalog import Catalog, doc_ref, norm_doc_number, norm_title


def _doc_windows(catalog: Catalog, doc: Document) -> dict[str, tuple[ApplicationWindow, ...]]:
    """Provision id → the windows that apply to it (own, nearest ancestor's, else the document's)."""
    memo = catalog.memo.setdefault("windows", {})
    if doc.id in memo:
        return memo[doc.id]
    whole = tuple(document_windows(doc))
    out: dict[str, tuple[ApplicationWindow, ...]] = {}

    def visit(p, inherited):
        own = tuple(dict.fromkeys(p.windows)) or inherited
        out[p.id] = own
        for c in p.children:
            visit(c, own)
    for p in doc.provisions:
        visit(p, ())
    memo[doc.id] = {k: v or whole for k, v in out.items()}
    return memo[doc.id]


def calls_citing(catalog: Catalog) -> dict[str, list[Document]]:
    """Document id → the calls for applications (data/rules/windows.yaml ``call_types``) in the
    catalog that state windows and cite it by 文号, else by its exact title."""
    if "calls_citing" in catalog.memo:
        return catalog.memo["calls_citing"]
    types = set(load_rules("windows")["call_types"])
    by_number = {norm_doc_number(d.doc_number): d for d in catalog.documents if d.doc_number}
    by_title = {norm_title(d.title): d for d in catalog.documents if d.title}
    out: dict[str, list[Document]] = {}
    for call in catalog.documents:
        if call.doc_type not in types or not document_windows(call):
            continue
        for ref in call.references:
            target = by_number.get(norm_doc_number(ref.doc_number)) if ref.doc_number else None
            target = target or by_title.get(norm_title(ref.title))
            if target is not None and target.id != call.id and call not in out.get(target.id, []):
                out.setdefault(target.id, []).append(call)
    catalog.memo["calls_citing"] = out
    return out


def measure_windows(catalog: Catalog, doc_id: str, provision_id: str) -> list[dict]:
    """The application windows (contract items) of a measure in ``provision_id`` of ``doc_id``;
    a window from a call citing the document carries the call as ``via``."""
    doc = catalog.by_id.get(doc_id)
    if doc is None:
        return []
    windows = _doc_windows(catalog, doc).get(provision_id) or tuple(document_windows(doc))
    if windows:
        return [window_to_dict(w) for w in windows]
    return [dict(window_to_dict(w), via=doc_ref(call)) for call in calls_citing(catalog).get(doc_id, ())
            for w in document_windows(call)]


def attach_windows(catalog: Catalog, results: list[dict]) -> None:
    """Add ``application_windows`` to eligibility results (in place)."""
    for r in results:
        if "document" in r and "provision" in r:
            r["application_windows"] = measure_windows(catalog, r["document"]["id"], r["provision"]["id"])
