"""Hand-built Documents for the graph tests (the ingest stages are not needed to test the graph)."""
from __future__ import annotations

import json
from pathlib import Path

from graph import iri
from graph.build import file_triples
from ingest.serialize import document_from_dict

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "graph_two_files.json"


def sample_files() -> list[tuple[str, tuple]]:
    """[(source key, documents)] — two files; the second reprints the first file's policy."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [(f["key"], tuple(document_from_dict(d) for d in f["documents"])) for f in data["files"]]


def load_samples(store) -> list:
    """Write every sample file into its named graph; returns all documents in file order."""
    docs = []
    for key, file_docs in sample_files():
        store.replace_graph(iri.graph_iri(key), file_triples(file_docs, key, sha256="0" * 64, fmt="txt"))
        docs.extend(file_docs)
    return docs
