"""Derived results beside the store (queries/derived.py): status for any date, eligibility and ask
from the documents the stored measure index picks, overlaps from the stored signatures — each
equal to deriving from every document, and kept in step with the store."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from builders import all_documents
from conftest import CORPUS
from graph import iri
from graph.build import file_triples
from graph.store import open_store
from queries import catalog as catmod
from queries import derived
from queries.ask import answer, ask
from queries.catalog import catalog_for_store
from queries.eligibility import eligibility, eligibility_for_store, load_profile
from graph.ingesting import drop_sources, ingest_paths
from queries.derived import overlaps_for_store, status_for_store
from queries.overlaps import overlaps_report
from queries.status import status_report

PROFILES = sorted((CORPUS.parent / "profiles").glob("*.json"))
QUESTIONS = ["我们是青岛的高新技术企业，去年研发投入3000万元，比前年增长50%，能申请哪些补贴？",
             "我们是浙江省杭州市的高新技术企业，有哪些支持政策？", "青岛市的医院", "一家企业"]


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    """The bundled corpus ingested (ingest stores the derived results at its end)."""
    spec = str(tmp_path_factory.mktemp("derived") / "store")
    summary = ingest_paths([CORPUS], spec)
    derived.derive_after_ingest(spec, summary)
    assert "derived_seconds" in summary and not [w for w in summary["warnings"] if "derived" in w]
    return spec


@pytest.fixture(scope="module")
def lineage_store(tmp_path_factory):
    """The hand-built documents (revisions, repeals, overrides, copies) one file each."""
    spec = str(tmp_path_factory.mktemp("lineage") / "store")
    with open_store(spec) as st:
        for d in all_documents():
            key = d.id.replace(":", "_") + ".txt"
            st.replace_graph(iri.graph_iri(key), file_triples([d], key, sha256="0" * 64, fmt="txt"))
    assert derived.refresh(spec)
    return spec


def _dates(docs) -> list[date]:
    """Every date the documents state, the day before and after, and a few far ones."""
    out = {date(1990, 1, 1), date(2026, 11, 22), date(2099, 1, 1)}
    for d in docs:
        for x in (d.issue_date, d.validity.start, d.validity.end, *(r.date for r in d.revisions)):
            if x:
                out |= {x - timedelta(days=1), x, x + timedelta(days=1)}
    return sorted(out)


def test_status_from_the_stored_timelines_equals_deriving_on_every_date(lineage_store):
    cat = catalog_for_store(lineage_store)
    for day in _dates(cat.documents):
        assert _same(status_for_store(lineage_store, day.isoformat()), status_report(cat, day.isoformat())), day


def test_status_of_the_corpus_equals_deriving(corpus_store):
    cat = catalog_for_store(corpus_store)
    for day in ("2020-01-01", "2024-09-15", "2026-11-22", "2031-01-01"):
        assert _same(status_for_store(corpus_store, day), status_report(cat, day)), day


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.stem)
def test_eligibility_from_the_measure_index_equals_every_document(corpus_store, profile):
    cat, prof = catalog_for_store(corpus_store), load_profile(profile)
    for day, wide in (("2026-11-22", False), ("2024-09-15", False), ("2026-11-22", True)):
        got = eligibility_for_store(corpus_store, prof, day, include_expired=wide, include_ineligible=wide)
        assert _same(got, eligibility(cat, prof, day, include_expired=wide, include_ineligible=wide)), (day, wide)


def test_ask_reads_only_the_documents_it_needs_and_answers_the_same(corpus_store, monkeypatch):
    cat = catalog_for_store(corpus_store)
    catmod._STORE_CACHE.clear()
    monkeypatch.setattr("queries.eligibility.catalog_for_store", lambda *a: pytest.fail("read every document"))
    for q in QUESTIONS:
        assert _same(ask(corpus_store, q, "2026-11-22"), answer(cat, q, "2026-11-22")), q
    part, con = derived.candidates(corpus_store, {"region": "杭州"}, False)
    con.close()
    assert len(part.documents) < len(cat.documents)


def test_overlaps_from_stored_signatures_equal_computed(corpus_store):
    assert derived.clause_signatures(corpus_store) is not None
    assert _same(overlaps_for_store(corpus_store, "2026-11-22"),
                 overlaps_report(catalog_for_store(corpus_store), "2026-11-22"))


def test_a_dropped_file_leaves_the_derived_results(tmp_path):
    spec = str(tmp_path / "store")
    ingest_paths(sorted(CORPUS.glob("00[0-4]_*.txt")), spec)
    before = {d["id"] for d in status_for_store(spec, "2026-11-22")["documents"]}
    key = sorted(CORPUS.glob("000_*.txt"))[0].name
    assert drop_sources(spec, [key])["dropped"] == [key]
    after = {d["id"] for d in status_for_store(spec, "2026-11-22")["documents"]}
    assert after and after < before and not any(i.startswith("000") for i in after)
    assert _same(status_for_store(spec, "2026-11-22"), status_report(catalog_for_store(spec), "2026-11-22"))


def test_remote_or_unwritable_stores_derive_in_memory(corpus_store, monkeypatch):
    assert derived.status_report("sparql+http://127.0.0.1:9/sparql", date(2026, 1, 1)) is None
    monkeypatch.setattr(derived, "refresh", lambda spec, force=False: False)
    assert derived.candidates(corpus_store, {}, False) is None
    assert status_for_store(corpus_store, "2026-11-22")["documents"]


def test_a_copied_store_keeps_its_derived_results(corpus_store, tmp_path, monkeypatch):
    import shutil
    copy = tmp_path / "copy"
    shutil.copytree(corpus_store, copy, copy_function=shutil.copy)  # new mtimes: another fingerprint, the same graphs
    monkeypatch.setattr("queries.derived_update.update", lambda *a: pytest.fail("derived again"))
    assert _same(status_for_store(str(copy), "2026-11-22"), status_for_store(corpus_store, "2026-11-22"))
