"""The graph layer: Document → RDF → store → Document, identity, named-graph updates, locks, SHACL, export."""
from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time

import pytest
import rdflib
from pyoxigraph import RdfFormat
from rdflib.compare import isomorphic

from graph import iri
from graph.build import file_quads, file_triples
from graph.load import documents_from_store
from graph.shacl import union_graph, validate
from graph.store import open_store
from ingest.errors import StoreError
from graph.exporting import export
from graph_samples import load_samples, sample_files


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "store") as st:
        yield st


def _quad_set(st, graph=None):
    return {str(q) for q in st.quads(graph)}


def test_documents_round_trip_through_the_store(store):
    docs = load_samples(store)
    assert documents_from_store(store) == docs


def test_round_trip_keeps_condition_value_types(store):
    load_samples(store)
    values = [c.value for d in documents_from_store(store) for p in d.walk() for m in p.measures for c in m.conditions]
    assert values == [0.3, "高新技术企业", (100000000, 500000000), True, ("集成电路", "生物医药")]
    assert [type(v) for v in values[:4]] == [float, str, tuple, bool]


def test_same_policy_in_two_files_gets_two_documents_one_work(store):
    load_samples(store)
    rows = list(store.select("PREFIX pg: <https://policygraph.example/ns#> "
                             "SELECT ?d ?w WHERE { ?d pg:work ?w ; <http://purl.org/dc/terms/title> ?t }"))
    assert len({r["d"].value for r in rows}) == 2
    assert len({r["w"].value for r in rows}) == 1


def test_reingest_is_idempotent(store):
    load_samples(store)
    before, n = _quad_set(store), store.count()
    load_samples(store)
    assert store.count() == n and _quad_set(store) == before
    key, docs = sample_files()[0]
    g1 = rdflib.Graph().parse(data="\n".join(str(t) + " ." for t in file_triples(docs, key)), format="nt")
    g2 = rdflib.Graph().parse(data="\n".join(str(t) + " ." for t in file_triples(docs, key)), format="nt")
    assert isomorphic(g1, g2) and len(g1) == len(g2)


def test_changed_file_replaces_only_its_named_graph(store):
    load_samples(store)
    (key_a, docs_a), (key_b, _) = sample_files()
    other = _quad_set(store, iri.graph_iri(key_b))
    changed = (dataclasses.replace(docs_a[0], title="新标题", provisions=docs_a[0].provisions[:1]),)
    store.replace_graph(iri.graph_iri(key_a), file_triples(changed, key_a))
    back = documents_from_store(store, iri.graph_iri(key_a))
    assert back == list(changed)
    assert _quad_set(store, iri.graph_iri(key_b)) == other
    assert store.count() == len(file_triples(changed, key_a)) + 1 + len(other)  # + a's content digest


def test_failed_replacement_leaves_old_graph(store):
    load_samples(store)
    g = iri.graph_iri(sample_files()[0][0])
    before = _quad_set(store, g)
    with pytest.raises((SyntaxError, ValueError)):
        store.replace_graph_ntriples(g, '<https://a> <https://b> "ok" .\n<not an iri .\n')
    assert _quad_set(store, g) == before


def test_drop_source(store):
    load_samples(store)
    key_a, key_b = (k for k, _ in sample_files())
    assert store.drop_source(key_a) is True
    assert store.graphs() == [iri.graph_iri(key_b)]
    assert [d.id for d in documents_from_store(store)] == ["compilation:01"]
    assert store.drop_source(key_a) is False


_WRITER = """
import sys, time
from graph.store import open_store
from pyoxigraph import Literal, NamedNode, Triple
st = open_store(sys.argv[1])
g = "https://policygraph.example/id/source/big"
n = int(sys.argv[2])
big = [Triple(NamedNode(f"https://x/{i}"), NamedNode("https://x/p"), Literal(str(i))) for i in range(n)]
st.replace_graph(g, big[:10])
print("ready", flush=True)
while True:
    st.replace_graph(g, big)
    st.replace_graph(g, big[:10])
"""


@pytest.mark.slow
def test_killed_writer_leaves_old_or_new_graph_and_lock_refuses_second_writer(tmp_path):
    path = tmp_path / "store"
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), "50000"], stdout=subprocess.PIPE,
                            cwd=os.path.dirname(os.path.dirname(__file__)))
    try:
        assert proc.stdout.readline().strip() == b"ready"
        with pytest.raises(StoreError, match="in use by another process"):
            open_store(path, wait=0.3)
        time.sleep(1.5)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with open_store(path) as st:  # the dead writer's lock is gone with it
        assert st.count("https://policygraph.example/id/source/big") in (10 + 1, 50000 + 1)  # + the digest


