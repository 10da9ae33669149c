"""`policygraph sparql` and the app's SPARQL box: read-only queries with a time and result limit."""
from __future__ import annotations

import re
import time

from graph.store import open_store
from graph.store_base import is_remote, term_json
from ingest.errors import StoreError
from graph.vocab import sparql_prefixes

MAX_ROWS = 10_000
TIMEOUT_S = 30.0
_VIRTUOSO_BUILTINS = re.compile(r"(?<![\w:/#-])(?:bif|sql):|openlinksw\.com/schemas/(?:bif|sql)\b", re.I)
_UPDATE_WORDS = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)


def check_read_only(query: str) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE); ValueError for updates or SERVICE.

    >>> check_read_only("SELECT ?s WHERE { ?s ?p ?o }")
    'SELECT'
    >>> check_read_only("DROP ALL")
    Traceback (most recent call last):
    ...
    ValueError: updates are not allowed here (read-only SPARQL): DROP
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    try:
        parsed = parseQuery(sparql_prefixes() + query)
    except ParseException as e:
        try:
            parseUpdate(sparql_prefixes() + query)
        except ParseException:
            raise ValueError(f"SPARQL syntax error: {e.msg} (line {e.lineno - sparql_prefixes().count(chr(10))}, "
                             f"column {e.col})") from None
        word = _UPDATE_WORDS.search(_strip_literals(query))
        raise ValueError(f"updates are not allowed here (read-only SPARQL): {word.group(1).upper() if word else 'update'}") \
            from None
    if "ServiceGraphPattern" in repr(parsed):
        raise ValueError("SERVICE (federated queries) is not allowed: no network at run time")
    if _VIRTUOSO_BUILTINS.search(_strip_literals(query)):  # bif:/sql: run server code on Virtuoso
        raise ValueError("Virtuoso built-in functions (bif:, sql:) are not allowed here")
    return parsed[1].name.removesuffix("Query").upper()


def _strip_literals(q: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|#[^\n]*', " ", q)


def run_query(store_spec, query: str, *, limit: int = MAX_ROWS, timeout: float = TIMEOUT_S) -> dict:
    """SPARQL 1.1 JSON results of a read-only query (the project's prefixes predeclared).

    At most ``limit`` rows are returned (``"truncated": true`` then); a query still producing rows
    after ``timeout`` seconds is stopped (ValueError). The embedded store is opened read-only.
    """
    form = check_read_only(query)
    full = sparql_prefixes() + query
    if isinstance(store_spec, str) and not is_remote(store_spec):
        return _in_worker(store_spec, full, form, limit, timeout)
    store = open_store(store_spec, read_only=True) if isinstance(store_spec, str) else store_spec
    try:
        if store.remote:
            res = store.raw_json(full, timeout=timeout)
        else:
            res = _local(store, full, form, limit, timeout)
    finally:
        if isinstance(store_spec, str):
            store.close()
    rows = res.get("results", {}).get("bindings")
    if rows is not None and len(rows) > limit:
        res["results"]["bindings"] = rows[:limit]
        res["truncated"] = True
    return res


def _worker_query(spec: str, query: str, form: str, limit: int, timeout: float) -> dict:
    """One query on a store opened read-only in a worker process: {"result"} or {"error": (kind, message)}."""
    try:
        with open_store(spec, read_only=True) as store:
            return {"result": _local(store, query, form, limit, timeout)}
    except StoreError as e:
        return {"error": ("store", str(e))}
    except ValueError as e:
        return {"error": ("value", str(e))}


def _in_worker(spec: str, query: str, form: str, limit: int, timeout: float) -> dict:
    """pyoxigraph cannot interrupt a query, and an aggregate or ORDER BY computes everything before
    its first row: run it in a worker process (ingest/safety.py) that is killed at the deadline."""
    from ingest.safety import isolated
    for _, ok, out in isolated(_worker_query, [(spec, query, form, limit, timeout)], timeout=timeout + 1):
        if not ok:
            if out.startswith("timed out"):
                raise ValueError(f"query stopped after {timeout:g} s (time limit); add a LIMIT or narrow it")
            raise StoreError(f"store {spec}: query failed ({out})")
        if "error" in out:
            kind, message = out["error"]
            raise (StoreError if kind == "store" else ValueError)(message)
        return out["result"]
    raise StoreError(f"store {spec}: query failed")


def _local(store, query: str, form: str, limit: int, timeout: float) -> dict:
    """Stream solutions, stopping at ``limit`` rows or ``timeout`` (checked between rows)."""
    if form == "ASK":
        return {"head": {}, "boolean": store.ask(query)}
    deadline = time.monotonic() + timeout
    if form in ("CONSTRUCT", "DESCRIBE"):
        source, names = (({"subject": t.subject, "predicate": t.predicate, "object": t.object}
                          for t in store.construct(query)), ["subject", "predicate", "object"])
    else:
        names, source = store.select_vars(query)
    rows: list[dict] = []
    truncated = False
    for row in source:
        if len(rows) >= limit:
            truncated = True
            break
        if time.monotonic() > deadline:
            raise ValueError(f"query stopped after {timeout:g} s (time limit); add a LIMIT or narrow it")
        rows.append({k: term_json(v) for k, v in row.items()})
    out = {"head": {"vars": names}, "results": {"bindings": rows}}
    if truncated:
        out["truncated"] = True
    return out
