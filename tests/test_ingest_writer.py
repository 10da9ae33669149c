"""The ingest writer: store writes in a thread of their own, parallel bulk loads, order kept, errors raised."""
from __future__ import annotations

import re

import pytest

import graph.store
from graph import iri
from graph.build import file_triples
from graph.load import documents_from_store
from graph.store import open_store
from graph.store_base import graph_nquads, ntriples
from ingest.errors import StoreError
from graph.ingesting import StoreWriter
from graph_samples import sample_files


def _bodies() -> dict[str, str]:
    return {iri.graph_iri(k): ntriples(file_triples(d, k, sha256="0" * 64, fmt="txt")) for k, d in sample_files()}


def _quads(st) -> set[str]:
    return {str(q) for q in st.quads()}


@pytest.mark.parametrize("threads", [1, 2, 5])
def test_parallel_bulk_load_gives_the_same_store_as_one_loader(tmp_path, monkeypatch, threads):
    bodies = _bodies()
    with open_store(tmp_path / "one") as st:
        for g, body in bodies.items():
            st.replace_graph_ntriples(g, body)
        expected = _quads(st)
    monkeypatch.setattr(graph.store, "LOAD_THREADS", threads)
    with open_store(tmp_path / "many") as st:
        st.insert_new_graphs(bodies)
        assert _quads(st) == expected
        assert sorted(st.graphs()) == sorted(bodies)
        assert not (tmp_path / "many" / graph.store.PENDING_NAME).exists()


def test_chunks_split_on_whole_graphs_only():
    bodies = {f"g:{i}": f'<a:s{i}> <a:p> "{i}" .\n<a:s{i}> <a:q> "x" .\n' for i in range(7)}
    chunks = graph.store.nquads_chunks([graph_nquads(g, b) for g, b in bodies.items()], 3)
    assert len(chunks) == 3
    graphs = [[re.search(r"<(g:\d)> \.$", ln).group(1) for ln in c.decode().splitlines()] for c in chunks]
    assert sorted(g for c in graphs for g in c) == sorted(g for g in bodies for _ in range(3))  # 2 + digest
    assert sum(len(set(c)) for c in graphs) == 7  # no graph in two chunks


def test_a_graph_put_again_after_its_bulk_load_is_replaced_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(StoreWriter, "BATCH", 1)  # every put is a bulk load of its own
    (g, body), (g2, body2) = _bodies().items()
    with open_store(tmp_path / "s") as st:
        with StoreWriter(st) as w:
            w.put(g, graph_nquads(g, body), 0)
            w.put(g, graph_nquads(g, body2), 0)  # same graph, new content: must land after the first
        assert {q.graph_name.value for q in st.quads()} == {g}
        assert st.count(g) == body2.count("\n") + 1  # + the content digest


def test_a_write_that_fails_in_the_thread_is_raised_to_the_caller(tmp_path):
    bodies = _bodies()
    with open_store(tmp_path / "s") as st:
        for g, body in bodies.items():
            st.replace_graph_ntriples(g, body)
    with open_store(tmp_path / "s", read_only=True) as ro:
        with pytest.raises(StoreError, match="read-only"):
            with StoreWriter(ro) as w:
                for g, body in bodies.items():
                    w.put(g, graph_nquads(g, body), body.count("\n"))
        assert not w.thread.is_alive()
    with open_store(tmp_path / "s", read_only=True) as st:
        assert len(documents_from_store(st)) == sum(len(d) for _, d in sample_files())
