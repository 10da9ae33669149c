"""ingest.distributed: parse on a dask.distributed LocalCluster (loopback only, no dashboard)."""
from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.pipeline import parse_file
from ingest.distributed import map_on_dask, parse_on_dask

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
SMALL = sorted(CORPUS.glob("00[012]_*.txt"))  # the three short seed files: a few seconds in all

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
                                       dashboard_address=None, silence_logs=50)
    c = distributed.Client(cluster, set_as_default=False)
    yield c
    c.close()
    cluster.close()


def test_parse_on_dask_matches_local_parse(client):
    got = dict(parse_on_dask(SMALL, client))
    assert set(got) == set(SMALL)
    for path in SMALL:
        assert got[path] == parse_file(path)


def test_parse_on_dask_accepts_a_folder_and_reports_bad_files(client, tmp_path):
    (tmp_path / "good.txt").write_text(SMALL[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    got = dict(parse_on_dask([tmp_path], client, extract=False))
    assert got[tmp_path / "good.txt"] == parse_file(tmp_path / "good.txt", extract=False)
    err = got[tmp_path / "empty.txt"]
    assert isinstance(err, IngestError) and "empty.txt" in str(err)


def test_map_on_dask_keeps_a_bounded_window_and_returns_every_job(client):
    jobs = [(str(i),) for i in range(25)]
    out = dict(map_on_dask(len, jobs, client, window=3))
    assert out == {(str(i),): len(str(i)) for i in range(25)}


def test_map_on_dask_turns_any_worker_exception_into_an_ingest_error(client):
    (args, err), = list(map_on_dask(int, [("not a number",)], client))
    assert args == ("not a number",)
    assert isinstance(err, IngestError) and "ValueError" in str(err) and "not a number" in str(err)


def test_a_call_that_hangs_is_stopped_by_the_deadline_and_the_rest_go_on(client):
    t0 = time.monotonic()
    out = dict(map_on_dask(time.sleep, [(600,), (0,)], client, timeout=2))
    assert time.monotonic() - t0 < 60
    assert out[(0,)] is None
    assert isinstance(out[(600,)], IngestError) and "timed out after 2 s" in str(out[(600,)])


def test_parsed_files_survive_the_pickling_a_real_cluster_does():
    pf = parse_file(SMALL[0])
    assert pickle.loads(pickle.dumps(pf)) == pf


@pytest.mark.slow
def test_parse_on_dask_with_worker_processes():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=50) as cluster, \
            distributed.Client(cluster, set_as_default=False) as c:
        got = dict(parse_on_dask(SMALL[:1], cluster.scheduler_address))
        worker_pids = set(c.run(os.getpid).values())
    assert worker_pids and os.getpid() not in worker_pids  # results really crossed a process boundary
    assert got[SMALL[0]] == parse_file(SMALL[0])


@pytest.mark.slow
def test_deadline_in_worker_processes_that_may_have_children():
    import dask
    with dask.config.set({"distributed.worker.daemon": False}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None, silence_logs=50) as cluster:
        out = dict(map_on_dask(time.sleep, [(600,), (0,)], cluster.scheduler_address, timeout=2))
        got = dict(parse_on_dask(SMALL[:1], cluster.scheduler_address))  # the worker lived on
    assert "timed out after 2 s" in str(out[(600,)]) and out[(0,)] is None
    assert got[SMALL[0]] == parse_file(SMALL[0])
