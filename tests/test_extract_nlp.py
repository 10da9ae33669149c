"""The spaCy route (ingest/extract/nlp.py): registered components built offline from data/rules/.
Not on enrich's hot path (see benchmarks/bench_extract.py); kept as a measured cross-check."""
import pytest

from extract_helpers import run


@pytest.mark.slow
def test_spacy_span_ruler_finds_rule_phrases_offline():
    pytest.importorskip("spacy")
    from ingest.extract.nlp import spacy_mentions
    text = "（责任单位：市科技局、市工业和信息化局）支持高新技术企业和高校院所，围绕集成电路产业。"
    (found,) = spacy_mentions([text])
    labels = {(label, t) for label, t, _ in found}
    assert {("AGENCY", "市科技局"), ("BENEFICIARY", "高新技术企业"), ("INDUSTRY", "集成电路")} <= labels
    # the regex route finds the same agencies
    assert {a.text for a in run(text).agencies} == {t for label, t, _ in found if label == "AGENCY"}
