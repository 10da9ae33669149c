"""A seeded synthetic corpus of Chinese policy documents, recombined from the real seed provisions.

    python benchmarks/synth.py OUT_DIR -n 10000 [--seed 0]

Sentences come from the provisions ``ingest.pipeline.parse_file`` finds in ``data/corpus`` (so
their vocabulary, amounts and conditions are real); each document recombines them under a new
title, city, issuer, 文号, dates and numbering style, in one of the two header layouts the
parser reads (印发 wrapper notice with 落款 above the policy, or title + 文号 on top and 落款 at the
end). Amounts, ratios and years are varied. Some documents are *revisions* of an earlier one
(same title and issuer, later date, new 文号, some clauses changed, ``《X》（文号）同时废止。``),
some are byte-identical *duplicates* under another file name, and some clauses are copied with
small edits from earlier documents (near-duplicate provisions), at rates that keep the number
of near-duplicate pairs linear in the corpus size.

``OUT_DIR/manifest.json`` records each file's title, issuer, 文号, date and what it revises or
duplicates (ground truth for tests). Pure string work: 10k documents take a few seconds.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"

# (city, 文号 prefix): the cities a provincial corpus would hold
CITIES = (("青岛市", "青"), ("济南市", "济"), ("烟台市", "烟"), ("潍坊市", "潍"), ("淄博市", "淄"),
          ("威海市", "威"), ("临沂市", "临"), ("日照市", "日"), ("德州市", "德"), ("泰安市", "泰"))
# (issuer suffix, 文号 infix, short name used in clauses)
ISSUERS = (("人民政府", "政发", "市政府"), ("人民政府办公厅", "政办发", "市政府办公厅"),
           ("人民政府", "政字", "市政府"), ("人民政府办公厅", "政办字", "市政府办公厅"),
           ("科学技术局", "科字", "市科技局"), ("财政局", "财字", "市财政局"),
           ("工业和信息化局", "工信字", "市工业和信息化局"), ("发展和改革委员会", "发改字", "市发展改革委"),
           ("人力资源和社会保障局", "人社字", "市人力资源社会保障局"), ("商务局", "商字", "市商务局"))
TOPICS = ("集成电路", "人工智能", "生物医药", "海洋科技", "新能源汽车", "高端装备", "科技成果转化",
          "研发投入", "知识产权", "科技金融", "人才引进", "新型研发机构", "专精特新企业", "数字经济",
          "工业互联网", "绿色低碳", "虚拟现实", "氢能", "智能家电", "轨道交通装备", "现代种业",
          "低空经济", "商业航天", "新材料", "医疗器械", "软件和信息技术服务", "检验检测", "创业孵化",
          "技术转移", "首台（套）装备", "科技型中小企业", "高新技术企业", "跨境电商", "总部经济")
ACTIONS = ("关于支持{t}发展的", "关于加快{t}高质量发展的", "促进{t}创新发展的", "推动{t}产业集聚的",
           "支持{t}企业做大做强的", "关于进一步扶持{t}的", "加快培育{t}新动能的", "深化{t}改革创新的")
# (title ending, short name used in 本X自…施行, body style): A = 一、/1. ; B = 第X条 ; C = 第X章 + 第X条
TYPES = (("若干政策措施", "措施", "A"), ("若干措施", "措施", "A"), ("若干政策", "政策", "A"),
         ("实施意见", "意见", "A"), ("行动方案（{y}-{y2}年）", "方案", "A"), ("实施细则（试行）", "细则", "B"),
         ("管理办法", "办法", "C"), ("暂行办法", "办法", "B"), ("实施办法", "办法", "C"))
CN_NUM = "零一二三四五六七八九"
_MONEY = re.compile(r"(\d+(?:\.\d+)?)(\s*)(万元|亿元)")
_PERCENT = re.compile(r"(\d{1,2})%")
_YEAR = re.compile(r"(20[12]\d)年")
_SKIP = re.compile(r"施行|实施之日|有效期|废止|停止执行|负责解释|印发|此件|抄送|通知|附件|\t|^[-—•·*（(]|^[\d一二三四五六七八九十]+[、.．)）]")


def cn(n: int) -> str:
    """Chinese numeral for 1..99 as in 第二十三条.

    >>> cn(1), cn(10), cn(23), cn(40)
    ('一', '十', '二十三', '四十')
    """
    tens, ones = divmod(n, 10)
    return ((CN_NUM[tens] if tens > 1 else "") + "十" if tens else "") + (CN_NUM[ones] if ones else "")


@dataclass(frozen=True)
class Material:
    """Sentence pools cut from the seed corpus' parsed provisions."""

    money: tuple[str, ...]  # sentences with 万元/亿元/%: the ones that yield measures
    plain: tuple[str, ...]
    headings: tuple[str, ...]  # short provision headings (一、鼓励企业加大研发投入)
    purposes: tuple[str, ...]  # 为…，制定… opening sentences


