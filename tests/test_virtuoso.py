"""The same graph layer against a real SPARQL 1.1 server: Virtuoso started on loopback for the test."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time

import pytest

from graph import iri
from graph.load import documents_from_store
from graph.remote import SparqlStore
from graph.store import open_store
from graph_samples import load_samples, sample_files
from queries.sparql import run_query

pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{port}
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
ThreadsPerQuery = 2
MaxQueryMem = 500M

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A throwaway Virtuoso: ini in a temp folder, free loopback ports, SPARQL_UPDATE granted."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not exe or not isql:
        print("virtuoso-t/isql-vt not installed (Debian virtuoso-opensource): skipping")
        pytest.skip("virtuoso-t not installed (apt-get install virtuoso-opensource)")
    d = tmp_path_factory.mktemp("virtuoso")
    port, http = _free_port(), _free_port()
    (d / "virtuoso.ini").write_text(INI.format(d=d, port=port, http=http))
    subprocess.run([exe, "-c", str(d / "virtuoso.ini"), "+wait"], cwd=d, check=True, timeout=120,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid = int(re.search(r"VIRT_PID=(\d+)", (d / "virtuoso.lck").read_text()).group(1))
    try:
        subprocess.run([isql, f"127.0.0.1:{port}", "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
                       check=True, timeout=60, stdout=subprocess.DEVNULL)
        yield f"sparql+http://127.0.0.1:{http}/sparql"
    finally:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)


def test_documents_round_trip_through_virtuoso_as_through_oxigraph(virtuoso, tmp_path):
    remote = SparqlStore(virtuoso.removeprefix("sparql+"), chunk=50)  # many update requests per graph
    for key, _ in sample_files():
        remote.drop_source(key)
    docs = load_samples(remote)
    with open_store(tmp_path / "local") as local:
        load_samples(local)
        assert documents_from_store(local) == docs
        assert remote.count() == local.count()
    assert documents_from_store(remote) == docs


def test_big_graph_replacement_is_never_seen_half_written(virtuoso):
    """A graph of more than ``chunk`` triples is staged in several requests and moved in by one:
    a reader polling meanwhile sees the old triple count or the new one, nothing between."""
    import threading
    from graph.build import file_triples
    from graph.store_base import ntriples
    (key_a, docs_a), (key_b, docs_b) = sample_files()
    remote = SparqlStore(virtuoso.removeprefix("sparql+"), chunk=40)
    g = iri.graph_iri("staging-test")
    new, old = (ntriples(file_triples(d, k, sha256="0" * 64, fmt="txt")) for k, d in ((key_a, docs_a), (key_b, docs_b)))
    remote.replace_graph_ntriples(g, old)
    n_old, n_new = remote.count(g), new.count("\n") + 1  # + the content digest
    assert n_old == old.count("\n") + 1 != n_new and n_new > 3 * remote.chunk
    seen, done = set(), threading.Event()
    writer = threading.Thread(target=lambda: (remote.replace_graph_ntriples(g, new), done.set()))
    writer.start()
    while not done.is_set():
        seen.add(remote.count(g))
    writer.join()
    assert seen <= {n_old, n_new}, seen
    assert remote.count(g) == n_new
    leftover = remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                             f"FILTER(STRSTARTS(STR(?g), \"{iri.ID}staging/\")) }}")
    assert not list(leftover)
    remote.drop_graph(g)


def test_virtuoso_replace_and_drop_named_graph(virtuoso):
    remote = open_store(virtuoso)
    load_samples(remote)
    (key_a, docs_a), (key_b, _) = sample_files()
    n_b = remote.count(iri.graph_iri(key_b))
    load_samples(remote)  # idempotent
    assert remote.count(iri.graph_iri(key_b)) == n_b
    assert remote.drop_source(key_a) is True
    assert iri.graph_iri(key_a) not in remote.graphs()
    assert [d.id for d in documents_from_store(remote)] == ["compilation:01"]


def test_read_only_query_on_virtuoso(virtuoso):
    load_samples(open_store(virtuoso))
    res = run_query(virtuoso, "SELECT ?t WHERE { ?d a eli:LegalResource ; dcterms:title ?t }")
    assert {b["t"]["value"] for b in res["results"]["bindings"]} == {"青岛市关于支持企业加大研发投入的若干政策"}
    with pytest.raises(ValueError, match="not allowed"):
        run_query(virtuoso, "CLEAR ALL")


def test_ingest_seed_into_virtuoso_reads_back_like_embedded(virtuoso, tmp_path):
    from conftest import seed
    from graph.ingesting import ingest_paths
    files = [seed("000"), seed("002")]
    remote = ingest_paths(files, virtuoso)
    local = ingest_paths(files, str(tmp_path / "local"))
    assert remote["errors"] == local["errors"] == [] and remote["triples"] == local["triples"]
    with open_store(tmp_path / "local", read_only=True) as st:
        expected = documents_from_store(st)
    remote_docs = documents_from_store(open_store(virtuoso))
    assert [d for d in remote_docs if d.span.source in {str(f) for f in files}] == expected
