"""benchmarks/synth.py: the synthetic corpus parses back to what was generated."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import synth  # noqa: E402

from ingest.pipeline import parse_file  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    # high revision/duplicate rates so that 60 documents hold several of each
    manifest = synth.write_corpus(out, 60, seed=3, revision_rate=0.25, duplicate_rate=0.1)
    return out, manifest


def test_same_seed_same_corpus_other_seed_other_corpus():
    a = [t for _, t, _ in synth.corpus_texts(20, seed=1)]
    assert a == [t for _, t, _ in synth.corpus_texts(20, seed=1)]
    assert a != [t for _, t, _ in synth.corpus_texts(20, seed=2)]


def test_manifest_lists_every_file(corpus):
    out, manifest = corpus
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert sorted(f["file"] for f in manifest["files"]) == sorted(p.name for p in out.glob("*.txt"))
    kinds = {f["kind"] for f in manifest["files"]}
    assert kinds == {"original", "revision", "duplicate"}


def test_parser_reads_back_title_number_issuer_date_and_provisions(corpus):
    out, manifest = corpus
    for f in manifest["files"]:
        (doc,) = parse_file(out / f["file"]).documents
        assert (doc.title, doc.doc_number, str(doc.issue_date), doc.issuers) == \
            (f["title"], f["doc_number"], f["date"], (f["issuer"],)), f["file"]
        leaves = [p for p in doc.walk() if not p.children and p.kind != "preamble"]
        assert len(leaves) >= f["provisions"], f["file"]  # + the closing 施行 clause


def test_revisions_repeal_their_predecessor_by_title_and_number(corpus):
    out, manifest = corpus
    by_file = {f["file"]: f for f in manifest["files"]}
    revisions = [f for f in manifest["files"] if f["kind"] == "revision"]
    assert revisions
    for f in revisions:
        old = by_file[f["of"]]
        assert (old["title"], old["issuer"]) == (f["title"], f["issuer"]) and old["date"] < f["date"]
        (doc,) = parse_file(out / f["file"]).documents
        repeals = [(x.target_title, x.target_doc_number) for x in doc.lineage if x.type == "repeals"]
        assert repeals == [(old["title"], old["doc_number"])], f["file"]


def test_duplicates_are_byte_identical_to_their_source(corpus):
    out, manifest = corpus
    dups = [f for f in manifest["files"] if f["kind"] == "duplicate"]
    assert dups
    for f in dups:
        assert (out / f["file"]).read_bytes() == (out / f["of"]).read_bytes()


def test_clauses_vary_amounts_and_cities():
    cs = synth.clauses(400, seed=5)
    assert len(cs) == 400 and all(isinstance(c, str) and c for c in cs)
    cities = {c for c, _ in synth.CITIES}
    assert len({city for city in cities if any(city[:-1] in c for c in cs)}) >= 3


def test_chinese_numerals():
    assert [synth.cn(n) for n in (1, 9, 10, 11, 20, 35, 99)] == ["一", "九", "十", "十一", "二十", "三十五", "九十九"]