@lru_cache(maxsize=4)
def load_material(corpus: Path = CORPUS) -> Material:
    """Parse the seed files once and pool their sentences (sorted, so the result is deterministic)."""
    from ingest.pipeline import parse_file

    money, plain, headings, purposes = set(), set(), set(), set()
    for path in sorted(Path(corpus).glob("*.txt")):
        for doc in parse_file(path).documents:
            for p in doc.walk():
                if p.heading and 4 <= len(p.heading) <= 24 and not _SKIP.search(p.heading):
                    headings.add(p.heading.strip("。 "))
                body = p.text[len(p.label or ""):].lstrip() if p.label and p.text.startswith(p.label) else p.text
                if p.heading and body.startswith(p.heading):
                    body = body[len(p.heading):]
                for line in body.split("\n") if not p.children else body.split("\n")[:1]:
                    for s in re.findall(r"[^。；]*[。；]", line.strip()):
                        s = s.strip().replace("；", "。")
                        if not 14 <= len(s) <= 260 or _SKIP.search(s) or s.count("“") != s.count("”"):
                            continue
                        if s.startswith("为") and "制定" in s:
                            purposes.add(s)
                        elif _MONEY.search(s) or _PERCENT.search(s):
                            money.add(s)
                        else:
                            plain.add(s)
    if not money or not plain:
        raise ValueError(f"no usable provisions found in {corpus}")
    return Material(*(tuple(sorted(x)) for x in (money, plain, headings, purposes or {"为加快科技创新，制定本措施。"})))


@dataclass
class SynthDoc:
    """One generated document (mutable while it is built; ``text`` renders it)."""

    name: str
    title: str
    city: str
    issuer: str
    doc_number: str | None
    date: tuple[int, int, int]
    style: str
    short: str
    layout: str
    sections: list  # [(heading, [clause, ...]), ...]; B/C: headings only matter for C
    end: tuple[int, int, int] | None = None
    repeals: tuple[str, str | None] | None = None  # (title, 文号) of the version this one replaces
    kind: str = "original"  # original | revision | duplicate
    of: str | None = None  # file name of the revised / duplicated document
    extra: dict = field(default_factory=dict)


