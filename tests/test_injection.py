"""Hostile text (issue 9): user text never reaches SPARQL or a shell unescaped.

Injection strings go through every place a user types or names something: the search box, the
question box, profile fields, document ids/titles (status, diff), uploaded file names, and the
SPARQL box, which must refuse every update form and stop a runaway query. The store's content is
checked unchanged after each. Also: no eval/exec/shell in the code, and no network at run time.
``INJECTIONS`` and ``UPDATES`` are the figures for the closing note.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from conftest import ROOT, seed
from graph.store import open_store
from graph.ingesting import ingest_paths

CANARY = "/tmp/policygraph_injection_canary"
INJECTIONS = [
    '" } ; DROP ALL ; #',
    "'); DELETE WHERE {?s ?p ?o} #",
    '"> } ; CLEAR ALL',
    '\\" } ; INSERT DATA { <urn:a> <urn:b> <urn:c> } #',
    "} } ; DROP GRAPH <urn:x> ; SELECT * WHERE { {",
    "# comment\nDROP ALL",
    "\\u0022 } ; DROP ALL ; #",
    "FILTER(true) } UNION { ?s ?p ?o",
    "SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "\u0000",
    "研发\u0000投入",
    "研发投入" * 5000,
    "x" * 200_000,
    f"$(touch {CANARY})",
    f"`touch {CANARY}`",
    f"; touch {CANARY} #",
    f"| touch {CANARY}",
    "__import__('os').system('touch " + CANARY + "')",
    "{{7*7}} ${7*7} %s%s%n",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    "第一条'; DROP TABLE policies; --",
    "研发 OR 1=1",
    "\r\n\r\nHTTP/1.1 200 OK\r\n",
    "\\", '"', "'", "*", "%", "?s ?p ?o", "",
    "\u202e\ufeff\u200b", "💥🧨",
    "\udcff",  # a lone surrogate: what undecodable bytes in argv become
    "员工两十零人，研发投入一十零万元，排名第十零",  # numerals cn2an chokes on (KeyError)
]
UPDATES = [
    "DROP ALL", "drop all", "DrOp DeFaUlT", "CLEAR ALL", "clear graph <urn:x>", "CREATE GRAPH <urn:x>",
    "LOAD <http://127.0.0.1:9/x.ttl>", "load silent <file:///etc/passwd> into graph <urn:x>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "insert data { graph <urn:g> { <urn:a> <urn:b> 1 } }",
    "DELETE WHERE { ?s ?p ?o }", "delete { ?s ?p ?o } where { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "ADD DEFAULT TO <urn:x>", "MOVE DEFAULT TO <urn:x>", "COPY DEFAULT TO <urn:x>",
    "# a comment first\nDROP ALL", "PREFIX ex: <urn:ex:>\nDELETE WHERE { ?s ?p ?o }",
    "BASE <urn:b/> PREFIX x: <urn:x> CLEAR DEFAULT",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "ASK {} ; CLEAR ALL",
    "SELECT * WHERE { ?s ?p ?o } # \nDROP ALL",
    "/* no block comments in SPARQL */ DROP ALL",
    "\\u0044ROP ALL", "DROP\tALL", "DROP\nALL", "  \n DROP SILENT ALL",
    "INSERT { ?s <urn:p> 1 } WHERE { ?s ?p ?o }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inj")
    corpus = folder / "corpus"
    corpus.mkdir()
    for p in ("000", "002"):
        shutil.copy(seed(p), corpus)
    path = folder / "store"
    summary = ingest_paths([corpus], str(path))
    assert summary["files"] == 2 and not summary["errors"]
    return str(path)


def _fingerprint(store: str) -> tuple[int, str]:
    with open_store(store, read_only=True) as st:
        quads = sorted(str(q) for q in st.quads())
    return len(quads), hashlib.sha256("\n".join(quads).encode()).hexdigest()


@pytest.fixture(scope="module")
def original(store):
    return _fingerprint(store)


def _user_error_or_result(fn, *args, **kwargs):
    """A hostile input may be refused (ValueError with a one-line message) or answered; nothing else."""
    try:
        out = fn(*args, **kwargs)
    except ValueError as e:
        assert str(e) and "Traceback" not in str(e)
        return None
    assert isinstance(out, dict)
    json.dumps(out, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("text", INJECTIONS, ids=range(len(INJECTIONS)))
def test_hostile_text_in_every_box(store, original, text):
    from queries.ask import ask
    from queries.search_store import search_for_store
    from queries.status import diff_for_store, status_for_store
    _user_error_or_result(search_for_store, store, text)
    _user_error_or_result(ask, store, text)
    _user_error_or_result(status_for_store, store, document=text)
    _user_error_or_result(diff_for_store, store, text, text)
    with pytest.raises(ValueError):  # not a query: refused before the store sees it
        from queries.sparql import run_query
        run_query(store, text)
    assert not os.path.exists(CANARY)
    assert _fingerprint(store) == original


@pytest.mark.parametrize("text", INJECTIONS[:12] + INJECTIONS[14:19], ids=range(17))
def test_hostile_profile_fields(store, original, tmp_path, text):
    from queries.eligibility import eligibility_for_store, load_profile, validate_profile
    prof = {"name": text, "region": text, "district": text, "industries": [text], "qualifications": [text, "高新技术企业"]}
    checked = validate_profile(prof)
    _user_error_or_result(eligibility_for_store, store, checked, as_of="2025-01-01", include_ineligible=True)
    for bad in ({"region": {"$ne": 1}}, {"x" + text[:50]: 1}, {"employees": text}, {"founded": text}):
        with pytest.raises(ValueError):
            validate_profile(bad)
    f = tmp_path / "p.json"
    f.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_profile(f)
    except ValueError as e:
        assert "p.json" in str(e)
    assert not os.path.exists(CANARY)
    assert _fingerprint(store) == original


@pytest.mark.parametrize("update", UPDATES, ids=range(len(UPDATES)))
def test_sparql_box_refuses_updates(store, original, update):
    from queries.sparql import check_read_only, run_query
    with pytest.raises(ValueError, match="not allowed|syntax error"):
        check_read_only(update)
    with pytest.raises(ValueError):
        run_query(store, update)
    if "SERVICE" not in update:  # the store itself would not run an update either
        with open_store(store, read_only=True) as st, pytest.raises((ValueError, OSError, SyntaxError)):
            st.select(update)
    assert _fingerprint(store) == original


VIRTUOSO_TRICKS = [
    'SELECT * WHERE { ?s ?p ?o FILTER(bif:contains(?o, "x")) }',
    'SELECT (bif:file_to_string("/etc/passwd") AS ?x) WHERE {}',
    'SELECT * WHERE { ?s ?p ?o FILTER(<http://www.openlinksw.com/schemas/bif#system>("ls")) }',
    'PREFIX b: <http://www.openlinksw.com/schemas/bif#> SELECT * WHERE { ?s ?p ?o FILTER(b:x(?o)) }',
    "SELECT * WHERE { ?s ?p ?o FILTER(sql:exec(?o)) }",
]


@pytest.mark.parametrize("query", VIRTUOSO_TRICKS, ids=range(len(VIRTUOSO_TRICKS)))
def test_sparql_box_refuses_virtuoso_builtins(query):
    """On a Virtuoso endpoint bif:/sql: functions run server code: never from the SPARQL box."""
    from queries.sparql import check_read_only
    with pytest.raises(ValueError, match="not allowed"):
        check_read_only(query)


def test_virtuoso_lookalikes_are_still_ordinary_queries():
    from queries.sparql import check_read_only
    for q in ('SELECT * WHERE { ?s ?p "bif:contains" }', "SELECT * WHERE { ?s <urn:sql:x> ?o }"):
        assert check_read_only(q) == "SELECT"


def test_sparql_box_names_the_refused_update(store):
    from queries.sparql import check_read_only
    for update in ("drop all", "PREFIX ex: <urn:ex:>\nDELETE WHERE { ?s ?p ?o }", "load <http://x/y>"):
        with pytest.raises(ValueError, match="updates are not allowed"):
            check_read_only(update)


def test_sparql_literals_with_injection_text_are_just_literals(store, original):
    """Hostile text inside a proper string literal is data, not syntax."""
    from queries.sparql import run_query
    res = run_query(store, 'SELECT ?s WHERE { ?s ?p "\\" } ; DROP ALL ; #" } LIMIT 3')
    assert res["results"]["bindings"] == []
    assert _fingerprint(store) == original


def test_sparql_box_has_a_result_limit(store):
    from queries.sparql import run_query
    res = run_query(store, "SELECT * WHERE { ?s ?p ?o }", limit=25)
    assert len(res["results"]["bindings"]) == 25 and res.get("truncated") is True


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",  # rows stream: stopped between rows
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",  # one row after ~forever
    "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c LIMIT 1",  # sorts before the first row
])
def test_sparql_box_has_a_time_limit(store, original, query):
    from queries.sparql import run_query
    t0 = time.monotonic()
    with pytest.raises(ValueError, match="time limit"):
        run_query(store, query, limit=10**9, timeout=1.0)
    assert time.monotonic() - t0 < 10
    assert _fingerprint(store) == original


@pytest.mark.slow
def test_cli_boxes_with_hostile_text(store, original):
    from typer.testing import CliRunner

    from cli import app
    runner = CliRunner()
    for text in ('" } ; DROP ALL ; #', f"$(touch {CANARY})", "x" * 20_000):
        for args in (["search", text], ["ask", text], ["status", "--document", text], ["sparql", text]):
            res = runner.invoke(app, [*args, "--store", store])
            assert res.exit_code in (0, 2), (args[0], res.exit_code, res.output[-500:])
            assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit), res.exception
    assert not os.path.exists(CANARY)
    assert _fingerprint(store) == original


@pytest.mark.slow
def test_undecodable_argv_is_a_message_not_a_crash(store, original):
    """Bytes that are not UTF-8 on the command line (a lone surrogate in Python) do not crash output."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for args in ([b"search", b"\xff\xfe" + "研发".encode()], [b"status", b"--document", b"\xc3("]):
        proc = subprocess.run([sys.executable.encode(), b"-m", b"cli", *args, b"--store", store.encode(), b"--json"],
                              cwd=ROOT, capture_output=True, timeout=120, env=env)
        err = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode in (0, 2) and "Traceback" not in err, err[-1500:]
    assert _fingerprint(store) == original


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "a/../../b.pdf", "/etc/cron.d/x.txt", "x.txt\u0000.sh",
                                  f"$(touch {CANARY}).txt", "; rm -rf ~ ;.docx", "政策 文件 (副本).PDF",
                                  "x" * 400 + ".txt", "..txt", "\u202egpj.exe.txt"])
