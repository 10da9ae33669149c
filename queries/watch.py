"""Saved profiles: the measures that apply to a firm that are new since its last check.

A watch is a firm profile (or a question, understood anew at each check) with the keys of the
results already reported. It is kept with the store: beside an embedded store in
``policygraph-watch.json`` (a ``policygraph*`` file, so not part of the store's fingerprint), on a
SPARQL endpoint as one rdf:JSON literal in the named graph ``id:watch`` (outside ``id:source/``,
so never read as a source file). The first check reports every applicable result; later checks
report only results whose key (document, provision, measure text) was not reported before.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from graph import iri
from ingest.errors import StoreError
from graph.vocab import PG, RDF

from .catalog import Catalog, catalog_for_store, parse_as_of

WATCH_FILE = "policygraph-watch.json"
WATCH_GRAPH = f"{iri.ID}watch"
_NAME = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff .()（）-]{0,63}$")


def _remote(store: str) -> bool:
    return str(store).startswith(("sparql+http://", "sparql+https://"))


# ---- the state, kept with the store --------------------------------------------------------------

def load_state(store: str) -> dict:
    """{"watches": {name: watch}} of a store; empty when none was saved."""
    if _remote(store):
        from graph.store import open_store
        with open_store(store) as st:
            rows = list(st.select(f"SELECT ?s WHERE {{ GRAPH <{WATCH_GRAPH}> {{ <{WATCH_GRAPH}> <{PG.watchState}> ?s }} }}"))
        text = rows[0]["s"].value if rows else None
    else:
        path = Path(store) / WATCH_FILE
        if not Path(store).is_dir():
            raise ValueError(f"no store at {store!r}: ingest documents first")
        try:
            text = path.read_text(encoding="utf-8") if path.exists() else None
        except (OSError, UnicodeDecodeError) as e:
            raise StoreError(f"cannot read the saved profiles in {path}: {e}") from e
    if text is None:
        return {"watches": {}}
    try:
        state = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"{store}: saved profiles are not valid JSON ({e.msg}, line {e.lineno})") from None
    if not isinstance(state, dict) or not isinstance(state.get("watches"), dict):
        raise ValueError(f"{store}: saved profiles have no 'watches' mapping")
    return state


def save_state(store: str, state: dict) -> None:
    """Write the state atomically (a file renamed into place; one SPARQL update request)."""
    text = json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True)
    if _remote(store):
        from pyoxigraph import Literal, NamedNode

        from graph.store import open_store
        lit = Literal(text, datatype=NamedNode(str(RDF.JSON)))
        with open_store(store) as st:
            st.update(f"DROP SILENT GRAPH <{WATCH_GRAPH}> ;\nINSERT DATA {{ GRAPH <{WATCH_GRAPH}> "
                      f"{{ <{WATCH_GRAPH}> <{PG.watchState}> {lit} }} }}")
        return
    path = Path(store) / WATCH_FILE
    tmp = path.with_name(f"{WATCH_FILE}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot save the saved profiles in {path}: {e}") from e


# ---- commands ----------------------------------------------------------------------------------

def add_watch(store: str, name: str, profile: dict | None = None, question: str | None = None) -> dict:
    """Save a profile (validated now) or a question under ``name``; ValueError if it exists."""
    from .eligibility import validate_profile
    if not _NAME.match(name or ""):
        raise ValueError(f"watch name {name!r}: use letters, digits, Chinese, spaces or - . ( ), at most 64")
    if (profile is None) == (question is None):
        raise ValueError("watch add: give exactly one of --profile or --question")
    if question is not None and not question.strip():
        raise ValueError("watch add: the question is empty")
    state = load_state(store)
    if name in state["watches"]:
        raise ValueError(f"a watch named {name!r} exists; remove it first")
    watch: dict[str, Any] = {"name": name, "profile": validate_profile(profile, name) if profile is not None else None,
             "question": question, "created": _now(), "last_check": None, "seen": []}
    state["watches"][name] = watch
    save_state(store, state)
    return _summary(watch)


def remove_watch(store: str, name: str) -> dict:
    state = load_state(store)
    if name not in state["watches"]:
        raise ValueError(f"no watch named {name!r} (saved: {', '.join(state['watches']) or 'none'})")
    del state["watches"][name]
    save_state(store, state)
    return {"removed": name}


def list_watches(store: str) -> dict:
    return {"watches": [_summary(w) for w in load_state(store)["watches"].values()]}


def check_watches(store: str, as_of=None, names: list[str] | None = None, update: bool = True) -> dict:
    """For each saved profile, the applicable results not reported before (all on its first
    check); ``update=False`` only looks (the app's "new since your last visit")."""
    state = load_state(store)
    unknown = [n for n in names or () if n not in state["watches"]]
    if unknown:
        raise ValueError(f"no watch named {unknown[0]!r}")
    catalog, day, now = catalog_for_store(store), parse_as_of(as_of), _now()
    out = []
    for name, w in state["watches"].items():
        if names and name not in names:
            continue
        results = applicable_results(catalog, w, day)
        seen = set(w.get("seen", ()))
        new = [r for r in results if result_key(r) not in seen]
        out.append({"name": name, "last_check": w.get("last_check"), "first_check": w.get("last_check") is None,
                    "applicable": len(results), "new": [compact(r) for r in new]})
        if update:
            w["seen"] = sorted(seen | {result_key(r) for r in results})
            w["last_check"] = now
    if update:
        save_state(store, state)
    return {"as_of": day.isoformat(), "checked_at": now, "watches": out}


def applicable_results(catalog: Catalog, watch: dict, day) -> list[Mapping[str, Any]]:
    """The eligible and possible results, of documents applicable on ``day``, for a watch."""
    from .ask import answer
    from .eligibility import eligibility
    res = answer(catalog, watch["question"], day) if watch.get("question") else eligibility(catalog, watch["profile"], day)
    return [r for r in res["results"] if r["verdict"] != "ineligible" and r.get("applicable", True)]


def result_key(r: Mapping[str, Any]) -> str:
    """What makes a result the same one at the next check: its document, provision and measure."""
    raw = f"{r['document']['id']}|{r['provision']['id']}|{r['measure']['text']}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def compact(r: Mapping[str, Any]) -> dict:
    """A result as reported by ``watch check``: what it is, how much, until when, where written."""
    return {"key": result_key(r), "verdict": r["verdict"], "document": r["document"],
            "provision": {k: r["provision"].get(k) for k in ("id", "label", "line_start", "line_end")},
            "measure": r["measure"], "benefit": r["benefit"],
            "application_windows": r.get("application_windows", [])}


def _summary(w: dict) -> dict:
    return {"name": w["name"], "kind": "question" if w.get("question") else "profile",
            "question": w.get("question"), "profile": w.get("profile"), "created": w.get("created"),
            "last_check": w.get("last_check"), "seen": len(w.get("seen", ()))}


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