class Generator:
    """Seeded document factory; ``docs(n)`` yields SynthDoc objects, reproducibly."""

    def __init__(self, seed: int = 0, material: Material | None = None, revision_rate: float = 0.12,
                 duplicate_rate: float = 0.03, reuse_rate: float = 0.04):
        self.rnd = random.Random(seed)
        self.m = material or load_material()
        self.revision_rate, self.duplicate_rate, self.reuse_rate = revision_rate, duplicate_rate, reuse_rate
        self.made: list[SynthDoc] = []
        self.serial: dict[str, int] = {}

    # ---- pieces ------------------------------------------------------------------------------
    def _vary(self, s: str, city: str) -> str:
        r = self.rnd

        def money(m):
            v = float(m.group(1)) * r.choice((0.5, 0.6, 0.8, 1, 1, 1.2, 1.5, 2, 3))
            v = round(v) if v >= 10 else round(v, 1)
            return f"{int(v) if float(v).is_integer() else v}{m.group(2)}{m.group(3)}"
        s = _MONEY.sub(money, s)
        s = _PERCENT.sub(lambda m: f"{max(1, min(99, int(m.group(1)) + r.randint(-5, 5)))}%", s)
        s = _YEAR.sub(lambda m: f"{int(m.group(1)) + r.randint(0, 3)}年", s)
        return s.replace("青岛市", city).replace("青岛", city[:-1])

    def _clause(self, city: str, money: bool) -> str:
        r = self.rnd
        if self.made and r.random() < self.reuse_rate:  # copied from an earlier policy, lightly edited
            old = r.choice(self.made)
            pool = [c for _, cs in old.sections for c in cs]
            if pool:
                return self._edit(r.choice(pool), city)
        k = r.choice((1, 2, 2, 3))
        parts = [r.choice(self.m.money if money and i == k - 1 else self.m.plain) for i in range(k)]
        return self._vary("".join(parts), city)

    def _edit(self, clause: str, city: str) -> str:
        """A near copy: amounts varied, maybe a few characters dropped."""
        s = self._vary(clause, city)
        if len(s) > 30 and self.rnd.random() < 0.5:
            i = self.rnd.randrange(5, len(s) - 5)
            s = s[:i] + s[i + self.rnd.randint(1, 3):]
        return s

    def _date(self, lo: int = 2016, hi: int = 2025) -> tuple[int, int, int]:
        r = self.rnd
        return r.randint(lo, hi), r.randint(1, 12), r.randint(1, 28)

    def _docno(self, prefix: str, infix: str, year: int) -> str | None:
        if self.rnd.random() < 0.15:
            return None
        key = f"{prefix}{infix}{year}"
        self.serial[key] = self.serial.get(key, 0) + self.rnd.randint(1, 9)
        return f"{prefix}{infix}〔{year}〕{self.serial[key]}号"

    # ---- documents -----------------------------------------------------------------------------
    def _new(self, i: int) -> SynthDoc:
        r = self.rnd
        city, prefix = r.choice(CITIES)
        suffix, infix, _ = r.choice(ISSUERS)
        ending, short, style = r.choice(TYPES)
        date = self._date()
        ending = ending.format(y=date[0], y2=date[0] + 2)
        title = (city + r.choice(ACTIONS).format(t=r.choice(TOPICS)) + ending).replace("企业企业", "企业")
        title = title.replace("的若干", "若干").replace("的管理", "管理") if r.random() < 0.3 else title
        n_sec = r.randint(3, 6) if style == "A" else (r.randint(3, 5) if style == "C" else 1)
        sections = []
        for _ in range(n_sec):
            n = r.randint(1, 4) if style == "A" else r.randint(3, 6) if style == "C" else r.randint(6, 14)
            sections.append((r.choice(self.m.headings), [self._clause(city, r.random() < 0.5) for _ in range(n)]))
        end = (date[0] + r.choice((2, 3, 3, 5)), date[1], date[2]) if r.random() < 0.7 else None
        return SynthDoc(f"{i:06d}", title, city, city + suffix, self._docno(prefix, infix, date[0]), date,
                        style, short, r.choice(("wrapper", "wrapper", "plain")), sections, end)

    def _revision(self, i: int, old: SynthDoc) -> SynthDoc:
        r = self.rnd
        year = min(old.date[0] + r.randint(1, 4), 2026)
        date = (year, r.randint(1, 12), r.randint(1, 28))
        sections = [(h, [self._edit(c, old.city) if r.random() < 0.2 else c for c in cs]) for h, cs in old.sections]
        if r.random() < 0.5:  # one clause dropped, one added
            h, cs = r.choice(sections)
            if len(cs) > 1:
                cs.pop(r.randrange(len(cs)))
            cs.append(self._clause(old.city, True))
        prefix = next(p for c, p in CITIES if c == old.city)
        infix = next(x for s, x, _ in ISSUERS if old.issuer.endswith(s))
        end = (year + r.choice((2, 3, 5)), date[1], date[2]) if r.random() < 0.7 else None
        return SynthDoc(f"{i:06d}", old.title, old.city, old.issuer, self._docno(prefix, infix, year), date,
                        old.style, old.short, old.layout, sections, end, repeals=(old.title, old.doc_number),
                        kind="revision", of=old.name)

    def docs(self, n: int):
        """Yield ``n`` documents: originals, revisions and duplicates (file name = index)."""
        r = self.rnd
        for i in range(n):
            u = r.random()
            if self.made and u < self.duplicate_rate:
                old = r.choice(self.made)
                yield SynthDoc(**{**old.__dict__, "name": f"{i:06d}", "kind": "duplicate", "of": old.name,
                                  "extra": {"text": render(old)}})
                continue
            revisable = [d for d in self.made[-200:] if d.kind != "duplicate" and d.date[0] < 2025]
            doc = (self._revision(i, r.choice(revisable)) if revisable and u < self.duplicate_rate + self.revision_rate
                   else self._new(i))
            self.made.append(doc)
            yield doc


