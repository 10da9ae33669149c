"""The package installs: a wheel (and an editable install) carries the rules, shapes, ontology, example
profiles and bundled corpus as package data, and `policygraph` works from any folder.

Each install goes into a fresh venv (``--system-site-packages`` lends the third-party dependencies, so
nothing is downloaded); policygraph itself comes from the wheel or the copy, never from this checkout.
The build runs on a copy of the repository, so the checkout gains no build/ or egg-info.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, seed

pytestmark = pytest.mark.slow  # ~30 s: a wheel build, two venvs, a parse and an eligibility run in each

SKIP = shutil.ignore_patterns(".git", "store", "__pycache__", ".pytest_cache", ".hypothesis", "build", "out",
                              "*.egg-info", "results")


def run(cmd: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "POLICYGRAPH_STORE")}
    proc = subprocess.run(cmd, cwd=cwd, env=dict(env, **kw), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (cmd, proc.stdout[-2000:], proc.stderr[-3000:])
    return proc


def source_copy(tmp: Path) -> Path:
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    return src


def venv(tmp: Path) -> Path:
    run([sys.executable, "-m", "venv", "--system-site-packages", str(tmp / "venv")], cwd=tmp)
    return tmp / "venv" / "bin"


def check_installed(bin_: Path, elsewhere: Path, home: Path, expect_under: Path) -> None:
    """From a folder that is not the project: policygraph's modules and data come from
    ``expect_under``; parse reads a corpus file; eligibility answers from a store in the user's
    data folder (a wheel) or data/store (an editable checkout), with a bundled example profile by name."""
    where = json.loads(run([str(bin_ / "python"), "-c", "import json, cli, ingest.resources as r; "
                            "print(json.dumps([cli.__file__, str(r.data_file('rules', 'furniture.yaml')), "
                            "r.data_package()]))"], cwd=elsewhere).stdout)
    assert all(Path(p).resolve().is_relative_to(expect_under.resolve()) for p in where[:2]), where
    assert where[2] == "policygraph_data"
    doc = elsewhere / "某市政策.txt"
    doc.write_bytes(seed("003").read_bytes())
    parsed = json.loads(run([str(bin_ / "policygraph"), "parse", doc.name, "--json"], cwd=elsewhere).stdout)
    f, = parsed["files"]
    assert not f.get("error") and f["documents"] and f["documents"][0]["provisions"], f.get("error")
    run([str(bin_ / "policygraph"), "ingest", doc.name], cwd=elsewhere, HOME=str(home))
    store = expect_under / "data" / "store" if (expect_under / "pyproject.toml").exists() else \
        home / ".local" / "share" / "policygraph" / "store"  # a wheel's default store: never site-packages
    assert store.is_dir(), store
    res = json.loads(run([str(bin_ / "policygraph"), "eligibility", "--profile", "qingdao_rd_firm", "--json"],
                         cwd=elsewhere, HOME=str(home)).stdout)
    assert res["results"], res


def test_wheel_installs_with_its_data_and_parses_from_another_folder(tmp_path):
    src = source_copy(tmp_path)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"),
         str(src)], cwd=tmp_path)
    wheel, = (tmp_path / "dist").glob("policygraph-*.whl")
    bin_ = venv(tmp_path)
    run([str(bin_ / "python"), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)], cwd=tmp_path)
    shutil.rmtree(src)  # the installed package must not need its source
    elsewhere, home = tmp_path / "elsewhere", tmp_path / "home"
    elsewhere.mkdir()
    (elsewhere / "data").mkdir()  # a user's own data/ folder must not be taken for the package data
    check_installed(bin_, elsewhere, home, tmp_path / "venv")


def test_editable_install_finds_the_data_of_its_checkout(tmp_path):
    src = source_copy(tmp_path)
    bin_ = venv(tmp_path)
    run([str(bin_ / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e", str(src)],
        cwd=tmp_path)
    elsewhere, home = tmp_path / "elsewhere", tmp_path / "home"
    elsewhere.mkdir()
    check_installed(bin_, elsewhere, home, src)
