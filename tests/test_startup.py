"""Start-up of the `policygraph` command: what a command does not need is not imported (issue 15).

The modules below were made lazy for `parse` (each cost 10-300 ms of a whole-process parse):
cn2an (and proces, which it imports) for numerals in the standard form, rich when the output is
--json, rapidfuzz unless a compilation's TOC title needs a fuzzy match, pydantic for typer's plain
values; numpy for a ``status`` the stored timelines answer. Whole-process timings are in
benchmarks/bench_pdf.py --whole, never here.
"""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_WITHOUT_TOC = ROOT / "data" / "corpus" / "000_33e7952dd851df8e.txt"
TYPER_PATCHED = __import__("typer").__version__.startswith(__import__("cli")._TYPER_CHECKED)
MADE_LAZY_FOR_PARSE = {"cn2an", "proces", "rich", "rapidfuzz"} | ({"pydantic", "pydantic_core"} if TYPER_PATCHED else set())
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \| +([\w.]+)$", re.M)


def _imported_by(*args: str) -> tuple[set[str], str]:
    """Top-level packages imported by ``policygraph ARGS`` (its forked parse worker included)."""
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli", *args], cwd=ROOT, capture_output=True,
                       text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert p.returncode == 0, p.stderr[-2000:]
    return {m.split(".")[0] for m in _IMPORTED.findall(p.stderr)}, p.stdout


def test_parse_of_a_text_file_imports_none_of_the_modules_made_lazy():
    modules, out = _imported_by("parse", str(SEED_WITHOUT_TOC), "--json")
    assert json.loads(out)["files"][0]["documents"], "the parse itself must have run"
    assert "ingest" in modules  # the check sees what the command imports
    assert modules & MADE_LAZY_FOR_PARSE == set()


def test_status_answered_from_stored_timelines_imports_no_numpy(tmp_path):
    """After an ingest, ``status`` is a lookup: queries.status (numpy, the lineage derivation) stays out."""
    store = str(tmp_path / "store")
    _imported_by("ingest", str(SEED_WITHOUT_TOC), "--store", store, "--json")
    modules, out = _imported_by("status", "--json", "--store", store)
    assert json.loads(out)["documents"]
    assert "numpy" not in modules


def test_readable_parse_output_still_gets_rich():
    modules, out = _imported_by("parse", str(SEED_WITHOUT_TOC))
    assert "rich" in modules and out.strip()


def test_plain_numerals_read_as_cn2an_reads_them():
    """Every numeral the fast path takes gives cn2an's value (all up to 3,000, 2,000 random ones up to
    10^16 with many zeros, every 2-3 digit run such as 二〇, 一〇五); others fall through to cn2an."""
    cn2an = pytest.importorskip("cn2an")
    from ingest.patterns import cn_numeral, plain_numeral, standard_numeral

    rnd = random.Random(15)
    numbers = list(range(3000)) + [int("".join(rnd.choice("0000123456789") for _ in range(rnd.randint(5, 16))))
                                   for _ in range(2000)]
    samples = [standard_numeral(n) for n in numbers]
    digits = "零〇一二三四五六七八九"
    samples += [a + b for a in digits for b in digits] + [a + b + c for a in digits for b in "〇一" for c in digits]
    taken = 0
    for s in samples:
        n = plain_numeral(s)
        if n is None:
            continue
        taken += 1
        assert Decimal(n) == Decimal(str(cn2an.cn2an(s, "smart"))), s
    assert taken > 4500
    for other in ("一万二", "两千三", "1.5万", "叁佰", "一百千", "十五"):
        assert plain_numeral(other) is None, other
    assert cn_numeral("一万二") == Decimal(12000) and cn_numeral("两千三百万") == Decimal(23_000_000)


def _coercions(param, value):
    """(result or error message) of one value through the CLI's coercion and through typer's own."""
    from typer._coercion import build_runtime_param

    from typer._click.exceptions import BadParameter

    out = []
    for runtime in (param.get_runtime_param(), build_runtime_param(param.type_descriptor)):
        try:
            out.append(("ok", runtime.coerce(value, param=param, ctx=None)))
        except BadParameter as e:
            out.append(("error", e.format_message()))
    return out


SAMPLES = {
    "str": ["", "x", " padded ", "我们是青岛的企业", "sparql+http://localhost:8890/sparql", b"bytes", None],
    "bool": [True, False, None, "true", "no"],
    "int": [0, 1, 100, -1, "50", "abc", None],
    "float": [0.5, 0.0, "0.7", "x", None],
    "Path": ["a.txt", " a.txt ", "", "-", "/", "数据/通知.txt", str(ROOT / "README.md"), None],
}


def test_cli_values_are_coerced_exactly_as_typer_would():
    """The pydantic-free values of cli.py give what typer's adapters give: value or error message."""
    if not TYPER_PATCHED:
        pytest.skip("this typer is not among the releases cli.py takes plain values for")
    import typer.main

    import cli

    checked = 0
    group = typer.main.get_command(cli.app)
    commands = [c for g in (group, *[c for c in group.commands.values() if hasattr(c, "commands")])
                for c in g.commands.values() if not hasattr(c, "commands")]
    for cmd in commands:
        for param in cmd.params:
            ann = param.type_descriptor.annotation
            name = getattr(ann, "__name__", "")
            if str(ann) in ("list[pathlib.Path]", "list[str]"):
                item = "Path" if "Path" in str(ann) else "str"
                values = [[v] for v in SAMPLES[item] if v is not None] + [[*SAMPLES[item][:3]], []]
            else:
                values = SAMPLES[name]
            for v in values:
                ours, typers = _coercions(param, v)
                assert ours == typers, (cmd.name, param.name, v)
                checked += 1
    assert checked > 200
