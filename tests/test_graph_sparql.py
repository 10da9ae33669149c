"""Read-only SPARQL for users: results in SPARQL 1.1 JSON, updates and SERVICE refused, limits."""
from __future__ import annotations

import json

import pytest

from graph.store import open_store
from graph_samples import load_samples
from queries.sparql import run_query


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store"
    with open_store(path) as st:
        load_samples(st)
    return str(path)


def test_select_ask_construct(store_path):
    res = run_query(store_path, "SELECT ?id WHERE { ?d a eli:LegalResource ; dcterms:identifier ?id } ORDER BY ?id")
    assert res["head"]["vars"] == ["id"]
    assert [b["id"]["value"] for b in res["results"]["bindings"]] == ["compilation:01", "policy:01", "policy:02"]
    assert run_query(store_path, "ASK { ?a a schema:MonetaryAmount ; schema:currency 'CNY' }")["boolean"] is True
    res = run_query(store_path, "CONSTRUCT { ?d dcterms:title ?t } WHERE { ?d a eli:LegalResource ; dcterms:title ?t }")
    assert res["head"]["vars"] == ["subject", "predicate", "object"] and len(res["results"]["bindings"]) == 2


def test_typed_literals_in_json(store_path):
    res = run_query(store_path, "SELECT ?v WHERE { ?c pg:field 'rd_growth' ; pg:value ?v }")
    assert res["results"]["bindings"] == [{"v": {"type": "literal", "value": "0.3",
                                                 "datatype": "http://www.w3.org/2001/XMLSchema#double"}}]


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }", "DROP ALL", "CLEAR DEFAULT",
    "LOAD <http://example.com/x.ttl>", "CREATE GRAPH <urn:g>", "COPY DEFAULT TO <urn:g>",
    "SELECT * WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p ?o }",
    "'); DELETE WHERE {?s ?p ?o} #", "SELECT * WHERE { SERVICE <http://example.com/sparql> { ?s ?p ?o } }"])
def test_updates_and_service_are_refused_and_store_unchanged(store_path, update):
    with open_store(store_path, read_only=True) as st:
        before = st.count()
    with pytest.raises(ValueError):
        run_query(store_path, update)
    with open_store(store_path, read_only=True) as st:
        assert st.count() == before


def test_result_limit(store_path):
    res = run_query(store_path, "SELECT * WHERE { ?s ?p ?o }", limit=7)
    assert len(res["results"]["bindings"]) == 7 and res["truncated"] is True


def test_time_limit(store_path):
    q = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 400³ rows
    with pytest.raises(ValueError, match="time limit"):
        run_query(store_path, q, limit=10**9, timeout=0.3)


def test_cli_sparql(store_path):
    from typer.testing import CliRunner

    from cli import app
    res = CliRunner().invoke(app, ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", store_path])
    assert res.exit_code == 0, res.output
    assert int(json.loads(res.stdout)["results"]["bindings"][0]["n"]["value"]) > 300
    res = CliRunner().invoke(app, ["sparql", "DROP ALL", "--store", store_path])
    assert res.exit_code == 2 and "not allowed" in res.output
