"""Search of a store directory from the index kept beside it (queries/search_store.py): the same
answers as searching the store's catalog, kept up to date per ingested graph, and never a failure
when the index cannot be written."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from graph.ingesting import ingest_paths
from queries.catalog import catalog_for_store
from queries.search import search
from queries.search_store import INDEX_NAME, index_after_ingest, search_stored

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-22"
QUESTIONS = [("重点实验室 奖补", {}), ("研发总部", {}), ("条例", {"limit": 50}), ("奖", {}),
             ("科技型中小企业", {"status": "expired", "as_of": AS_OF}),
             ("科技型中小企业", {"status": ["in_force"], "as_of": AS_OF}),
             ("重点实验室", {"issuer": "人民代表大会"}), ("重点实验室", {"doc_type": "条例", "date_from": "2020-01-01"}),
             ("量子引力", {}), ("ＲＯＨＳ", {})]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    spec = str(tmp_path_factory.mktemp("search") / "store")
    summary = ingest_paths([ROOT / "data" / "corpus"], spec)
    index_after_ingest(spec, summary)
    assert summary["search_index_seconds"] >= 0 and not [w for w in summary["warnings"] if "search" in w]
    return spec


def _units(spec: str) -> int:
    con = sqlite3.connect(Path(spec) / INDEX_NAME)
    try:
        return con.execute("SELECT COUNT(*) FROM units").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("text,filters", QUESTIONS)
def test_store_index_answers_as_the_catalog_does(store, text, filters):
    assert search_stored(store, text, **filters) == search(catalog_for_store(store), text, **filters)


def test_index_follows_each_ingested_graph(store, tmp_path):
    spec = str(tmp_path / "store")
    shutil.copytree(store, spec)
    before = _units(spec)
    extra = tmp_path / "new" / "研发总部通知.txt"
    extra.parent.mkdir()
    extra.write_text("示例市研发总部认定办法\n第一条 对新认定的量子引力研发总部给予一次性奖励100万元。\n", encoding="utf-8")
    ingest_paths([extra], spec)
    hits = search_stored(spec, "量子引力研发总部")["hits"]
    assert hits[0]["document"]["title"] == "示例市研发总部认定办法" and _units(spec) == before + 1
    extra.write_text("示例市研发总部认定办法\n第一条 对新认定的研发总部给予一次性奖励50万元。\n", encoding="utf-8")
    ingest_paths([extra], spec)  # changed: its old units leave the index
    assert "量子引力" not in search_stored(spec, "量子引力研发总部")["hits"][0]["snippet"]
    assert _units(spec) == before + 1
    assert search_stored(spec, "研发总部") == search(catalog_for_store(spec), "研发总部")


def test_unwritable_index_falls_back_to_the_catalog(store, tmp_path):
    spec = str(tmp_path / "store")
    shutil.copytree(store, spec)
    (Path(spec) / INDEX_NAME).unlink()
    (Path(spec) / INDEX_NAME).mkdir()  # a directory where the database should be
    from queries.search_store import search_for_store
    assert search_stored(spec, "研发总部") is None
    assert search_for_store(spec, "研发总部") == search(catalog_for_store(spec), "研发总部")


def test_bad_query_is_a_value_error(store):
    with pytest.raises(ValueError, match="empty"):
        search_stored(store, "  ")
    with pytest.raises(ValueError, match="limit"):
        search_stored(store, "奖补", limit=0)


def test_two_processes_bringing_the_index_up_to_date_index_each_graph_once(store, tmp_path):
    """The second process looked (no graph indexed yet) before the first committed; under the
    write lock it looks again and indexes nothing twice."""
    from graph.catalog_cache import connect
    from queries.search_store import open_index, update_index
    spec = str(tmp_path / "store")
    shutil.copytree(store, spec)
    (Path(spec) / INDEX_NAME).unlink()
    first, second, cache = open_index(spec), open_index(spec), connect(spec)

    class LookedEarlier:  # its first look at the indexed graphs saw none
        looks = 0

        def execute(self, sql, *args):
            if sql.startswith("SELECT graph, digest FROM graphs"):
                self.looks += 1
                if self.looks == 1:
                    return iter(())
            return second.execute(sql, *args)

    assert update_index(first, cache) > 0
    late = LookedEarlier()
    assert update_index(late, cache) == 0 and late.looks == 2
    assert _units(spec) == first.execute("SELECT COUNT(*) FROM units").fetchone()[0]
    assert search_stored(spec, "研发总部") == search(catalog_for_store(spec), "研发总部")
    for c in (first, second, cache):
        c.close()
