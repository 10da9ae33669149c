"""The RDF vocabulary: reused standards (ELI, DCTERMS, ORG, SKOS, PROV, schema.org) and the
small own namespace ``PG`` for what they lack. Documented in data/ontology.ttl.

>>> str(ELI.LegalResource)
'http://data.europa.eu/eli/ontology#LegalResource'
>>> str(PG.Condition)
'https://policygraph.example/ns#Condition'
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

__all__ = ["ELI", "PG", "DCTERMS", "ORG", "PROV", "RDF", "RDFS", "SDO", "SKOS", "XSD", "ID", "PREFIXES"]

BASE = "https://policygraph.example/"
ID = Namespace(BASE + "id/")  # minted instance IRIs (see graph/iri.py)


class ELI(DefinedNamespace):
    """European Legislation Identifier ontology (the terms we use)."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    is_part_of: URIRef
    has_part: URIRef
    date_document: URIRef
    first_date_entry_in_force: URIRef
    date_no_longer_in_force: URIRef
    repeals: URIRef
    amends: URIRef
    cites: URIRef
    based_on: URIRef
    implements: URIRef
    passed_by: URIRef
    responsibility_of: URIRef
    type_document: URIRef
    id_local: URIRef
    number: URIRef


class PG(DefinedNamespace):
    """policygraph's own terms: conditions, measures, formulas, provenance spans, lineage detail."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # classes
    SourceFile: URIRef
    Work: URIRef
    Measure: URIRef
    Condition: URIRef
    AgencyMention: URIRef
    Revision: URIRef
    Reference: URIRef
    LineageStatement: URIRef
    ApplicationWindow: URIRef
    # provenance / span
    path: URIRef
    sha256: URIRef
    contentDigest: URIRef
    format: URIRef
    extractor: URIRef
    lineStart: URIRef
    lineEnd: URIRef
    line: URIRef
    page: URIRef
    # document
    work: URIRef
    docClass: URIRef
    region: URIRef
    wrapperTitle: URIRef
    jurisdiction: URIRef
    issuerNames: URIRef
    validityText: URIRef
    validityLine: URIRef
    hasRevision: URIRef
    hasReference: URIRef
    hasLineage: URIRef
    replaces: URIRef
    overrides: URIRef
    # provision
    kind: URIRef
    heading: URIRef
    text: URIRef
    order: URIRef
    programme: URIRef
    beneficiaryType: URIRef
    programmeNames: URIRef
    beneficiaryNames: URIRef
    hasAgencyMention: URIRef
    agency: URIRef
    surface: URIRef
    role: URIRef
    hasMeasure: URIRef
    hasCondition: URIRef
    hasAmount: URIRef
    benefitFormula: URIRef
    tierGroup: URIRef
    beneficiary: URIRef
    purpose: URIRef
    # amount
    amountKind: URIRef
    amountRole: URIRef
    ratio: URIRef
    ratioBase: URIRef
    # condition
    field: URIRef
    op: URIRef
    value: URIRef
    valueJSON: URIRef
    unit: URIRef
    industry: URIRef
    # revision / reference / lineage
    revisionKind: URIRef
    revisionBy: URIRef
    docNumber: URIRef
    lineageType: URIRef
    target: URIRef
    # application window (dates: schema:startDate / schema:endDate)
    hasApplicationWindow: URIRef
    windowKind: URIRef
    timeEnd: URIRef
    yearlyStart: URIRef
    yearlyEnd: URIRef
    lateRefused: URIRef
    # saved profiles on a remote store (queries/watch.py)
    watchState: URIRef


PREFIXES = {"eli": str(ELI._NS), "pg": str(PG._NS), "dcterms": str(DCTERMS), "org": str(ORG),
            "skos": str(SKOS), "prov": str(PROV), "schema": str(SDO), "xsd": str(XSD),
            "rdf": str(RDF), "rdfs": str(RDFS), "id": str(ID)}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, for queries written against this vocabulary.

    >>> "PREFIX eli: <http://data.europa.eu/eli/ontology#>" in sparql_prefixes()
    True
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