# ---- rendering ----------------------------------------------------------------------------------

def _ymd(d) -> str:
    return f"{d[0]}年{d[1]}月{d[2]}日"


def _body(doc: SynthDoc) -> list[str]:
    out: list[str] = []
    if doc.style == "A":
        for k, (heading, clauses) in enumerate(doc.sections, 1):
            out.append(f"{cn(k)}、{heading}")
            for j, c in enumerate(clauses, 1):
                out.append(f"{j}.{c}" if len(clauses) > 1 else c)
        return out
    n = 0
    for k, (heading, clauses) in enumerate(doc.sections, 1):
        if doc.style == "C":
            out.append(f"第{cn(k)}章　{'总则' if k == 1 else heading}")
        for c in clauses:
            n += 1
            out.append(f"第{cn(n)}条　{c}")
    return out


def _closing(doc: SynthDoc) -> str:
    s = f"本{doc.short}自{_ymd(doc.date)}起施行"
    s += f"，有效期至{_ymd(doc.end)}。" if doc.end else "。"
    if doc.repeals:
        title, number = doc.repeals
        s += f"《{title}》（{number}）同时废止。" if number else f"《{title}》同时废止。"
    return s


def render(doc: SynthDoc) -> str:
    """The document as a plain-text file in one of the two header layouts."""
    if "text" in doc.extra:
        return doc.extra["text"]
    purpose = doc.extra.get("purpose") or f"为加快{doc.city}科技创新和产业发展，结合实际，制定本{doc.short}。"
    body = _body(doc)
    closing = _closing(doc)
    if doc.style == "A":
        body.append(closing)
    else:
        body.append(f"第{cn(sum(len(c) for _, c in doc.sections) + 1)}条　{closing}")
    lines: list[str] = []
    if doc.layout == "wrapper":
        if doc.doc_number:
            lines.append(doc.doc_number)
        lines += [f"{doc.issuer}关于印发{doc.title}的通知",
                  "各区、市人民政府，市政府各部门，市直各单位：",
                  f"《{doc.title}》已经市政府研究同意，现印发给你们，请认真贯彻执行。",
                  doc.issuer, _ymd(doc.date), "（此件公开发布）", doc.title, purpose, *body]
    else:
        lines += [doc.title, *([doc.doc_number] if doc.doc_number else []), purpose, *body, doc.issuer, _ymd(doc.date)]
    return "\n\n".join(lines) + "\n"


def corpus_texts(n: int, seed: int = 0, **kw):
    """(file name, text, SynthDoc) for ``n`` documents, in order."""
    for doc in Generator(seed, **kw).docs(n):
        yield f"{doc.name}.txt", render(doc), doc


def write_corpus(out: str | Path, n: int, seed: int = 0, **kw) -> dict:
    """Write ``n`` documents as ``OUT/NNNNNN.txt`` plus ``OUT/manifest.json``; returns the manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    entries, size = [], 0
    for name, text, doc in corpus_texts(n, seed, **kw):
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        size += len(data)
        entries.append({"file": name, "title": doc.title, "issuer": doc.issuer, "doc_number": doc.doc_number,
                        "date": "%04d-%02d-%02d" % doc.date, "kind": doc.kind,
                        "of": None if doc.of is None else f"{doc.of}.txt",
                        "provisions": sum(len(c) for _, c in doc.sections)})
    manifest = {"seed": seed, "documents": n, "bytes": size, "files": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=0), encoding="utf-8")
    return manifest


def clauses(n: int, seed: int = 0, **kw) -> list[str]:
    """The first ``n`` clause texts of a generated corpus (input for the near-duplicate benchmark)."""
    out: list[str] = []
    for doc in Generator(seed, **kw).docs(10 ** 9):
        if doc.kind != "duplicate":
            out.extend(c for _, cs in doc.sections for c in cs)
        if len(out) >= n:
            return out[:n]
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    m = write_corpus(a.out, a.n, a.seed)
    kinds = {k: sum(1 for f in m["files"] if f["kind"] == k) for k in ("original", "revision", "duplicate")}
    print(f"wrote {a.n} documents ({m['bytes'] / 1e6:.1f} MB; {kinds}) to {a.out} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
