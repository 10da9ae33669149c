"""Replicated variants of a real corpus (lawrefbook): renamed, lightly edited copies.

    python benchmarks/replicate_lawrefbook.py SRC OUT --factor 2.4     # ~2,400 documents from 985
    python benchmarks/replicate_lawrefbook.py SRC OUT --factor 100 --seed 1

Copy 0 is the corpus as it is; copy k > 0 of a file moves it to another place (the place names
come from the corpus's own titles, so no list of places is written here), shifts every year by k,
and changes a few words, so that no copy is byte-identical to another while the text keeps the
shapes real documents have (boilerplate shared across cities, as in a national corpus). A
fractional factor takes a seeded sample of the files for the last copy.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

# a place at the start of a title: 浙江省 / 杭州市 / 酉阳土家族苗族自治县 …
_PLACE = re.compile(r"^(.{2,10}?(?:自治州|自治县|省|市|县|区|州|盟|旗))")
_YEAR = re.compile(r"((?:19|20)\d{2})(?=\s*年)")
_FILE_DATE = re.compile(r"\((\d{4})(-\d{2}-\d{2})\)")
# light edits: a few synonymous words swapped, as editors of another city's copy do
_SWAPS = (("应当", "应"), ("有关部门", "相关部门"), ("按照", "依照"), ("组织", "单位"), ("加强", "强化"),
          ("规定", "规范"), ("依法", "依照法律"), ("鼓励", "支持"))


def corpus_files(src: Path) -> list[Path]:
    """The corpus's documents (.md/.txt), sorted."""
    return sorted(p for p in src.rglob("*") if p.suffix in (".md", ".txt") and p.is_file())


def places_of(files: list[Path]) -> list[str]:
    """Distinct places that start the corpus's file names (its titles), sorted."""
    return sorted({m.group(1) for f in files if (m := _PLACE.match(f.stem))})


def edited_copy(text: str, name: str, k: int, places: list[str], rng: random.Random) -> tuple[str, str]:
    """(text, file name) of copy k: another place, years + k, a few words swapped."""
    m = _PLACE.match(name)
    if m and places:
        old = m.group(1)
        new = places[(places.index(old) + 7 * k) % len(places)] if old in places else rng.choice(places)
        text, name = text.replace(old, new), new + name[len(old):]
    text = _YEAR.sub(lambda y: str(int(y.group(1)) + k), text)
    name = _FILE_DATE.sub(lambda y: f"({int(y.group(1)) + k}{y.group(2)})", name)
    for a, b in rng.sample(_SWAPS, 3):
        hits = [h.start() for h in re.finditer(a, text)]
        for pos in sorted(rng.sample(hits, min(2, len(hits))), reverse=True):
            text = text[:pos] + b + text[pos + len(a):]
    return text, name


def replicate(src: Path, out: Path, factor: float, seed: int = 0) -> int:
    """Write ``factor`` × the corpus into ``out`` (copy k in out/cK/…); the number of files."""
    files = corpus_files(src)
    places, rng = places_of(files), random.Random(seed)
    n_total, n = round(len(files) * factor), 0
    used = {f.name for f in files}  # document ids come from file names: unique across the copies
    for k in range(int(factor) + (factor % 1 > 0)):
        chosen = files if (k + 1) * len(files) <= n_total else \
            sorted(random.Random(seed + k).sample(files, n_total - k * len(files)))
        for f in chosen:
            dest_dir = out / f"c{k}" / f.parent.relative_to(src)
            dest_dir.mkdir(parents=True, exist_ok=True)
            if k == 0:
                shutil.copyfile(f, dest_dir / f.name)
            else:
                text, name = edited_copy(f.read_text(encoding="utf-8"), f.name, k, places, rng)
                dest = dest_dir / name
                while dest.name in used:  # two places' copies landing on one name
                    dest = dest.with_stem(f"{dest.stem}_{k}")
                used.add(dest.name)
                dest.write_text(text, encoding="utf-8")
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--factor", type=float, default=2.4)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if a.factor <= 0:
        raise SystemExit(f"--factor {a.factor!r} must be positive")
    print(f"{replicate(a.src, a.out, a.factor, a.seed)} files in {a.out}")


if __name__ == "__main__":
    main()
