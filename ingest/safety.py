"""Run untrusted work (parsing one file) in worker processes, each job under a deadline.

A hostile or pathological file may hang a parser (a DOCX zip bomb: 200 KB that unpack to a
million paragraphs), exhaust memory or crash a C library (pdfium). Run in-process, any of these
stops the whole batch; here the worker running that file is killed and the file is reported,
and the batch goes on. Workers are forked once and reused, so a batch pays the start-up once.

``isolated(fn, jobs)`` yields ``(job, ok, value)``: ``value`` is ``fn(*job)`` when ``ok``, else a
one-line message (timed out, worker died, or the exception ``fn`` raised).
"""
from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from typing import Any, cast

FILE_TIMEOUT_S = float(os.environ.get("POLICYGRAPH_FILE_TIMEOUT", "300"))
# address-space cap of a worker in MB (0: none); MemoryError then fails just that file
FILE_MEMORY_MB = int(os.environ.get("POLICYGRAPH_FILE_MEMORY_MB", "0"))


def _die_with_parent(parent: int) -> None:
    """SIGKILL this worker when the parent dies (Linux): a killed ingest must not leave a worker
    running on, holding the store's lock it inherited and the other workers' pipes."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _serve(conn, fn: Callable, memory_mb: int, parent: int) -> None:
    """Worker loop: receive a job tuple, send back ("ok", result) or ("error", message)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent)
    if memory_mb:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # parent gone
        if job is None:
            return
        gc.disable()  # a job builds frozen, acyclic objects: the collector only rescans them (~5 % of a parse)
        try:
            out = ("ok", fn(*job))
        except MemoryError:
            out = ("error", f"out of memory (worker limit {memory_mb} MB)" if memory_mb else "out of memory")
        except Exception as e:  # noqa: BLE001 — reported to the caller, the worker lives on
            out = ("error", f"{type(e).__name__}: {e}")
        finally:
            gc.enable()
        try:
            conn.send(out)
        except (BrokenPipeError, OSError):
            return


class _Worker:
    def __init__(self, ctx, fn: Callable, memory_mb: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, fn, memory_mb, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        self.job: tuple | None = None
        self.started = 0.0

    def submit(self, job: tuple) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send(job)

    def stop(self, kill: bool) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.proc.kill()
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _death(proc) -> str:
    proc.join(1)
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            return f"worker process killed by {signal.Signals(-code).name} while on it"
        except ValueError:
            pass
    return f"worker process died (exit code {code}) while on it"


def isolated(fn: Callable, jobs: Iterable[tuple], *, workers: int = 1, timeout: float = FILE_TIMEOUT_S,
             memory_mb: int = FILE_MEMORY_MB) -> Iterator[tuple[Any, bool, Any]]:
    """``fn(*job)`` for every job in up to ``workers`` forked processes, in completion order.

    A job running longer than ``timeout`` seconds has its worker killed (a fresh one takes its
    place) and yields ``(job, False, "timed out after N s")``; so does a job whose worker dies.
    ``fn`` must be a module-level function; results and jobs must pickle.

    >>> [(j, ok, v) for j, ok, v in isolated(divmod, [(7, 2), (1, 0)])]
    [((7, 2), True, (3, 1)), ((1, 0), False, 'ZeroDivisionError: integer division or modulo by zero')]
    """
    ctx = multiprocessing.get_context("fork")  # workers inherit the parent's imports: no start-up cost
    pending = deque(jobs)
    idle: list[_Worker] = []
    busy: dict[Connection, _Worker] = {}
    try:
        while pending or busy:
            while pending and len(busy) < max(1, workers):
                w = idle.pop() if idle else _Worker(ctx, fn, memory_mb)
                try:
                    w.submit(pending.popleft())
                except (OSError, ValueError) as e:  # the job itself does not pickle
                    yield w.job, False, f"cannot send the job to a worker: {e}"
                    idle.append(w)
                    continue
                busy[w.conn] = w
            if not busy:
                continue
            first_deadline = min(w.started for w in busy.values()) + timeout
            for conn in wait(list(busy), timeout=max(0.0, first_deadline - time.monotonic())):
                w = busy.pop(cast(Connection, conn))
                try:
                    status, value = w.conn.recv()
                except (EOFError, OSError):
                    yield w.job, False, _death(w.proc)
                    w.stop(kill=True)
                    continue
                idle.append(w)
                yield w.job, status == "ok", value
            now = time.monotonic()
            for conn, w in list(busy.items()):
                if now - w.started >= timeout:
                    del busy[conn]
                    w.stop(kill=True)
                    yield w.job, False, f"timed out after {timeout:g} s (stopped; POLICYGRAPH_FILE_TIMEOUT)"
    finally:
        for w in list(busy.values()):
            w.stop(kill=True)
        for w in idle:
            w.stop(kill=False)


class Forked:
    """``fn(*args, **kwargs)`` computed in a forked child process while the caller goes on (the
    caller's own CPU-bound Python work then runs beside it on another core, which a thread cannot
    do under the GIL); ``result()`` waits for it and returns its value or raises its exception.
    Fork before starting threads. A context manager: leaving it kills a child not waited for.

    >>> with Forked(divmod, 7, 2) as job:
    ...     job.result()
    (3, 1)
    """

    def __init__(self, fn: Callable, *args: Any, **kwargs: Any):
        parent = os.getpid()
        self.conn, child_end = multiprocessing.Pipe(duplex=False)
        self.pid = os.fork()
        if self.pid == 0:  # the child: compute, send, exit without running the parent's clean-ups
            try:
                self.conn.close()
                _die_with_parent(parent)
                try:
                    out: tuple[str, Any] = ("ok", fn(*args, **kwargs))
                except Exception as e:  # noqa: BLE001 — the caller's to raise
                    out = ("error", e)
                try:
                    child_end.send(out)
                except Exception as e:  # noqa: BLE001 — an unpicklable value or exception
                    child_end.send(("error", RuntimeError(f"{type(e).__name__}: {e}")))
            finally:
                os._exit(0)
        child_end.close()

    def result(self) -> Any:
        try:
            status, value = self.conn.recv()
        except EOFError:
            status, value = "died", None
        self.conn.close()
        _, code = os.waitpid(self.pid, 0)
        self.pid = 0
        if status == "died":
            code = os.waitstatus_to_exitcode(code)
            how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
            raise RuntimeError(f"helper process died ({how}) before it answered")
        if status == "error":
            raise value
        return value

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.conn.close()


@contextmanager
def logged_warnings(logger: str = "ingest"):
    """The WARNING messages ``logger`` and its children log in this thread meanwhile (a list
    filled as they come): what a stage only logs becomes a warning of the file, not lost on stderr.

    >>> with logged_warnings() as got:
    ...     logging.getLogger("ingest.split").warning("TOC entry %r not found", "甲办法")
    >>> got
    ["TOC entry '甲办法' not found"]
    """
    messages: list[str] = []
    me = threading.get_ident()

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == me:
                messages.append(record.getMessage())

    handler, target = _Collect(logging.WARNING), logging.getLogger(logger)
    target.addHandler(handler)
    try:
        yield messages
    finally:
        target.removeHandler(handler)