def test_uploaded_file_names_never_become_paths(store, tmp_path, name):
    from app_pages.views_uploads import save_upload, upload_dir
    data = seed("002").read_bytes()
    try:
        path = save_upload(data, name, str(tmp_path / "s"))
    except ValueError as e:
        assert str(e)
        return
    assert path.parent == upload_dir(str(tmp_path / "s"))
    assert re.fullmatch(r"[0-9a-f]{16}\.(txt|pdf|docx|md|html?)", path.name), path.name
    assert path.read_bytes() == data
    assert not os.path.exists(CANARY)


def test_upload_size_is_capped(tmp_path):
    from app_pages.views_uploads import save_upload
    with pytest.raises(ValueError, match="limit"):
        save_upload(b"x" * 2048, "big.txt", str(tmp_path / "s"), max_bytes=1024)


_DANGEROUS = re.compile(r"\beval\(|\bexec\(|os\.system\(|os\.popen\(|shell\s*=\s*True|pickle\.loads?\(|"
                        r"yaml\.load\((?!.*Loader=yaml\.C?SafeLoader)|__import__\(|"
                        r"subprocess\.(?:run|call|Popen|check_\w+)\(")
# the only processes started at run time: fixed argument lists, no shell, no user text in argv
_ALLOWED_SUBPROCESS = {("ingest/readers_pdf.py", 'subprocess.run(["tesseract"'),
                       ("cli.py", "subprocess.call([sys.executable")}


