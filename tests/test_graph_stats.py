"""`policygraph stats` and the non-N-Quads exports (JSON-LD, GraphML, CSV) on the sample graph."""
from __future__ import annotations

import csv

import networkx as nx
import pytest
import rdflib
from rich.console import Console

from graph.store import open_store
from graph_samples import load_samples
from graph.exporting import export
from cli_render import print_stats
from queries.graphstats import stats


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("stats") / "store"
    with open_store(path) as st:
        load_samples(st)
    return str(path)


def test_stats_counts_and_rankings(store_path):
    r = stats(store_path)
    assert r["counts"] == {"documents": 3, "works": 2, "provisions": 8, "measures": 2, "amounts": 4, "conditions": 6,
                           "agencies": 3, "concepts": 6, "graphs": 2, "triples": r["counts"]["triples"]}
    assert r["agencies"][0]["agency"] == "青岛市科学技术局"
    assert r["components"] == [["doc:compilation:01", "doc:policy:01"]]
    console = Console(record=True, width=120)
    print_stats(r, console)
    assert "青岛市科学技术局" in console.export_text()


def test_csv_export_has_a_row_per_provision(store_path, tmp_path):
    assert export(store_path, "csv", tmp_path / "p.csv") == 8
    rows = list(csv.DictReader((tmp_path / "p.csv").open(encoding="utf-8-sig")))
    art_1 = next(r for r in rows if r["document"] == "policy:01" and r["provision"] == "art_1")
    assert (art_1["line_start"], art_1["max_amount_yuan"], art_1["agencies"]) == ("5", "1500000",
                                                                                  "青岛市科学技术局|青岛市财政局")


def test_jsonld_and_graphml_exports(store_path, tmp_path):
    n = export(store_path, "jsonld", tmp_path / "g.jsonld")
    assert len(rdflib.Graph().parse(tmp_path / "g.jsonld", format="json-ld")) == n
    nodes = export(store_path, "graphml", tmp_path / "g.graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == nodes


def test_unknown_format_is_refused(store_path, tmp_path):
    with pytest.raises(ValueError, match="unknown export format"):
        export(store_path, "xlsx", tmp_path / "x")
