"""The `--json` TypedDicts (ingest/contract.py, queries/contract.py, graph.ingesting.IngestSummary)
against the JSON Schemas of tests/contract and against real output: every key a schema names is in
the type (required where the schema requires it), every closed vocabulary (enum) is the type's
Literal, and every answer on the bundled corpus has exactly the keys its type says, of its types."""
from __future__ import annotations

import json
import types
import typing
from pathlib import Path

import pytest

from conftest import ROOT
from graph.ingesting import IngestSummary
from ingest.contract import ParseResult
from queries.contract import AskReport, DiffReport, EligibilityReport, OverlapsReport, SearchResult, StatusReport

CONTRACT = ROOT / "tests" / "contract"
GOLDEN = ROOT / "tests" / "golden"
TYPES = {"parse": ParseResult, "eligibility": EligibilityReport, "status": StatusReport,
         "overlaps": OverlapsReport, "ingest": IngestSummary}


def is_typeddict(t) -> bool:
    return isinstance(t, type) and typing.is_typeddict(t)


def parts(t) -> list:
    """The members of a union (``X | None`` → [X, None]); else [t]."""
    if typing.get_origin(t) in (typing.Union, types.UnionType):
        return list(typing.get_args(t))
    return [t]


def literal_values(t) -> set | None:
    vals = [v for p in parts(t) if typing.get_origin(p) is typing.Literal for v in typing.get_args(p)]
    return set(vals) if vals else None


def inner(t):
    """The TypedDict a field holds, directly or as a list's items (None if it holds none)."""
    for p in parts(t):
        if is_typeddict(p):
            return p
        if typing.get_origin(p) is list and is_typeddict(typing.get_args(p)[0]):
            return typing.get_args(p)[0]
    return None


def schema_mismatches(td, schema: dict, defs: dict, where: str, seen: frozenset = frozenset()) -> list[str]:
    if "$ref" in schema:
        if (td, schema["$ref"]) in seen:  # a recursive definition (a provision's children): checked once
            return []
        seen |= {(td, schema["$ref"])}
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    hints, out = typing.get_type_hints(td), []
    for key, sub in schema.get("properties", {}).items():
        if key not in hints:
            out.append(f"{where}.{key}: in the schema, not in {td.__name__}")
            continue
        if key in schema.get("required", ()) and key not in td.__required_keys__:
            out.append(f"{where}.{key}: required by the schema, optional in {td.__name__}")
        item = sub.get("items", sub) if "array" in (sub.get("type") or []) else sub
        if "enum" in item and literal_values(hints[key]) != set(item["enum"]):
            out.append(f"{where}.{key}: enum {item['enum']} vs {hints[key]}")
        nested = inner(hints[key])
        if nested is not None and ("properties" in item or "$ref" in item):
            out += schema_mismatches(nested, item, defs, f"{where}.{key}", seen)
    return out


def value_mismatches(t, v, where: str) -> list[str]:
    """Where ``v`` is not a ``t``: unknown or missing keys, wrong types, values outside a Literal."""
    if t is object or t is typing.Any:
        return []
    options = parts(t)
    if v is None:
        return [] if type(None) in options else [f"{where}: None for {t}"]
    options = [o for o in options if o is not type(None)]
    if len(options) > 1 and not all(typing.get_origin(o) is typing.Literal for o in options):
        errs = [value_mismatches(o, v, where) for o in options]
        return [] if any(not e for e in errs) else errs[0]
    t = options[0] if len(options) == 1 else t
    if lits := literal_values(t):
        return [] if v in lits else [f"{where}: {v!r} not in {sorted(lits)}"]
    if is_typeddict(t):
        if not isinstance(v, dict):
            return [f"{where}: {type(v).__name__} for {t.__name__}"]
        hints = typing.get_type_hints(t)
        out = [f"{where}.{k}: not in {t.__name__}" for k in v if k not in hints]
        out += [f"{where}.{k}: missing ({t.__name__})" for k in t.__required_keys__ if k not in v]
        for k, x in v.items():
            if k in hints:
                out += value_mismatches(hints[k], x, f"{where}.{k}")
        return out
    origin = typing.get_origin(t)
    if origin is list:
        if not isinstance(v, list):
            return [f"{where}: {type(v).__name__} for {t}"]
        return [e for i, x in enumerate(v) for e in value_mismatches(typing.get_args(t)[0], x, f"{where}[{i}]")][:20]
    if origin is dict:
        return [] if isinstance(v, dict) else [f"{where}: {type(v).__name__} for {t}"]
    ok = isinstance(v, int | float) if t is float else isinstance(v, t) and not (t is int and isinstance(v, bool))
    return [] if ok else [f"{where}: {v!r} is not {t.__name__}"]


@pytest.mark.parametrize("name", sorted(TYPES))
def test_typed_dict_has_every_key_and_vocabulary_of_its_schema(name):
    schema = json.loads((CONTRACT / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert schema_mismatches(TYPES[name], schema, schema.get("$defs", {}), name) == []


@pytest.mark.parametrize("snapshot", sorted(p.name for p in GOLDEN.glob("*.json")))
def test_answers_on_the_corpus_have_exactly_their_types(snapshot):
    kind = snapshot.split("_")[0].removesuffix(".json")
    t = {"parse": ParseResult, "ask": AskReport, "status": StatusReport, "eligibility": EligibilityReport}[kind]
    assert value_mismatches(t, json.loads((GOLDEN / snapshot).read_text(encoding="utf-8")), kind) == []


@pytest.mark.slow
def test_ingest_overlaps_diff_and_search_answers_have_exactly_their_types(tmp_path):
    from graph.ingesting import ingest_paths
    from queries.overlaps import overlaps_for_store
    from queries.search_store import search_for_store
    from queries.status import diff_for_store
    store = str(tmp_path / "store")
    summary = ingest_paths([ROOT / "data" / "corpus", tmp_path / "missing.txt"], store)
    assert summary["errors"] and value_mismatches(IngestSummary, summary, "ingest") == []
    report = json.loads(json.dumps(overlaps_for_store(store, as_of="2024-09-15"), default=str))
    assert report["conflicts"] and report["documents"] and report["provisions"]
    assert value_mismatches(OverlapsReport, report, "overlaps") == []
    pair = report["documents"][0]
    diff = json.loads(json.dumps(diff_for_store(store, pair["a"], pair["b"]), default=str))
    assert {c["change"] for c in diff["clauses"]} >= {"same", "changed"}
    assert value_mismatches(DiffReport, diff, "diff") == []
    hits = search_for_store(store, "研发投入")
    assert hits["hits"] and value_mismatches(SearchResult, hits, "search") == []


class Inner(typing.TypedDict):
    kind: typing.Literal["a", "b"]


class Outer(typing.TypedDict):
    items: list[Inner]
    n: int | None


def test_the_checks_see_a_wrong_key_a_wrong_type_and_a_missing_enum_value():
    assert value_mismatches(Outer, {"items": [{"kind": "c"}], "n": "1", "extra": 0}, "x") == [
        "x.extra: not in Outer", "x.items[0].kind: 'c' not in ['a', 'b']", "x.n: '1' is not int"]
    schema = {"required": ["items"], "properties": {"items": {"type": "array", "items": {
        "properties": {"kind": {"enum": ["a", "b", "z"]}}}}, "m": {"type": "integer"}}}
    assert schema_mismatches(Outer, schema, {}, "x") == ["x.items.kind: enum ['a', 'b', 'z'] vs typing.Literal['a', 'b']",
                                                         "x.m: in the schema, not in Outer"]
