"""The catalog's disk cache beside a store: reused by a new process, rebuilt whenever a graph
changes, a damaged or foreign cache file ignored, a store directory that cannot be written still
answered from."""
from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from graph import iri
from graph.build import file_triples
from graph.load import documents_from_store, graph_documents
from graph.store import open_store
from graph_samples import load_samples, sample_files
from queries import catalog as catmod
from graph import catalog_cache

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path):
    """A closed store directory holding the two sample files; returns (spec, documents)."""
    spec = str(tmp_path / "store")
    with open_store(spec) as st:
        docs = load_samples(st)
    return spec, docs


@pytest.fixture
def fresh(monkeypatch):
    """catalog_for_store as a new process sees it (no in-process catalog); lists the graphs it decodes."""
    reads = []

    def counted(st, graph):
        reads.append(graph)
        return graph_documents(st, graph)
    monkeypatch.setattr("graph.load.graph_documents", counted)

    def load(spec):
        catmod._STORE_CACHE.clear()
        return catmod.catalog_for_store(spec)
    load.reads = reads
    yield load
    catmod._STORE_CACHE.clear()


def _cache(spec) -> Path:
    return Path(spec) / catmod.CACHE_NAME


def test_cached_documents_equal_an_uncached_load(store, fresh):
    spec, docs = store
    first = fresh(spec)
    assert _cache(spec).is_file() and sorted(fresh.reads) == sorted(_graphs())
    second = fresh(spec)
    assert len(fresh.reads) == 2  # read back from the cache file, not the graph
    assert list(second.documents) == list(first.documents) == docs
    with open_store(spec, read_only=True) as st:
        assert list(second.documents) == documents_from_store(st)


def test_cache_file_does_not_change_the_fingerprint(store, fresh):
    spec, _ = store
    before = catmod.store_fingerprint(spec)
    fresh(spec)
    assert _cache(spec).is_file() and catmod.store_fingerprint(spec) == before


def test_a_new_process_reads_the_cache_without_reading_the_graph(store, fresh):
    spec, docs = store
    fresh(spec)
    code = ("import sys, graph.load as gl; from queries.catalog import catalog_for_store\n"
            "gl.graph_documents = lambda *a, **k: sys.exit('decoded a graph again')\n"
            "from graph_samples import sample_files\n"
            "docs = [d for _, ds in sample_files() for d in ds]\n"
            f"assert list(catalog_for_store({spec!r}).documents) == docs\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def _put(st, key, docs, **change):
    """Write ``docs`` (each with ``change``: field → function of the old value) as file ``key``."""
    docs = tuple(dataclasses.replace(d, **{f: fn(getattr(d, f)) for f, fn in change.items()}) for d in docs)
    st.replace_graph(iri.graph_iri(key), file_triples(docs, key, sha256="0" * 64, fmt="txt"))
    return docs


def _graphs() -> list[str]:
    return [iri.graph_iri(k) for k, _ in sample_files()]


@pytest.mark.parametrize("change", ["replace", "drop", "add", "rewrite same"])
def test_a_graph_change_decodes_only_that_graph_again(store, fresh, change):
    spec, docs = store
    fresh(spec)
    (key_a, docs_a), (key_b, docs_b) = sample_files()
    with open_store(spec) as st:
        if change == "replace":
            expected, decoded = list(_put(st, key_a, docs_a, title=lambda t: (t or "") + "（修订）") + docs_b), [key_a]
        elif change == "drop":
            st.drop_source(key_a)
            expected, decoded = list(docs_b), []
        elif change == "add":
            expected, decoded = docs + list(_put(st, "zz/new.txt", docs_a, id=lambda i: "new:" + i)), ["zz/new.txt"]
        else:  # the store's files change, the graph's content does not
            expected, decoded = docs, []
            _put(st, key_a, docs_a)
    assert list(fresh(spec).documents) == expected
    assert fresh.reads[2:] == [iri.graph_iri(k) for k in decoded]
    assert list(fresh(spec).documents) == expected and len(fresh.reads) == 2 + len(decoded)  # the new cache is used


def test_graphs_without_a_digest_are_always_decoded(store, fresh):
    spec, docs = store
    (key_a, docs_a), _ = sample_files()
    g = iri.graph_iri(key_a)
    with open_store(spec) as st:  # as a store written before digests were
        st._store.update(f"DELETE WHERE {{ GRAPH <{g}> {{ <{g}> <https://policygraph.example/ns#contentDigest> ?d }} }}")
    fresh(spec)
    with open_store(spec) as st:  # another file: b keeps its digest, a has none
        added = _put(st, "zz/new.txt", docs_a, id=lambda i: "new:" + i)
    assert list(fresh(spec).documents) == docs + list(added)
    assert fresh.reads.count(g) == 2 and len(fresh.reads) == 4


def test_damaged_or_foreign_cache_is_rebuilt_not_an_error(store, fresh, monkeypatch):
    spec, docs = store
    fresh(spec)
    good = _cache(spec).read_bytes()
    header = pickle.dumps([catalog_cache._code_version(), catmod.store_fingerprint(spec)])
    marker = Path(spec).parent / "planted-code-ran"

    class Planted:  # unpickled by a plain pickle.load, this would create ``marker``
        def __reduce__(self):
            return open, (str(marker), "w")
    for bad in (b"", b"not a pickle", good[: len(good) // 2], header + pickle.dumps(Planted())):
        _cache(spec).write_bytes(bad)
        reads = len(fresh.reads)
        assert list(fresh(spec).documents) == docs and len(fresh.reads) == reads + 2
        assert _cache(spec).read_bytes() != bad  # rewritten
    assert not marker.exists()
    monkeypatch.setattr(catalog_cache, "_code_version", lambda: "model changed since")
    reads = len(fresh.reads)
    assert list(fresh(spec).documents) == docs and len(fresh.reads) == reads + 2


def test_unwritable_store_directory_still_answers(store, fresh, monkeypatch):
    spec, docs = store
    real_connect = catalog_cache.sqlite3.connect

    def no_writes(path, *a, **k):  # root ignores chmod, so refuse to create or write the database
        return real_connect(f"file:{path}?mode=ro", *a, uri=True, **k)
    monkeypatch.setattr(catalog_cache.sqlite3, "connect", no_writes)
    assert list(fresh(spec).documents) == docs
    assert sorted(p.name for p in Path(spec).glob("policygraph-*")) == []


def test_ingest_writes_the_rows_so_no_graph_is_decoded_and_documents_equal_the_store(tmp_path, fresh):
    from graph.ingesting import ingest_paths
    spec = str(tmp_path / "store")
    ingest_paths([ROOT / "data" / "corpus"], spec)
    docs = list(fresh(spec).documents)
    assert fresh.reads == [] and docs
    with open_store(spec, read_only=True) as st:
        assert docs == documents_from_store(st)
