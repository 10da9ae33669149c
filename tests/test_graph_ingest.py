"""`policygraph ingest` end to end on the bundled corpus: SHACL, exact reload, idempotence, bad files."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import CORPUS, seed
from graph import iri
from graph.load import documents_from_store
from graph.shacl import validate
from graph.store import open_store
from ingest.pipeline import discover, parse_file
from graph.ingesting import ingest_paths

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("ingest") / "store"
    summary = ingest_paths([CORPUS], str(path))
    return path, summary


def test_summary_matches_contract_and_store(corpus_store, schema):
    path, summary = corpus_store
    schema("ingest", summary)
    assert summary["errors"] == [] and summary["files"] == len(discover([CORPUS]))
    with open_store(path, read_only=True) as st:
        assert st.count() == summary["store_triples"] == summary["triples"]
        assert len(st.graphs()) == summary["files"]


def test_corpus_graph_is_shacl_valid(corpus_store):
    with open_store(corpus_store[0], read_only=True) as st:
        ok, report = validate(st.quads())
    assert ok, report[:3000]


def test_store_gives_back_the_parsed_documents(corpus_store):
    parsed = [d for f in discover([CORPUS]) for d in parse_file(f).documents]
    with open_store(corpus_store[0], read_only=True) as st:
        assert documents_from_store(st) == parsed


def test_reingest_same_files_gives_same_graph(corpus_store, tmp_path):
    small = tmp_path / "two"
    small.mkdir()
    for p in ("000", "002"):
        shutil.copy(seed(p), small)
    store = str(tmp_path / "s")
    first = ingest_paths([small], store)
    with open_store(store) as st:
        before = {str(q) for q in st.quads()}
    second = ingest_paths([small], store)
    with open_store(store) as st:
        assert {str(q) for q in st.quads()} == before
    assert first["store_triples"] == second["store_triples"] == len(before)


def test_bad_files_are_reported_and_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed("002"), folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.pdf").write_bytes(bytes(range(256)) * 20)
    summary = ingest_paths([folder, tmp_path / "missing.txt"], str(tmp_path / "s"))
    assert sorted(e["file"].rsplit("/", 1)[-1] for e in summary["errors"]) == ["empty.txt", "garbage.pdf",
                                                                             "missing.txt"]
    assert all(e["error"] for e in summary["errors"])
    assert summary["files"] == 1 and summary["documents"] >= 1
    with open_store(tmp_path / "s", read_only=True) as st:
        assert st.graphs() == [iri.graph_iri(seed("002").name)]


def test_two_workers_give_the_same_graph_as_one(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in ("000", "001", "002"):
        shutil.copy(seed(p), folder)
    graphs = []
    for workers in (1, 2):
        store = str(tmp_path / f"s{workers}")
        ingest_paths([folder], store, workers=workers)
        with open_store(store, read_only=True) as st:
            graphs.append({str(q) for q in st.quads()})
    assert graphs[0] == graphs[1]


def test_cli_ingest_json(tmp_path):
    from typer.testing import CliRunner

    from cli import app
    res = CliRunner().invoke(app, ["ingest", str(seed("002")), "--store", str(tmp_path / "s"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["documents"] >= 1


def test_dask_local_cluster_gives_the_same_graph(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed("002"), folder)
    ingest_paths([folder], str(tmp_path / "plain"))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        summary = ingest_paths([folder], str(tmp_path / "dask"), dask=cluster.scheduler_address)
    assert summary["errors"] == [] and summary["files"] == 1
    quads = []
    for name in ("plain", "dask"):
        with open_store(tmp_path / name, read_only=True) as st:
            quads.append({str(q) for q in st.quads()})
    assert quads[0] == quads[1]
