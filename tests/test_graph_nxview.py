"""The NetworkX view: projection, analyses, GraphML; and the graph modules' doctests."""
from __future__ import annotations

import doctest
import importlib

import networkx as nx
import pytest

from graph.nxview import (agencies_by_measures_and_money, centrality, programmes_across_documents, project,
                          provision_money, supersession_components, write_graphml)
from graph_samples import sample_files


@pytest.fixture(scope="module")
def G():
    return project([d for _, docs in sample_files() for d in docs])


@pytest.mark.parametrize("module", ["graph.vocab", "graph.iri", "graph.build", "graph.load", "graph.nxview",
                                    "queries.sparql"])
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


def test_projection_has_typed_nodes_and_edges(G):
    types = {t for _, t in G.nodes(data="type")}
    assert types == {"document", "work", "provision", "agency", "programme", "beneficiary"}
    edge_types = {t for *_, t in G.edges(data="type")}
    assert {"has_part", "passed_by", "responsibility_of", "programme", "beneficiary", "realizes", "cites",
            "repeals"} <= edge_types


def test_tiers_count_once_in_money():
    art_1 = sample_files()[0][1][0].provisions[1]
    assert provision_money(art_1) == 1_000_000  # tiers 100万 / 50–80万: the larger, not the sum


def test_agency_ranking(G):
    top = agencies_by_measures_and_money(G)[0]
    assert top == {"agency": "青岛市科学技术局", "provisions": 2, "measures": 2, "money_yuan": 1_000_000}


def test_programmes_and_components(G):
    assert programmes_across_documents(G) == []  # each programme is named in one document only
    assert [r["programme"] for r in programmes_across_documents(G, min_documents=1)] == ["企业研发后补助", "研发投入奖励"]
    assert supersession_components(G) == [["doc:compilation:01", "doc:policy:01"]]
    assert centrality(G, types=("agency",), top=1)[0][0] == "agency:青岛市科学技术局"


def test_graphml_round_trip(G, tmp_path):
    write_graphml(G, tmp_path / "g.graphml")
    H = nx.read_graphml(tmp_path / "g.graphml")
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
