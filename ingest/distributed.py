"""Parse and extract on a dask.distributed cluster (``policygraph ingest --dask SCHEDULER``).

The cluster only runs the CPU-bound part (read → clean → … → extract, and optionally the
graph building of ``graph.ingesting.parse_to_quads``); the client loads the results into the
store with the normal loader, so the store (embedded or a SPARQL endpoint) has one writer.

Requirements on the cluster: every worker has policygraph importable (same version) and sees the
input files at the same paths (shared file system). Results come back as they complete, not in
input order; at most ``window`` tasks are in flight, so memory stays bounded for any corpus size.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import cast

from ingest.errors import IngestError
from ingest.model import ParsedFile
from ingest.pipeline import discover, parse_file
from ingest.safety import FILE_TIMEOUT_S, isolated

WINDOW_PER_THREAD = 4  # tasks in flight per worker thread: keeps workers busy, memory bounded


def _guarded(fn: Callable, timeout: float | None, *args):
    """Run ``fn`` on a worker; a failure comes back as plain values (IngestError does not pickle).

    With a ``timeout``, in a forked child under that deadline (ingest/safety.py), so a file that
    hangs its parser is stopped and reported and the dask worker lives on. A daemonic worker
    process (dask's default for nanny-started workers) may not have children: there the call runs
    in the worker itself, without a deadline (start workers with
    ``DASK_DISTRIBUTED__WORKER__DAEMON=False`` to get it).
    """
    if timeout and not multiprocessing.current_process().daemon:
        (_, ok, value), = isolated(fn, [args], workers=1, timeout=timeout)
        return (True, value) if ok else (False, (str(args[0]) if args else "?", None, value))
    try:
        return True, fn(*args)
    except Exception as e:  # noqa: BLE001 — one bad file must not fail the batch
        if isinstance(e, IngestError):
            return False, (e.file, e.place, e.problem)
        return False, (str(args[0]) if args else "?", None, f"{type(e).__name__}: {e}")


def _client(scheduler):
    """A Client for an address (``tcp://host:8786``), or the given Client / cluster object itself."""
    from dask.distributed import Client
    if isinstance(scheduler, Client):
        return scheduler, False
    return Client(scheduler, set_as_default=False), True


def map_on_dask(fn: Callable, jobs: Iterable[tuple], scheduler, *, window: int | None = None,
                timeout: float | None = FILE_TIMEOUT_S) -> Iterator[tuple[tuple, object]]:
    """Yield ``(args, fn(*args))`` for every argument tuple in ``jobs``, run on the cluster,
    as they complete; a failed call yields ``(args, IngestError)`` naming ``args[0]``.

    ``scheduler``: an address string, or an open ``dask.distributed.Client`` (left open).
    ``fn`` must be importable on the workers (a module-level function of policygraph).
    ``timeout``: seconds one call may take (see :func:`_guarded`; None: no deadline).
    """
    from dask.distributed import as_completed
    client, own = _client(scheduler)
    try:
        if window is None:
            threads = sum(client.nthreads().values()) or 1
            window = WINDOW_PER_THREAD * threads
        pending = iter(jobs)
        args_of = {}

        def submit_next(n: int) -> list:
            futs = []
            for args in pending:
                fut = client.submit(_guarded, fn, timeout, *args, pure=False)
                args_of[fut.key] = args
                futs.append(fut)
                if len(futs) >= n:
                    break
            return futs

        queue = as_completed(submit_next(window), loop=client.loop)
        for fut in queue:
            args = args_of.pop(fut.key)
            try:
                ok, value = fut.result()
            except Exception as e:  # noqa: BLE001 — e.g. KilledWorker: the task crashed its worker
                ok, value = False, (str(args[0]), None, f"{type(e).__name__}: {e}")
            fut.release()
            yield args, value if ok else IngestError(*value)
            for nxt in submit_next(1):
                queue.add(nxt)
    finally:
        if own:
            client.close()


def parse_on_dask(paths, scheduler, *, ocr: bool = False, extract: bool = True,
                  window: int | None = None) -> Iterator[tuple[Path, ParsedFile | IngestError]]:
    """``(path, ParsedFile)`` for every readable file under ``paths``, parsed on the cluster at
    ``scheduler``, as they complete; ``(path, IngestError)`` for a file that cannot be parsed.

    Same results as :func:`ingest.pipeline.parse_file` run locally (tests/test_distributed.py).
    """
    jobs = ((str(p), ocr, extract) for p in discover(paths))
    for (path, _, _), result in map_on_dask(_parse, jobs, scheduler, window=window):
        yield Path(path), cast(ParsedFile | IngestError, result)


def _parse(path: str, ocr: bool, extract: bool) -> ParsedFile:
    return parse_file(path, ocr=ocr, extract=extract)
