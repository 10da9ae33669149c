"""The spaCy route for phrase mentions: blank ``zh`` + jieba segmenter + a SpanRuler of the phrases in
data/rules/ (agencies, beneficiary types, industries), as registered components. Fully offline.

NOT on the hot path of ``enrich`` — decided by benchmarks/bench_extract.py (whole seed corpus, 0.50 MB,
median of 5 runs, on a shared 2-core box, 4 invocations): this pipeline alone runs at 0.39–0.59× bare
jieba.lcut throughput and regex extraction plus it at 0.33–0.51×, below the 0.7× goal, because it
must segment everything first; the regex route (character-level trie patterns in agencies.py and
beneficiaries.py, cue-word guards, regex amounts/conditions) runs at 3.8–5.2× jieba. A token-level
matcher also misses a phrase that jieba cuts differently in context. This module stays as the
measured alternative and a cross-check (tests/test_extract_nlp.py).
"""
from __future__ import annotations

from functools import lru_cache

from ..rules import load

SPANS_KEY = "policygraph"


def _phrases() -> list[dict]:
    agencies = load("agencies")
    surfaces = set(agencies.get("fixed", {})) | set(agencies.get("generic", {})) | set(agencies.get("inner", {}))
    for p in agencies.get("prefixes", []):
        surfaces |= {p + k for k in agencies.get("local", {})}
    ben = load("beneficiaries")
    patterns = [{"label": "AGENCY", "pattern": s} for s in sorted(surfaces)]
    patterns += [{"label": "BENEFICIARY", "pattern": a} for spec in ben["types"].values() for a in spec["aliases"]]
    patterns += [{"label": "INDUSTRY", "pattern": a} for al in ben.get("industries", {}).values() for a in al]
    return patterns


@lru_cache(maxsize=1)
def get_nlp():
    """The pipeline, built once per process (import spacy + jieba dictionary: a few seconds)."""
    import spacy
    from spacy.language import Language
    from spacy.tokens import Span

    if not Span.has_extension("canonical"):
        Span.set_extension("canonical", default=None)

    @Language.component("policygraph_canonical")
    def _canonical(doc):
        """Canonical agency names on the ruler's AGENCY spans (region left to the caller)."""
        from .agencies import canonical
        for span in doc.spans.get(SPANS_KEY, []):
            if span.label_ == "AGENCY":
                span._.canonical = canonical(span.text)
        return doc

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "overwrite": True})
    ruler.add_patterns(_phrases())
    nlp.add_pipe("policygraph_canonical")
    return nlp


def spacy_mentions(texts) -> list[list[tuple[str, str, int]]]:
    """(label, text, start_char) of the rule phrases in each text, via ``nlp.pipe``."""
    return [[(s.label_, s.text, s.start_char) for s in doc.spans.get(SPANS_KEY, [])]
            for doc in get_nlp().pipe(texts, batch_size=256)]
