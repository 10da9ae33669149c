"""Stable IRIs: the same input always mints the same IRI, on any machine and any run.

A *work* (the policy as such) is identified by its 文号, else by title + issue date; a
*document* is one occurrence of a work in one source file, so the same policy reproduced in
two files (a seed and a compilation that reprints it) gives two documents sharing one work.
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from ingest.model import Document
from ingest.sources import id_base, source_key  # noqa: F401 — a file's key and id stem, named here too

from .vocab import ID


def _h(text: str, n: int = 16) -> str:
    """ASCII digest of any (Chinese) text.

    >>> _h("青政字〔2024〕20号")
    '3101f125bcf6f8c9'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def graph_iri(key: str) -> str:
    """The named graph (and prov:Entity) of one source file."""
    return f"{ID}source/{_h(key)}"


def work_key(doc: Document) -> str:
    """What makes two documents the same policy: 文号, else title + date, else the document id.

    The 文号 alone suffices (it embeds the issuer's code: 青政字, 国办发 …) and lets a citation
    that quotes only a 文号 resolve to the work.
    """
    if doc.doc_number:
        return "num:" + doc.doc_number
    if doc.title:
        return f"title:{doc.title}|{doc.issue_date.isoformat() if doc.issue_date else ''}"
    return "id:" + doc.id


def work_iri_for_number(doc_number: str) -> str:
    return f"{ID}work/{_h('num:' + doc_number)}"


def work_iri(doc: Document) -> str:
    return f"{ID}work/{_h(work_key(doc))}"


def document_iri(key: str, doc: Document, occurrence: int = 0) -> str:
    """One document in one source file; ``occurrence`` separates repeats within a file."""
    suffix = f"-{occurrence}" if occurrence else ""
    return f"{ID}doc/{_h(key, 12)}-{_h(work_key(doc), 12)}{suffix}"


def provision_iri(doc_iri: str, path_id: str) -> str:
    """Document IRI + the provision's path id (non-ASCII percent-encoded).

    >>> provision_iri("https://x/doc/1", "chp_2/art_12")
    'https://x/doc/1/chp_2/art_12'
    """
    return f"{doc_iri}/{quote(path_id, safe='/_-.~')}"


def agency_iri(name: str) -> str:
    return f"{ID}agency/{_h(name)}"


SCHEMES = ("programmes", "beneficiary-types", "industries", "document-types")


def scheme_iri(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise ValueError(f"unknown concept scheme {scheme!r}; expected one of {SCHEMES}")
    return f"{ID}scheme/{scheme}"


def concept_iri(scheme: str, label: str) -> str:
    return f"{scheme_iri(scheme)}/{_h(label)}"
