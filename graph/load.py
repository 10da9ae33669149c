"""RDF → the frozen model: the inverse of graph/build.py.

``documents_from_store(store)`` rebuilds every stored Document exactly as it was parsed (except
``Provision.line_map``, which is not stored), so the question layer can run on any store.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from ingest.model import (AgencyMention, Amount, ApplicationWindow, Condition, Document, Jurisdiction, Lineage,
                          Measure, Provision, Reference, Revision, Span, Validity)

from .gcpause import gc_paused
from .vocab import DCTERMS, ELI, PG, PROV, RDF, SDO, SKOS

_XSD = "http://www.w3.org/2001/XMLSchema#"


class _Terms:
    """A vocabulary's terms as plain ``str``, each resolved once: rdflib's ``Namespace.__getattr__``
    costs more than the dict lookup it feeds, and the loader asks for a term per field."""

    def __init__(self, ns):
        self._ns = ns

    def __getattr__(self, name: str) -> str:
        value = str(getattr(self._ns, name))
        setattr(self, name, value)
        return value


DCTERMS, ELI, PG, PROV, RDF, SDO, SKOS = map(_Terms, (DCTERMS, ELI, PG, PROV, RDF, SDO, SKOS))  # type: ignore[misc, assignment]  # plain-str views of the namespaces


def _boolean(v: str) -> bool:
    return v.strip().lower() in ("true", "1")


def _json(v: str):
    return _tuples(json.loads(v))


# datatype IRI → converter of the lexical form (other datatypes, language strings: the text)
_CONVERT = {**{_XSD + k: int for k in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")},
            **{_XSD + k: float for k in ("double", "float", "decimal")},
            _XSD + "boolean": _boolean, _XSD + "date": lambda v: date.fromisoformat(v[:10]),
            RDF.JSON: _json}


def py(term):
    """A literal's Python value (xsd:integer → int, double/decimal → float, boolean, date, JSON);
    an IRI's or blank node's string.

    >>> py(Literal("12", datatype=NamedNode(_XSD + "integer")))
    12
    >>> py(Literal("[1, [2]]", datatype=NamedNode(RDF.JSON)))
    (1, (2,))
    """
    if not isinstance(term, Literal):
        return term.value
    convert = _CONVERT.get(term.datatype.value)
    return term.value if convert is None else convert(term.value)


def _tuples(v):
    """JSON arrays back to the model's tuples; {"date": …} back to a date."""
    if isinstance(v, list):
        return tuple(_tuples(x) for x in v)
    if isinstance(v, dict) and set(v) == {"date"}:
        return date.fromisoformat(v["date"])
    return v


class _Index:
    """subject → predicate → Python values of the objects (:func:`py`), for one graph."""

    def __init__(self, triples: Iterable[Triple]):
        self.by: dict[str, dict[str, list]] = {}
        for s, p, o in triples:
            po = self.by.get(s := s.value)
            if po is None:
                po = self.by[s] = {}
            objs = po.get(p := p.value)
            if objs is None:
                po[p] = [py(o)]
            else:
                objs.append(py(o))

    def all(self, s: str, p: str) -> list:
        return self.by.get(s, {}).get(p, [])

    def one(self, s: str, p: str, default=None):
        objs = self.all(s, p)
        return objs[0] if objs else default

    def nodes(self, s: str, p: str) -> list[str]:
        """Linked nodes sorted by their pg:order."""
        return sorted(self.all(s, p), key=lambda n: self.one(n, PG.order, 0))

    def subjects_of_type(self, cls: str) -> list[str]:
        return [s for s, po in self.by.items() if cls in po.get(RDF.type, ())]


def _amount(ix: _Index, n: str) -> Amount:
    value = ix.one(n, SDO.value)
    return Amount(text=ix.one(n, PG.text, ""), value_yuan=value if value is not None else ix.one(n, SDO.maxValue),
                  kind=ix.one(n, PG.amountKind), beneficiary=ix.one(n, PG.beneficiary),
                  purpose=ix.one(n, PG.purpose), line=ix.one(n, PG.line), min_yuan=ix.one(n, SDO.minValue),
                  ratio=ix.one(n, PG.ratio), base=ix.one(n, PG.ratioBase), role=ix.one(n, PG.amountRole, "benefit"))


def _condition(ix: _Index, n: str) -> Condition:
    value = ix.one(n, PG.valueJSON) if ix.all(n, PG.valueJSON) else ix.one(n, PG.value)
    return Condition(field=ix.one(n, PG.field), op=ix.one(n, PG.op), value=value, unit=ix.one(n, PG.unit),
                     text=ix.one(n, PG.text, ""), line=ix.one(n, PG.line))


def _parts(ix: _Index, n: str):
    return (tuple(_amount(ix, a) for a in ix.nodes(n, PG.hasAmount)),
            tuple(_condition(ix, c) for c in ix.nodes(n, PG.hasCondition)))


def _measure(ix: _Index, n: str) -> Measure:
    amounts, conditions = _parts(ix, n)
    return Measure(text=ix.one(n, PG.text, ""), conditions=conditions, amounts=amounts,
                   benefit_formula=ix.one(n, PG.benefitFormula), beneficiary=ix.one(n, PG.beneficiary),
                   purpose=ix.one(n, PG.purpose), line=ix.one(n, PG.line), tier_group=ix.one(n, PG.tierGroup))


def _window(ix: _Index, n: str) -> ApplicationWindow:
    return ApplicationWindow(kind=ix.one(n, PG.windowKind), text=ix.one(n, PG.text, ""),
                             start=ix.one(n, SDO.startDate), end=ix.one(n, SDO.endDate),
                             time_end=ix.one(n, PG.timeEnd), yearly_start=ix.one(n, PG.yearlyStart),
                             yearly_end=ix.one(n, PG.yearlyEnd), late_refused=ix.one(n, PG.lateRefused, False),
                             line=ix.one(n, PG.line))


