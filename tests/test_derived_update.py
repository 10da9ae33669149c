"""The derived tables kept up to date per ingested graph (queries/derived_update.py): after each
change — one more file, a changed file, a revision superseding a stored document, an override, a
copy, a dropped file — the incrementally updated tables equal a forced rebuild and a derivation
from the whole catalog, and so do the status and eligibility answers read from them; only the
documents a change touches get their status timeline computed again."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import builders
from conftest import CORPUS, ROOT
from graph import iri
from graph.build import file_triples
from graph.catalog_cache import connect, model_loads
from graph.ingesting import drop_sources, ingest_paths
from graph.store import open_store
from queries import derived, derived_update
from queries.catalog import catalog_for_store
from queries.eligibility import eligibility, eligibility_for_store, load_profile
from queries.eligibility_measures import prepared_measures
from queries.lineage import edges_by_document
from queries.status import status_report, with_details

LAWREFBOOK = ROOT / "tests" / "fixtures" / "lawrefbook"
PROFILES = sorted((CORPUS.parent / "profiles").glob("*.json"))
DAYS = ("2010-06-01", "2019-01-01", "2022-07-01", "2026-11-22", "2040-01-01")


def _json(x) -> str:
    return json.dumps(x, sort_keys=True, default=str, ensure_ascii=False)


def stored_tables(spec: str) -> str:
    """doc_status (id, position, timeline, details) and the measure table, as stored."""
    con = connect(spec)
    try:
        rows = [(i, pos, model_loads(tl), model_loads(det)) for i, pos, tl, det in
                con.execute("SELECT id, pos, timeline, details FROM doc_status ORDER BY pos")]
        measures = model_loads(con.execute("SELECT v FROM derived WHERE k = 'measures'").fetchone()[0])
    finally:
        con.close()
    return _json([rows, measures])


def reference_tables(spec: str) -> str:
    """The same tables derived from the whole catalog in memory (what refresh stored before it
    became incremental)."""
    cat = catalog_for_store(spec)
    olds, news = edges_by_document(cat)
    rows = [(d.id, i, derived_update.status_timeline(cat, d, derived_update.edge_dates(olds, news, d.id)),
             with_details(cat, d, {})) for i, d in enumerate(cat.documents)]
    pms = prepared_measures(cat)
    ids = list(dict.fromkeys(pm["doc"].id for pm in pms))
    measures = {"conditions": [tuple(pm["conditions"]) for pm in pms],
                "doc": [ids.index(pm["doc"].id) for pm in pms], "ids": ids}
    return _json([rows, measures])


def check(spec: str, tmp_path: Path) -> None:
    """Incremental tables == forced rebuild (on a copy) == whole-catalog derivation; answers too."""
    assert derived.refresh(spec)
    got = stored_tables(spec)
    assert got == reference_tables(spec)
    copy = tmp_path / "forced"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(spec, copy)
    assert derived.refresh(str(copy), force=True)
    assert stored_tables(str(copy)) == got
    cat = catalog_for_store(spec)
    for day in DAYS:
        assert _json(derived.status_for_store(spec, day)) == _json(status_report(cat, day)), day
    for p in PROFILES:
        prof = load_profile(p)
        assert _json(eligibility_for_store(spec, prof, "2026-11-22")) == _json(eligibility(cat, prof, "2026-11-22")), p


@pytest.fixture
def timelines_made(monkeypatch) -> list[str]:
    """The ids of the documents whose status timeline refresh computes."""
    made: list[str] = []
    real = derived_update.status_timeline

    def counted(catalog, doc, dates):
        made.append(doc.id)
        return real(catalog, doc, dates)
    monkeypatch.setattr(derived_update, "status_timeline", counted)
    return made


def _revision(text: str) -> str:
    """The same regulation, every year one later: a newer version of the same work."""
    return re.sub(r"((?:19|20)\d{2})(?=\s*年)", lambda m: str(int(m.group(1)) + 1), text)


def test_ingesting_real_files_one_change_at_a_time_equals_a_full_rebuild(tmp_path, timelines_made):
    files = sorted(LAWREFBOOK.rglob("*.md"))[:9]
    folder, spec = tmp_path / "corpus", str(tmp_path / "store")
    folder.mkdir()
    for f in files[:8]:
        shutil.copy(f, folder / f.name)
    derived.derive_after_ingest(spec, ingest_paths([folder], spec))
    check(spec, tmp_path)
    n = len(catalog_for_store(spec).documents)

    timelines_made.clear()
    shutil.copy(files[8], folder / files[8].name)  # one more file
    derived.derive_after_ingest(spec, ingest_paths([folder], spec))
    assert len(catalog_for_store(spec).documents) == n + 1
    assert len(timelines_made) == 1, timelines_made  # the new document's only
    check(spec, tmp_path)

    changed = folder / files[2].name  # one file changed
    changed.write_text(changed.read_text(encoding="utf-8").replace("应当", "应", 3), encoding="utf-8")
    timelines_made.clear()
    derived.derive_after_ingest(spec, ingest_paths([folder], spec))
    assert len(timelines_made) == 1, timelines_made  # its own: nothing else depends on its body
    check(spec, tmp_path)
    changed.write_text(_revision(changed.read_text(encoding="utf-8")), encoding="utf-8")  # its dates too
    timelines_made.clear()
    derived.derive_after_ingest(spec, ingest_paths([folder], spec))
    assert len(timelines_made) == 1, timelines_made
    check(spec, tmp_path)

    old = files[5]  # a revision superseding a stored regulation
    (folder / ("修订_" + old.name)).write_text(_revision(old.read_text(encoding="utf-8")), encoding="utf-8")
    timelines_made.clear()
    derived.derive_after_ingest(spec, ingest_paths([folder], spec))
    made = sorted(timelines_made, key=len)
    assert len(made) == 2 and made[1] == "修订_" + made[0], made  # the revision and the version it supersedes
    check(spec, tmp_path)
    superseded = [d for d in derived.status_for_store(spec, "2040-01-01")["documents"] if d["status"] == "superseded"]
    assert [(d["id"], d["superseded_by"]) for d in superseded] == [(made[0], [made[1]])]

    timelines_made.clear()  # the revision dropped: the old version stands again
    assert drop_sources(spec, ["修订_" + old.name])["dropped"]
    assert derived.refresh(spec)
    assert len(timelines_made) == 1, timelines_made
    check(spec, tmp_path)


def _put(spec: str, d) -> None:
    key = d.id.replace(":", "_") + ".txt"
    with open_store(spec) as st:
        st.replace_graph(iri.graph_iri(key), file_triples([d], key, sha256="0" * 64, fmt="txt"))


def _drop(spec: str, d) -> None:
    with open_store(spec) as st:
        st.drop_graph(iri.graph_iri(d.id.replace(":", "_") + ".txt"))


def test_overrides_copies_repeals_and_revisions_added_changed_and_dropped(tmp_path):
    """Hand-built documents (tests/builders.py) stored one by one: every kind of lineage edge,
    an override whose candidates change when the earlier notice does."""
    spec = str(tmp_path / "store")
    early, late = builders.override_pair()
    a, b = builders.duplicate_pair()
    old, repealer = builders.repealed_and_repealer()
    for d in (builders.rd_policy(), builders.expired_rules(), builders.regulation("reg:01"), early, a, old,
              builders.undated()):
        _put(spec, d)
    check(spec, tmp_path)
    for d in (late, builders.regulation("reg:02", revised=True), b, repealer, builders.future()):
        _put(spec, d)
        check(spec, tmp_path)
    report = derived.status_for_store(spec, "2026-11-22")["documents"]
    assert any(d.get("possibly_displaced_by") for d in report) and any(d.get("override_candidates") for d in report)
    same_terms = replace(early, provisions=(replace(early.provisions[0], measures=(builders._sme_measure(50, 4),)),))
    _put(spec, same_terms)  # the earlier notice now grants what the override does: nothing displaced
    check(spec, tmp_path)
    report = derived.status_for_store(spec, "2026-11-22")["documents"]
    assert not any(d.get("possibly_displaced_by") or d.get("override_candidates") for d in report)
    _put(spec, early)
    check(spec, tmp_path)
    _drop(spec, early)
    check(spec, tmp_path)


def test_a_store_of_older_derived_tables_is_made_afresh(tmp_path):
    spec = str(tmp_path / "store")
    _put(spec, builders.rd_policy())
    assert derived.refresh(spec)
    con = connect(spec)
    con.execute("UPDATE derived SET v = 'older code' WHERE k = 'version'")
    con.execute("DELETE FROM doc_status")
    con.close()
    check(spec, tmp_path)
