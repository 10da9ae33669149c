"""Documents → RDF triples (pyoxigraph terms), one named graph per source file.

Everything ``graph.load.documents_from_store`` needs to rebuild the frozen model is stored
(ordered tuples carry ``pg:order``; ordered string lists an ``rdf:JSON`` literal beside their
links to concepts), and every provision, measure, amount and condition node carries its span:
``prov:wasDerivedFrom`` the source file, ``pg:lineStart``/``pg:lineEnd`` (+ ``pg:page``).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from pyoxigraph import Literal, NamedNode, Quad, Triple

from ingest.model import Amount, Condition, Document, Measure, Provision

from . import iri
from .vocab import DCTERMS, ELI, ORG, PG, PROV, RDF, SDO, SKOS, XSD

EXTRACTOR = "policygraph ingest (rules: data/rules)"


def _n(term) -> NamedNode:
    return NamedNode(str(term))


A = _n(RDF.type)
T_INT, T_DOUBLE, T_BOOL, T_DATE, T_JSON = (_n(XSD.integer), _n(XSD.double), _n(XSD.boolean),
                                          _n(XSD.date), _n(RDF.JSON))
# predicate objects built once: term construction dominates build time
P = {name: _n(getattr(PG, name)) for name in PG.__annotations__}
E = {name: _n(getattr(ELI, name)) for name in ELI.__annotations__}
TITLE, IDENT, DATE = _n(DCTERMS.title), _n(DCTERMS.identifier), _n(DCTERMS.date)
DERIVED, PREF, ALT, IN_SCHEME = _n(PROV.wasDerivedFrom), _n(SKOS.prefLabel), _n(SKOS.altLabel), _n(SKOS.inScheme)
VALUE, MIN_VALUE, MAX_VALUE, CURRENCY = _n(SDO.value), _n(SDO.minValue), _n(SDO.maxValue), _n(SDO.currency)
MAX_KINDS = {"cap", "annual_cap", "range"}  # value_yuan is an upper bound → schema:maxValue
LINEAGE_LINK = {"repeals": ELI.repeals, "amends": ELI.amends, "revises": ELI.amends,
                "replaces": PG.replaces, "overrides_inconsistent": PG.overrides,
                "implements": ELI.implements, "based_on": ELI.based_on}


def lit(value) -> Literal:
    """A typed literal for a Python scalar (bool before int: bool is an int).

    >>> lit(True).datatype.value.endswith("boolean"), lit(3).value, lit(0.1).datatype.value[-6:]
    (True, '3', 'double')
    """
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=T_BOOL)
    if isinstance(value, int):
        return Literal(str(value), datatype=T_INT)
    if isinstance(value, float):
        return Literal(repr(value), datatype=T_DOUBLE)
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=T_DATE)
    if isinstance(value, str):
        return Literal(value)
    raise ValueError(f"cannot store {value!r} ({type(value).__name__}) as an RDF literal")


def json_lit(value) -> Literal:
    return Literal(json.dumps(value, ensure_ascii=False, default=_json_default), datatype=T_JSON)


def _json_default(v):
    if isinstance(v, date):
        return {"date": v.isoformat()}
    raise ValueError(f"cannot store {v!r} in a condition value")


class _Builder:
    """Collects the triples of one source file."""

    def __init__(self, src: NamedNode):
        self.src = src
        self.out: list[Triple] = []

    def add(self, s, p, o) -> None:
        self.out.append(Triple(s, p, o))

    def opt(self, s, p, value) -> None:
        if value is not None:
            self.add(s, p, lit(value))

    def span(self, node, start: int | None, end: int | None, page: int | None = None) -> None:
        self.add(node, DERIVED, self.src)
        self.opt(node, P["lineStart"], start)
        self.opt(node, P["lineEnd"], end)
        self.opt(node, P["page"], page)

    def concept(self, scheme: str, label: str) -> NamedNode:
        c = NamedNode(iri.concept_iri(scheme, label))
        self.add(c, A, _n(SKOS.Concept))
        self.add(c, PREF, Literal(label))
        self.add(c, IN_SCHEME, NamedNode(iri.scheme_iri(scheme)))
        self.add(NamedNode(iri.scheme_iri(scheme)), A, _n(SKOS.ConceptScheme))
        return c

    def agency(self, name: str, surface: str | None = None) -> NamedNode:
        o = NamedNode(iri.agency_iri(name))
        self.add(o, A, _n(ORG.Organization))
        self.add(o, PREF, Literal(name))
        if surface and surface != name:
            self.add(o, ALT, Literal(surface))
        return o

    # -- model parts ---------------------------------------------------------------------
    def amount(self, node, a: Amount, order: int, fallback: tuple[int, int]) -> None:
        self.add(node, A, _n(SDO.MonetaryAmount))
        self.add(node, CURRENCY, Literal("CNY"))
        self.add(node, P["text"], Literal(a.text))
        self.add(node, P["amountKind"], Literal(a.kind))
        if a.value_yuan is not None:
            self.add(node, MAX_VALUE if a.kind in MAX_KINDS else VALUE, lit(a.value_yuan))
        self.opt(node, MIN_VALUE, a.min_yuan)
        self.opt(node, P["ratio"], None if a.ratio is None else float(a.ratio))
        self.opt(node, P["ratioBase"], a.base)
        self.opt(node, P["beneficiary"], a.beneficiary)
        self.opt(node, P["purpose"], a.purpose)
        self.opt(node, P["line"], a.line)
        self.add(node, P["order"], lit(order))
        self.span(node, a.line or fallback[0], a.line or fallback[1])

    def condition(self, node, c: Condition, order: int, fallback: tuple[int, int]) -> None:
        self.add(node, A, P["Condition"])
        self.add(node, P["field"], Literal(c.field))
        self.add(node, P["op"], Literal(c.op))
        if isinstance(c.value, tuple | list | dict):
            self.add(node, P["valueJSON"], json_lit(c.value))
        elif c.value is not None:
            self.add(node, P["value"], lit(c.value))
        if c.field == "industries":
            for label in (c.value if isinstance(c.value, tuple | list) else (c.value,)):
                if isinstance(label, str):
                    self.add(node, P["industry"], self.concept("industries", label))
        self.opt(node, P["unit"], c.unit)
        self.add(node, P["text"], Literal(c.text))
        self.opt(node, P["line"], c.line)
        self.add(node, P["order"], lit(order))
        self.span(node, c.line or fallback[0], c.line or fallback[1])

    def parts(self, node, base: str, amounts, conditions, fallback) -> None:
        for i, a in enumerate(amounts):
            n = NamedNode(f"{base}amount-{i}")
            self.add(node, P["hasAmount"], n)
            self.amount(n, a, i, fallback)
        for i, c in enumerate(conditions):
            n = NamedNode(f"{base}condition-{i}")
            self.add(node, P["hasCondition"], n)
            self.condition(n, c, i, fallback)

    def measure(self, node, m: Measure, order: int, fallback: tuple[int, int]) -> None:
        self.add(node, A, P["Measure"])
        self.add(node, P["text"], Literal(m.text))
        self.add(node, P["order"], lit(order))
        for key in ("benefit_formula", "beneficiary", "purpose", "line", "tier_group"):
            self.opt(node, P[_camel(key)], getattr(m, key))
        self.span(node, m.line or fallback[0], m.line or fallback[1])
        self.parts(node, f"{node.value}-", m.amounts, m.conditions, fallback)

    def provision(self, p: Provision, node: NamedNode, parent: NamedNode, order: int,
                  doc_iri: str, seen: set[str]) -> None:
        self.add(node, A, E["LegalResourceSubdivision"])
        self.add(node, IDENT, Literal(p.id))
        self.add(node, P["kind"], Literal(p.kind))
        self.opt(node, E["number"], p.label)
        self.opt(node, P["heading"], p.heading)
        self.add(node, P["text"], Literal(p.text))
        self.add(node, P["order"], lit(order))
        self.add(node, E["is_part_of"], parent)
        self.add(parent, E["has_part"], node)
        self.span(node, p.span.line_start, p.span.line_end, p.span.page)
        fallback = (p.span.line_start, p.span.line_end)
        for names, key, scheme, link in ((p.programmes, "programmeNames", "programmes", "programme"),
                                         (p.beneficiaries, "beneficiaryNames", "beneficiary-types",
                                          "beneficiaryType")):
            if names:
                self.add(node, P[key], json_lit(list(names)))
                for label in names:
                    self.add(node, P[link], self.concept(scheme, label))
        for i, m in enumerate(p.agencies):
            mention = NamedNode(f"{node.value}#agency-{i}")
            org = self.agency(m.name, m.text)
            self.add(node, P["hasAgencyMention"], mention)
            self.add(node, E["responsibility_of"], org)
            self.add(mention, A, P["AgencyMention"])
            self.add(mention, P["agency"], org)
            self.add(mention, P["surface"], Literal(m.text))
            self.opt(mention, P["role"], m.role)
            self.add(mention, P["order"], lit(i))
        self.opt(node, P["benefitFormula"], p.benefit_formula)
        self.parts(node, f"{node.value}#", p.amounts, p.conditions, fallback)
        for i, measure in enumerate(p.measures):
            mnode = NamedNode(f"{node.value}#measure-{i}")
            self.add(node, P["hasMeasure"], mnode)
            self.measure(mnode, measure, i, fallback)
        for i, c in enumerate(p.children):
            self.provision(c, _unique_node(doc_iri, c.id, seen), node, i, doc_iri, seen)

    def document(self, doc: Document, key: str, order: int, occurrence: int) -> None:
        d = NamedNode(iri.document_iri(key, doc, occurrence))
        work = NamedNode(iri.work_iri(doc))
        self.add(d, A, E["LegalResource"])
        self.add(d, IDENT, Literal(doc.id))
        self.add(d, P["order"], lit(order))
        self.add(d, P["work"], work)
        self.add(work, A, P["Work"])
        self.opt(d, TITLE, doc.title)
        self.opt(d, E["id_local"], doc.doc_number)
        self.opt(d, E["date_document"], doc.issue_date)
        if doc.doc_type:
            self.add(d, E["type_document"], self.concept("document-types", doc.doc_type))
        self.opt(d, P["docClass"], doc.doc_class)
        self.opt(d, P["region"], doc.region)
        self.opt(d, P["wrapperTitle"], doc.wrapper_title)
        if doc.issuers:
            self.add(d, P["issuerNames"], json_lit(list(doc.issuers)))
            for name in doc.issuers:
                self.add(d, E["passed_by"], self.agency(name))
        v = doc.validity
        self.opt(d, E["first_date_entry_in_force"], v.start)
        self.opt(d, E["date_no_longer_in_force"], v.end)
        self.opt(d, P["validityText"], v.text)
        self.opt(d, P["validityLine"], v.line)
        self.span(d, doc.span.line_start, doc.span.line_end, doc.span.page)
        for i, r in enumerate(doc.revisions):
            n = NamedNode(f"{d.value}#revision-{i}")
            self.add(d, P["hasRevision"], n)
            self.add(n, A, P["Revision"])
            self.add(n, P["revisionKind"], Literal(r.kind))
            self.add(n, DATE, lit(r.date))
            self.add(n, P["text"], Literal(r.text))
            self.add(n, P["order"], lit(i))
        for i, ref in enumerate(doc.references):
            n = self._relation(d, f"{d.value}#reference-{i}", "Reference", "hasReference", i,
                               ref.title, ref.doc_number, ref.text, ref.line)
            if ref.doc_number:
                self.add(d, E["cites"], NamedNode(iri.work_iri_for_number(ref.doc_number)))
        for i, x in enumerate(doc.lineage):
            n = self._relation(d, f"{d.value}#lineage-{i}", "LineageStatement", "hasLineage", i,
                               x.target_title, x.target_doc_number, x.text, x.line)
            self.add(n, P["lineageType"], Literal(x.type))
            if x.target_doc_number and x.type in LINEAGE_LINK:
                self.add(d, _n(LINEAGE_LINK[x.type]), NamedNode(iri.work_iri_for_number(x.target_doc_number)))
        seen: set[str] = set()
        for i, p in enumerate(doc.provisions):
            self.provision(p, _unique_node(d.value, p.id, seen), d, i, d.value, seen)

    def _relation(self, d, node_iri, cls, link, order, title, number, text, line) -> NamedNode:
        n = NamedNode(node_iri)
        self.add(d, P[link], n)
        self.add(n, A, P[cls])
        self.opt(n, TITLE, title)
        self.opt(n, P["docNumber"], number)
        self.add(n, P["text"], Literal(text))
        self.opt(n, P["line"], line)
        self.add(n, P["order"], lit(order))
        if number:
            self.add(n, P["target"], NamedNode(iri.work_iri_for_number(number)))
        if line is not None:
            self.span(n, line, line)
        return n


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.title() for w in rest)


def _unique_node(doc_iri: str, path_id: str, seen: set[str]) -> NamedNode:
    """Provision IRI; a repeated path id (a segmenter slip) gets a suffix instead of merging nodes."""
    base = iri.provision_iri(doc_iri, path_id)
    candidate, n = base, 1
    while candidate in seen:
        candidate, n = f"{base}~{n}", n + 1
    seen.add(candidate)
    return NamedNode(candidate)


def file_triples(documents: Iterable[Document], key: str, *, path: str | None = None,
                 sha256: str | None = None, fmt: str | None = None) -> list[Triple]:
    """All triples of one source file (to be stored in the named graph ``iri.graph_iri(key)``)."""
    documents = tuple(documents)
    src = NamedNode(iri.graph_iri(key))
    b = _Builder(src)
    b.add(src, A, P["SourceFile"])
    b.add(src, A, _n(PROV.Entity))
    b.add(src, IDENT, Literal(key))
    path = path if path is not None else (documents[0].span.source if documents else key)
    b.add(src, P["path"], Literal(path))
    b.opt(src, P["sha256"], sha256)
    b.opt(src, P["format"], fmt)
    b.add(src, P["extractor"], Literal(EXTRACTOR))
    occurrences: dict[str, int] = {}
    for order, doc in enumerate(documents):
        wk = iri.work_key(doc)
        b.document(doc, key, order, occurrences.get(wk, 0))
        occurrences[wk] = occurrences.get(wk, 0) + 1
    return list(dict.fromkeys(b.out))  # shared nodes (agencies, concepts) are emitted per mention


def file_quads(documents: Iterable[Document], key: str, **kw) -> list[Quad]:
    """:func:`file_triples` placed in the file's named graph."""
    g = NamedNode(iri.graph_iri(key))
    return [Quad(t.subject, t.predicate, t.object, g) for t in file_triples(documents, key, **kw)]