def _provision(ix: _Index, n: str, source: str) -> Provision:
    amounts, conditions = _parts(ix, n)
    agencies = tuple(
        AgencyMention(name=ix.one(ix.one(m, PG.agency), SKOS.prefLabel), text=ix.one(m, PG.surface),
                      role=ix.one(m, PG.role))
        for m in ix.nodes(n, PG.hasAgencyMention))
    return Provision(
        id=ix.one(n, DCTERMS.identifier), kind=ix.one(n, PG.kind), label=ix.one(n, ELI.number),
        heading=ix.one(n, PG.heading), text=ix.one(n, PG.text, ""),
        span=Span(source, ix.one(n, PG.lineStart), ix.one(n, PG.lineEnd), ix.one(n, PG.page)),
        children=tuple(_provision(ix, c, source) for c in ix.nodes(n, ELI.has_part)),
        amounts=amounts, agencies=agencies, programmes=ix.one(n, PG.programmeNames, ()),
        beneficiaries=ix.one(n, PG.beneficiaryNames, ()), conditions=conditions,
        benefit_formula=ix.one(n, PG.benefitFormula),
        measures=tuple(_measure(ix, m) for m in ix.nodes(n, PG.hasMeasure)),
        windows=tuple(_window(ix, w) for w in ix.nodes(n, PG.hasApplicationWindow)))


def _document(ix: _Index, d: str) -> Document:
    source = ix.one(ix.one(d, PROV.wasDerivedFrom), PG.path, "")
    doc_type = ix.one(d, ELI.type_document)
    return Document(
        id=ix.one(d, DCTERMS.identifier), title=ix.one(d, DCTERMS.title),
        doc_type=ix.one(doc_type, SKOS.prefLabel) if doc_type else None,
        issuers=ix.one(d, PG.issuerNames, ()), doc_number=ix.one(d, ELI.id_local),
        issue_date=ix.one(d, ELI.date_document),
        validity=Validity(ix.one(d, ELI.first_date_entry_in_force), ix.one(d, ELI.date_no_longer_in_force),
                          ix.one(d, PG.validityText), ix.one(d, PG.validityLine)),
        span=Span(source, ix.one(d, PG.lineStart), ix.one(d, PG.lineEnd), ix.one(d, PG.page)),
        provisions=tuple(_provision(ix, p, source) for p in ix.nodes(d, ELI.has_part)),
        revisions=tuple(Revision(ix.one(r, PG.revisionKind), ix.one(r, DCTERMS.date), ix.one(r, PG.text, ""),
                                 ix.one(r, PG.revisionBy), ix.one(r, PG.line)) for r in ix.nodes(d, PG.hasRevision)),
        references=tuple(Reference(ix.one(r, DCTERMS.title), ix.one(r, PG.docNumber), ix.one(r, PG.text, ""),
                                   ix.one(r, PG.line)) for r in ix.nodes(d, PG.hasReference)),
        lineage=tuple(Lineage(ix.one(x, PG.lineageType), ix.one(x, DCTERMS.title), ix.one(x, PG.docNumber),
                              ix.one(x, PG.text, ""), ix.one(x, PG.line)) for x in ix.nodes(d, PG.hasLineage)),
        doc_class=ix.one(d, PG.docClass), region=ix.one(d, PG.region), wrapper_title=ix.one(d, PG.wrapperTitle),
        jurisdiction=_jurisdiction(ix.one(d, PG.jurisdiction)))


def _jurisdiction(j: dict | None) -> Jurisdiction | None:
    if not j:
        return None
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list | tuple) else v for k, v in j.items()}
    return Jurisdiction(**fields)


def _graph_documents(graph: str, triples: Iterable[Triple]) -> tuple[str, list[Document]]:
    """(source key, its Documents in document order) of one source file's graph."""
    ix = _Index(triples)
    return ix.one(graph, DCTERMS.identifier, graph), [
        _document(ix, d) for d in sorted(ix.subjects_of_type(ELI.LegalResource), key=lambda d: ix.one(d, PG.order, 0))]


def documents_from_store(store, graph: str | None = None) -> list[Document]:
    """Every Document in the store (or in one source graph), ordered by source key, then position.

    Read one named graph at a time, so that only one file's quads are in memory at once.
    """
    per_graph = [graph_documents(store, g) for g in ([graph] if graph else store.graphs())]
    return [d for _, docs in sorted(per_graph, key=lambda kd: kd[0]) for d in docs]


def graph_documents(store, graph: str) -> tuple[str, list[Document]]:
    """(source key, its Documents in order) of one source graph."""
    with gc_paused():
        return _graph_documents(graph, _graph_triples(store, graph))


def graph_digests(store) -> dict[str, str]:
    """Source graph → the pg:contentDigest the store wrote into it (graph/store.py graph_nquads)."""
    rows = store.select(f"SELECT ?g ?d WHERE {{ GRAPH ?g {{ ?g <{PG.contentDigest}> ?d }} }}")
    return {r["g"].value: r["d"].value for r in rows}


def _graph_triples(store, graph: str) -> Iterable[Triple]:
    """One named graph's triples, in the store's order. Embedded: a CONSTRUCT, which is ~15 %
    faster than ``quads()`` (no graph name decoded per quad); an endpoint: ``quads()``, paged."""
    if getattr(store, "remote", True):
        return (q.triple for q in store.quads(graph))
    return store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


def load_documents(store_spec) -> list[Document]:
    """Open a store read-only (a spec: directory or sparql+http://…), read every Document, close it."""
    from .store import open_store
    with open_store(store_spec, read_only=True) as store:
        return documents_from_store(store)
