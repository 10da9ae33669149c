"""Store benchmark: load + an eligibility-style query on a synthetic policy graph, our store
(graph.store: pyoxigraph on disk) beside rdflib's Memory store (and rdflib+oxrdflib), in one run.

    python benchmarks/bench_store.py                  # 10k,100k triples, 3 interleaved repeats
    python benchmarks/bench_store.py --sizes 1000000 --repeat 3 --json out.json
    python benchmarks/bench_store.py --sizes corpus    # the graph of the bundled corpus (data/corpus)

Load paths timed: rdflib Memory ``Graph.parse`` of the N-Triples; rdflib+oxrdflib ``parse(format="ox-nt")``
into an on-disk Oxigraph; ours "transactional": ``replace_graph_ntriples`` per source file (how
ingest rewrites files already in the store: one transaction each); ours "ingest, new files": the
ingest writer for files new to the store, from the N-Quads the parsing workers make (graph_nquads;
Oxigraph bulk loader in 500k-triple batches, one loader thread per core, crash-safe through a
pending list). Synthetic files hold 10 documents (~2.7k triples) each; ours adds one content
digest triple per file.
Query: warm (median of 3 runs after one cold run). Prints medians and ratios (rdflib Memory / X).
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import rdflib  # noqa: E402
from pyoxigraph import RdfFormat  # noqa: E402

from graph import iri  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.store_base import graph_nquads  # noqa: E402
from graph.ingesting import StoreWriter  # noqa: E402
from graph.vocab import sparql_prefixes  # noqa: E402

PG, ELI, DCT, SDO = ("https://policygraph.example/ns#", "http://data.europa.eu/eli/ontology#",
                     "http://purl.org/dc/terms/", "https://schema.org/")
XSD = "http://www.w3.org/2001/XMLSchema#"
REGIONS = ["青岛市", "济南市", "烟台市", "潍坊市"]
FIELDS = ["rd_expense", "revenue", "employees", "investment"]

QUERY = sparql_prefixes() + """
SELECT ?prov ?title ?max WHERE {
  ?c1 pg:field "region" ; pg:value "青岛市" .
  ?m pg:hasCondition ?c1 , ?c2 ; pg:hasAmount ?a .
  ?c2 pg:field ?f2 ; pg:value ?min .
  FILTER(?f2 = "rd_expense" && ?min <= 30000000)
  ?a schema:maxValue ?max .
  ?prov pg:hasMeasure ?m ; eli:is_part_of ?doc .
  ?doc dcterms:title ?title ; eli:date_no_longer_in_force ?end .
  FILTER(?end >= "2025-01-01"^^xsd:date)
} ORDER BY DESC(?max) ?prov
"""
# the same kind of question in the real corpus's shape (region is a document property there)
CORPUS_QUERY = sparql_prefixes() + """
SELECT ?prov ?title ?max WHERE {
  ?c pg:field "entity_type" .
  ?m pg:hasCondition ?c ; pg:hasAmount ?a .
  ?a schema:maxValue ?max .
  ?prov pg:hasMeasure ?m ; eli:is_part_of+ ?doc .
  ?doc a eli:LegalResource ; dcterms:title ?title ; pg:region "青岛市" .
} ORDER BY DESC(?max) ?prov
"""
# One literal anchor, every other pattern chained to it: rdflib's greedy BGP ordering turns two
# unconnected anchors (?c1 region, ?c2 "rd_expense") into a cross product (94 s at 10k triples).


def synthetic(n_triples: int, seed: int = 7, docs_per_file: int = 10) -> list[str]:
    """N-Triples bodies, one per synthetic source file, of about ``n_triples`` in all (our schema)."""
    rnd = random.Random(seed)
    files, lines, d = [], [], 0
    total = 0

    def t(s, p, o):
        lines.append(f"<{s}> <{p}> {o} .")

    def lit(v, dt=None):
        return f'"{v}"^^<{XSD}{dt}>' if dt else f'"{v}"'

    while total + len(lines) < n_triples:
        doc = f"https://policygraph.example/id/doc/{d:07d}"
        t(doc, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{ELI}LegalResource>")
        t(doc, DCT + "title", lit(f"关于支持企业创新的若干政策（第{d}号）"))
        t(doc, DCT + "identifier", lit(f"syn:{d}"))
        year = rnd.randint(2018, 2027)
        t(doc, ELI + "date_no_longer_in_force", lit(f"{year}-12-31", "date"))
        for i in range(10):
            prov = f"{doc}/art_{i + 1}"
            t(prov, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{ELI}LegalResourceSubdivision>")
            t(prov, ELI + "is_part_of", f"<{doc}>")
            t(doc, ELI + "has_part", f"<{prov}>")
            t(prov, PG + "text", lit(f"对符合条件的企业给予奖励，第{i + 1}条。"))
            t(prov, PG + "order", lit(i, "integer"))
            t(prov, PG + "lineStart", lit(10 * i + 1, "integer"))
            m = f"{prov}#measure-0"
            t(prov, PG + "hasMeasure", f"<{m}>")
            t(m, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{PG}Measure>")
            for j, (field, op, value) in enumerate((("region", "==", lit(rnd.choice(REGIONS))),
                                                    (rnd.choice(FIELDS), ">=",
                                                     lit(rnd.randint(1, 100) * 1_000_000, "integer")))):
                c = f"{m}-condition-{j}"
                t(m, PG + "hasCondition", f"<{c}>")
                t(c, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{PG}Condition>")
                t(c, PG + "field", lit(field))
                t(c, PG + "op", lit(op))
                t(c, PG + "value", value)
            a = f"{m}-amount-0"
            t(m, PG + "hasAmount", f"<{a}>")
            t(a, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{SDO}MonetaryAmount>")
            t(a, SDO + "maxValue", lit(rnd.randint(1, 500) * 10_000, "integer"))
            t(a, SDO + "currency", lit("CNY"))
        d += 1
        if d % docs_per_file == 0:
            files.append("\n".join(lines) + "\n")
            total += len(lines)
            lines = []
    if lines:
        files.append("\n".join(lines) + "\n")
    return files


def corpus_files(folder: Path = Path(__file__).resolve().parent.parent / "data" / "corpus") -> list[str]:
    """N-Triples bodies of the real corpus, one per source file, exactly as ingest workers make them."""
    from graph.store_base import graph_ntriples
    from graph.ingesting import parse_to_quads, targets
    return [graph_ntriples(iri.graph_iri(k), parse_to_quads(str(f), k)["quads"]) for f, k in targets([folder])]


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _query_times(run) -> tuple[float, float, int]:
    cold, rows = _timed(run)
    warm = [_timed(run)[0] for _ in range(3)]
    return cold, statistics.median(warm), rows


def bench_rdflib(nt: str, query: str = QUERY):
    load, g = _timed(lambda: rdflib.Graph().parse(data=nt, format="nt"))
    return load, _query_times(lambda: len(list(g.query(query))))


def bench_oxrdflib(nt: str, tmp: Path, query: str = QUERY):
    def load():
        g = rdflib.Graph(store="Oxigraph")
        g.open(str(tmp / "oxrdflib"), create=True)
        g.parse(data=nt, format="ox-nt")
        return g
    t, g = _timed(load)
    res = _query_times(lambda: len(list(g.query(query))))
    g.close()
    return t, res


def bench_ours(files: list[str], tmp: Path, bulk: bool, query: str = QUERY):
    path = tmp / ("bulk" if bulk else "ours")
    # what ingest workers hand over (N-Quads with the content digest, made in the worker processes)
    quads = [graph_nquads(_graph(i).value, body) for i, body in enumerate(files)] if bulk else []

    def load():
        st = open_store(path)
        if bulk:  # exactly what `policygraph ingest` does with files new to the store
            with StoreWriter(st) as writer:
                for i, q in enumerate(quads):
                    writer.put(_graph(i).value, q, q.count(b"\n"))
        else:
            for i, body in enumerate(files):
                st.replace_graph_ntriples(_graph(i).value, body)
        return st
    t, st = _timed(load)
    res = _query_times(lambda: sum(1 for _ in st.select(query)))
    st.close()
    return t, res


def _graph(i):
    from pyoxigraph import NamedNode
    return NamedNode(f"https://policygraph.example/id/source/syn{i:05d}")


MODES = ("rdflib-memory", "rdflib+oxrdflib", "ours (transactional)", "ours (ingest, new files)")


def run(sizes, repeat: int, skip: set[str]) -> dict:
    results: dict = {}
    for n in sizes:
        files = corpus_files() if n == "corpus" else synthetic(n)
        nt = "".join(files)
        n_real = nt.count("\n")
        results[n] = {"triples": n_real, "runs": {m: [] for m in MODES if m not in skip}}
        for r in range(repeat):  # interleaved: each repeat runs every mode once
            for mode in results[n]["runs"]:
                tmp = Path(tempfile.mkdtemp(prefix="bench_store_"))
                try:
                    query = CORPUS_QUERY if n == "corpus" else QUERY
                    if mode == "rdflib-memory":
                        load, q = bench_rdflib(nt, query)
                    elif mode == "rdflib+oxrdflib":
                        load, q = bench_oxrdflib(nt, tmp, query)
                    else:
                        load, q = bench_ours(files, tmp, mode == "ours (ingest, new files)", query)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
                results[n]["runs"][mode].append({"load_s": load, "query_cold_ms": q[0] * 1e3,
                                                 "query_ms": q[1] * 1e3, "rows": q[2]})
                print(f"  {n_real:>9,} {mode:<26} run {r + 1}: load {load:7.2f} s  query {q[1] * 1e3:8.1f} ms "
                      f"(cold {q[0] * 1e3:.1f})  rows {q[2]}", file=sys.stderr, flush=True)
    return results


def report(results: dict) -> None:
    print(f"\n{'triples':>10} {'mode':<26} {'load s':>8} {'query ms':>9} {'rows':>6} {'load x':>7} {'query x':>8}")
    for n, r in results.items():
        med = {m: (statistics.median(x["load_s"] for x in runs), statistics.median(x["query_ms"] for x in runs),
                   runs[0]["rows"]) for m, runs in r["runs"].items()}
        base = med.get("rdflib-memory")
        for mode, (load, q, rows) in med.items():
            lx = f"{base[0] / load:.1f}" if base else "-"
            qx = f"{base[1] / q:.1f}" if base else "-"
            print(f"{r['triples']:>10,} {mode:<26} {load:>8.2f} {q:>9.1f} {rows:>6} {lx:>7} {qx:>8}")
        if len({v[2] for v in med.values()}) > 1:
            print("  !! row counts differ between stores", {m: v[2] for m, v in med.items()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="corpus,10000,100000", help="comma-separated triple counts, or corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma-separated modes to leave out, e.g. rdflib+oxrdflib")
    ap.add_argument("--json", help="write every run to this JSON file")
    a = ap.parse_args()
    sizes = [s if s == "corpus" else int(float(s)) for s in a.sizes.split(",")]
    results = run(sizes, a.repeat, {s.strip() for s in a.skip.split(",") if s.strip()})
    report(results)
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