def test_second_writer_in_same_process_is_refused(tmp_path):
    with open_store(tmp_path / "s"):
        t0 = time.monotonic()
        with pytest.raises(StoreError, match="in use"):
            open_store(tmp_path / "s", wait=0.2)
        assert time.monotonic() - t0 < 2


def test_unusable_store_locations_raise_store_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError):
        open_store(tmp_path / "file" / "store")
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "missing", read_only=True)
    with open_store(tmp_path / "s") as st:
        load_samples(st)
    with open_store(tmp_path / "s", read_only=True) as ro:
        assert ro.count() > 0
        with pytest.raises(StoreError, match="read-only"):
            ro.drop_source("a/policy.txt")


def test_graph_is_shacl_valid_and_shapes_can_fail(store):
    load_samples(store)
    quads = list(store.quads())
    ok, report = validate(quads)
    assert ok, report
    broken = [q for q in quads if not (q.predicate.value.endswith("#lineStart") and "/art_1" in q.subject.value)]
    ok, report = validate(broken)
    assert not ok and "lineStart" in report


@pytest.mark.parametrize("fmt", ["ttl", "nq"])
def test_export_import_round_trip_is_isomorphic(store, tmp_path, fmt):
    docs = load_samples(store)
    out = tmp_path / f"graph.{fmt}"
    n = export(store, fmt, out)
    if fmt == "ttl":
        exported = rdflib.Graph().parse(out, format="turtle")
        assert len(exported) == n and isomorphic(exported, union_graph(store.quads()))
    else:
        ds = rdflib.Dataset()
        ds.parse(out, format="nquads")
        assert sum(1 for _ in ds.quads((None, None, None, None))) == n == store.count()
        with open_store(tmp_path / "imported") as st2:  # import the dump into a fresh store
            st2.bulk_load(_parse_nq(out))
            assert documents_from_store(st2) == docs


def _parse_nq(path):
    from pyoxigraph import parse
    return list(parse(path=str(path), format=RdfFormat.N_QUADS))


def test_file_quads_are_all_in_the_files_named_graph():
    key, docs = sample_files()[0]
    quads = file_quads(docs, key)
    assert {q.graph_name.value for q in quads} == {iri.graph_iri(key)}
    assert len(quads) == len(set(map(str, quads)))  # no duplicate triples


def test_bulk_insert_of_new_graphs_round_trips_and_refuses_existing(store):
    (key_a, docs_a), (key_b, docs_b) = sample_files()
    from graph.store_base import ntriples
    store.insert_new_graphs({iri.graph_iri(k): ntriples(file_triples(d, k, sha256="0" * 64, fmt="txt"))
                             for k, d in sample_files()})
    assert documents_from_store(store) == list(docs_a + docs_b)
    with pytest.raises(ValueError, match="exists"):
        store.insert_new_graphs({iri.graph_iri(key_a): ""})


def test_interrupted_bulk_load_is_rolled_back(tmp_path):
    from graph.store import PENDING_NAME
    path = tmp_path / "s"
    with open_store(path) as st:
        load_samples(st)
        kept = {str(q) for q in st.quads()}
        half = "https://policygraph.example/id/source/half"
        st.replace_graph_ntriples(half, '<https://x/a> <https://x/p> "1" .\n')  # as a killed bulk load leaves it
    (path / PENDING_NAME).write_text(half + "\n")
    with pytest.raises(StoreError, match="interrupted bulk load"):
        open_store(path, read_only=True)
    with open_store(path) as st:
        assert st.recovered == [half]
        assert {str(q) for q in st.quads()} == kept
    with open_store(path, read_only=True) as st:
        assert st.count() == len(kept)


def test_every_own_term_is_declared_in_the_ontology():
    from rdflib.namespace import RDF

    from graph.vocab import PG
    from ingest.resources import data_file
    onto = rdflib.Graph().parse(data=data_file("ontology.ttl").read_text(encoding="utf-8"), format="turtle")
    assert [n for n in PG.__annotations__ if (rdflib.URIRef(PG[n]), RDF.type, None) not in onto] == []