def test_no_eval_exec_or_shell_in_the_code():
    files = [p for d in ("ingest", "graph", "queries", "app_pages") for p in (ROOT / d).rglob("*.py")]
    files += [ROOT / "cli.py", ROOT / "cli_render.py", ROOT / "app.py"]
    found = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            code = line.split("#", 1)[0]
            m = _DANGEROUS.search(code)
            if m:
                rel = f.relative_to(ROOT).as_posix()
                if not any(rel == a and code.strip().find(b) >= 0 for a, b in _ALLOWED_SUBPROCESS):
                    found.append(f"{rel}: {line.strip()}")
    assert not found, found


_NO_NET = r"""
import socket, sys
attempts = []
def refuse(*a, **k):
    attempts.append(repr(a)[:120])
    raise OSError("network use at run time: " + repr(a)[:80])
_connect = socket.socket.connect
def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        refuse(address)
    return _connect(self, address)
socket.socket.connect = connect
socket.getaddrinfo = socket.create_connection = refuse
import json
from pathlib import Path
from graph.ingesting import ingest_paths
from queries.eligibility import eligibility_for_store, load_profile
from queries.search_store import search_for_store
from queries.ask import ask
from queries.sparql import run_query
from queries.status import status_for_store
store = sys.argv[1]
s = ingest_paths([Path(sys.argv[2])], store)
assert s["files"] >= 1, s
prof = load_profile(Path("data/profiles/qingdao_rd_firm.json"))
r = eligibility_for_store(store, prof, as_of="2025-01-01")
search_for_store(store, "研发投入")
ask(store, "我们是青岛的高新技术企业，研发投入500万元，能拿多少补贴？")
status_for_store(store, as_of="2025-01-01")
run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
print(json.dumps({"attempts": attempts, "results": len(r.get("results", r))}))
"""


@pytest.mark.slow
def test_no_network_at_run_time(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(seed("002"), corpus)
    cmd = [sys.executable, "-c", _NO_NET, str(tmp_path / "s"), str(corpus)]
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        cmd = ["unshare", "-n", *cmd]  # and no network namespace either: nothing to reach
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["attempts"] == []
