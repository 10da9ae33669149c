"""The extract stage inside ingest.pipeline.parse_file on the real seeds (lines, tiers, contract)."""
import pytest

from conftest import seed
from ingest.pipeline import parse_file
from ingest.serialize import parsed_file_to_dict


@pytest.fixture(scope="module")
def seed000():
    return parse_file(seed("000"))


@pytest.fixture(scope="module")
def seed004():
    return parse_file(seed("004"))


def _find(pf, start: str):
    return next(p for d in pf.documents for p in d.walk() if p.text.lstrip().startswith(start))


def test_amount_lines_are_source_lines(seed000):
    p = _find(seed000, "1.引领优势产业提档升级")
    lines = seed("000").read_text(encoding="utf-8").splitlines()
    assert [(a.value_yuan, a.kind) for a in p.amounts] == [(5_000_000, "cap"), (10_000_000, "cap")]
    for a in p.amounts:
        assert str(a.value_yuan // 10_000) in lines[a.line - 1]


def test_agencies_on_real_provision(seed000):
    p = _find(seed000, "26.加强知识产权保护")
    assert "青岛市中级人民法院" in {a.name for a in p.agencies}


def test_overrides_inconsistent_in_real_document(seed000):
    assert [x.type for x in seed000.documents[0].lineage] == ["overrides_inconsistent"]


def test_rd_tiers_in_real_document(seed004):
    doc = next(d for d in seed004.documents if d.title and "提升全社会研发投入若干政策" in d.title)
    tiers = [m for p in doc.walk() for m in p.measures if m.tier_group]
    assert len(tiers) == 4 and len({m.tier_group for m in tiers}) == 1
    assert tiers[0].benefit_formula == "min(0.10 * rd_increment, 1500000)"
    assert tiers[-1].benefit_formula == "5000000"


def test_parse_json_meets_contract(seed000, seed004, schema):
    schema("parse", {"files": [parsed_file_to_dict(seed000), parsed_file_to_dict(seed004)]})
