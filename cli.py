"""`policygraph` command line: a thin shell over ``queries`` (and ``ingest.parsing``,
``graph.ingesting``, ``graph.exporting`` for the commands that read files or write the store).

Each command calls one library function, prints its result (``--json`` for tools, a
readable table otherwise: cli_render.py) and turns the narrow exceptions into one-line messages.
"""
from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Optional

import typer

import cli_render
from ingest.errors import IngestError, StoreError
from ingest.resources import default_store

if TYPE_CHECKING:
    from rich.console import Console



_TYPER_CHECKED = ("0.29.",)  # typer releases whose private coercion API this patches


def _values_without_pydantic() -> None:
    """Let typer take this CLI's plain values without pydantic (~0.1 s of every command's start-up).

    typer 0.2x coerces each parameter's value through a pydantic TypeAdapter, built on first use.
    Flags, strings and paths given as strings (and defaults already of their type) need none of it:
    those are taken as typer would take them — a path still through typer's own path checks, given
    as a ``Path`` so that no adapter is built. Any other value (``--limit abc``, a value outside
    ``min``) still goes to typer's adapter, so what is accepted and every error message stay typer's.
    Only for the typer releases it was checked against (tests/test_startup.py compares every option's
    coercion with typer's own): with any other typer this does nothing."""
    if not typer.__version__.startswith(_TYPER_CHECKED):
        return
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer._param_types import coerce_cli_path
        from typer.core import _TyperParameter
    except ImportError:
        return

    def plain(item, annotation, info, param, ctx):
        if annotation is str and isinstance(item, str):
            return item
        if annotation is Path and isinstance(item, str) and item and "\0" not in item and info.path_type is None:
            return coerce_cli_path(Path(item), info, path_type=Path, param=param, ctx=ctx)
        return _TYPERS

    class Plain(RuntimeParam):
        def _coerce_value(self, value, param, ctx):
            ann, info = self.annotation, self.parameter_info
            if info.parser is not None:
                pass  # a parser of its own: typer's
            elif ann is bool and isinstance(value, bool):
                return value
            elif ann in (int, float) and type(value) is ann and (info.min is None or value >= info.min) \
                    and (info.max is None or value <= info.max):
                return value
            elif ann in (list[str], list[Path]) and isinstance(value, list | tuple):
                items = [plain(v, ann.__args__[0], info, param, ctx) for v in value]
                if _TYPERS not in items:
                    return items
            elif (out := plain(value, ann, info, param, ctx)) is not _TYPERS:
                return out
            return build_runtime_param(param.type_descriptor)._coerce_value(value, param, ctx)

    def get_runtime_param(self):
        if self._runtime_param is None:
            desc = self.type_descriptor
            self._runtime_param = (Plain(desc.parameter_info, desc.annotation) if desc.file_annotation is None
                                   else build_runtime_param(desc))
        return self._runtime_param

    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]


_TYPERS = object()  # "leave this value to typer"
_values_without_pydantic()

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Chinese policy documents → knowledge graph → cited answers.")

DEFAULT_STORE = default_store()  # POLICYGRAPH_STORE, else data/store of a checkout, else ~/.local/share/policygraph/store
StoreOpt = typer.Option(DEFAULT_STORE, "--store", help="store directory or sparql+http://host:port/sparql")
AsOfOpt = typer.Option(None, "--as-of", help="YYYY-MM-DD (default: today)")
JsonOpt = typer.Option(False, "--json", help="print JSON (see shared/contract)")


@cache
def _console(stderr: bool = False) -> Console:
    """The rich console of stdout (or stderr), made on first use: `--json` output never imports rich."""
    from rich.console import Console
    return Console(stderr=stderr)


def _emit_json(obj) -> None:
    """UTF-8 JSON, indented; orjson (~10x the json module on a 119-page parse: 0.03 s, not 0.34 s)."""
    import orjson
    try:
        data = orjson.dumps(obj, default=str, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
                            | orjson.OPT_APPEND_NEWLINE)
    except (orjson.JSONEncodeError, TypeError):  # e.g. lone surrogates from undecodable argv: replaced on output
        import json
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _fail(message: str, code: int = 2) -> NoReturn:
    _console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _guard(fn, *args, **kwargs):
    """Call a library function; narrow exceptions become user messages, not tracebacks."""
    try:
        return fn(*args, **kwargs)
    except (IngestError, StoreError, FileNotFoundError) as e:
        _fail(str(e))
    except ValueError as e:
        _fail(str(e))


@app.command()
def parse(files: list[Path] = typer.Argument(..., help="TXT/MD/PDF/DOCX/HTML files or folders"),
          json_out: bool = JsonOpt, ocr: bool = typer.Option(False, "--ocr", help="OCR scanned PDFs (tesseract chi_sim)")):
    """Parse files into documents, metadata and provision trees (no store)."""
    from ingest import parsing
    result = parsing.parse_files(files, ocr=ocr)
    if json_out:
        _emit_json(result)
    else:
        cli_render.print_tree(result, _console())
    if result["files"] and all(f.get("error") for f in result["files"]):
        raise typer.Exit(1)


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="files or folders"), store: str = StoreOpt,
           json_out: bool = JsonOpt, workers: int = typer.Option(1, "--workers", min=1),
           dask: Optional[str] = typer.Option(None, "--dask", help="dask.distributed scheduler address"),
           ocr: bool = typer.Option(False, "--ocr")):
    """Parse, extract and load files into the store (one named graph per file)."""
    from graph import ingesting
    with cli_render.IngestProgress(enabled=not json_out) as bar:
        summary = _guard(ingesting.ingest_paths, paths, store=store, workers=workers, dask=dask, ocr=ocr,
                         on_file=bar.update)
    from queries.derived import derive_after_ingest  # status, measure index, signatures: not at the first question
    derive_after_ingest(store, summary)
    from queries.search_store import index_after_ingest  # the search index, per ingested graph
    index_after_ingest(store, summary)
    if json_out:
        _emit_json(summary)
    else:
        cli_render.print_summary(summary, _console())
    if summary["errors"] and not summary["files"]:  # nothing could be ingested (as `parse` does)
        raise typer.Exit(1)


@app.command()
def drop(sources: list[str] = typer.Argument(..., help="source keys: file paths relative to the folder ingested"),
         store: str = StoreOpt, json_out: bool = JsonOpt):
    """Remove the graphs of files that were deleted from the corpus."""
    from graph import ingesting
    result = _guard(ingesting.drop_sources, store, sources)
    if json_out:
        _emit_json(result)
    else:
        for key in result["dropped"]:
            _console().print(f"dropped {key}", highlight=False)
        for key in result["missing"]:
            _console(stderr=True).print(f"[yellow]not in the store:[/yellow] {key}", highlight=False)


@app.command()
def sparql(query: str = typer.Argument(..., help="a SPARQL 1.1 query, or @FILE"), store: str = StoreOpt):
    """Run a read-only SPARQL query; SPARQL 1.1 JSON results on stdout."""
    from queries import sparql as sq
    if query.startswith("@"):
        query = Path(query[1:]).read_text(encoding="utf-8")
    _emit_json(_guard(sq.run_query, store, query))


@app.command()
def export(fmt: str = typer.Option("ttl", "--format", help="ttl|nq|jsonld|graphml|csv"),
           output: Path = typer.Option(..., "-o", "--output"), store: str = StoreOpt):
    """Export the graph (RDF formats, GraphML of the NetworkX view, or CSV tables)."""
    from graph import exporting
    n = _guard(exporting.export, store, fmt, output)
    _console(stderr=True).print(f"wrote {output} ({n})")


@app.command()
def stats(store: str = StoreOpt, json_out: bool = JsonOpt):
    """Counts, and agencies/programmes ranked by measures and money."""
    from queries import graphstats
    result = _guard(graphstats.stats, store)
    _emit_json(result) if json_out else cli_render.print_stats(result, _console())


@app.command()
def eligibility(profile: Path = typer.Option(..., "--profile", help="firm profile JSON (data/profiles/)"),
                store: str = StoreOpt, as_of: Optional[str] = AsOfOpt, json_out: bool = JsonOpt,
                include_expired: bool = typer.Option(False, "--include-expired"),
                include_ineligible: bool = typer.Option(False, "--include-ineligible")):
    """Which provisions apply to a firm, and how much it can get, with citations."""
    from queries import eligibility as el
    prof = _guard(el.load_profile, profile)
    result = _guard(el.eligibility_for_store, store, prof, as_of=as_of, include_expired=include_expired,
                    include_ineligible=include_ineligible)
    _emit_json(result) if json_out else cli_render.print_results(result, _console())


@app.command()
def ask(question: str, store: str = StoreOpt, as_of: Optional[str] = AsOfOpt, json_out: bool = JsonOpt):
    """Answer a Chinese free-text question: the profile it understood, then the matches."""
    from queries import ask as ask_q
    result = _guard(ask_q.ask, store, question, as_of=as_of)
    _emit_json(result) if json_out else cli_render.print_answer(result, _console())


@app.command()
def status(store: str = StoreOpt, as_of: Optional[str] = AsOfOpt, json_out: bool = JsonOpt,
           document: Optional[str] = typer.Option(None, "--document", help="one document id or title")):
    """Status of every document as of a date, with evidence and lineage."""
    from queries import derived
    result = _guard(derived.status_for_store, store, as_of=as_of, document=document)
    _emit_json(result) if json_out else cli_render.print_status(result, _console())


@app.command()
def diff(doc_a: str, doc_b: str, store: str = StoreOpt, json_out: bool = JsonOpt):
    """新旧对照: clause-by-clause comparison of two documents (ids or titles)."""
    from queries import status as st
    result = _guard(st.diff_for_store, store, doc_a, doc_b)
    _emit_json(result) if json_out else cli_render.print_diff(result, _console())


@app.command()
def overlaps(store: str = StoreOpt, as_of: Optional[str] = AsOfOpt, json_out: bool = JsonOpt,
             threshold: float = typer.Option(0.5, "--threshold", help="LSH Jaccard threshold"),
             limit: int = typer.Option(100, "--limit", min=0, help="overlapping document / provision pairs per page (0: all)"),
             offset: int = typer.Option(0, "--offset", min=0, help="skip this many of them (the next page)")):
    """Duplicate documents and versions, then the overlaps and near-duplicate provisions that
    matter most (templates recurring in many documents left out), and conflicts."""
    from queries import derived
    result = _guard(derived.overlaps_for_store, store, as_of=as_of, threshold=threshold, limit=limit or None,
                    offset=offset)
    _emit_json(result) if json_out else cli_render.print_overlaps(result, _console())


@app.command()
def search(text: str, store: str = StoreOpt, json_out: bool = JsonOpt, limit: int = 20):
    """Full-text search over provisions (character bigrams, BM25; the index is kept beside the store)."""
    from queries.search_store import search_for_store
    result = _guard(search_for_store, store, text, limit=limit)
    _emit_json(result) if json_out else cli_render.print_hits(result, _console())


@app.command(name="calendar")
def calendar_cmd(date_from: str = typer.Option(..., "--from", help="YYYY-MM-DD"),
                 date_to: str = typer.Option(..., "--to", help="YYYY-MM-DD"),
                 profile: Optional[Path] = typer.Option(None, "--profile", help="only what may apply to this firm"),
                 store: str = StoreOpt, as_of: Optional[str] = AsOfOpt, json_out: bool = JsonOpt,
                 ics: Optional[Path] = typer.Option(None, "--ics", help="also write the events as iCalendar")):
    """政策月历: application windows closing in a date range, upcoming deadlines first."""
    from queries import calendar as cal_q
    from app_pages.views_calendar import to_ics
    prof = _guard(_profile, profile) if profile else None
    result = _guard(cal_q.calendar_for_store, store, date_from, date_to, prof, as_of)
    if ics:
        ics.write_text(to_ics(result), encoding="utf-8", newline="")
    _emit_json(result) if json_out else cli_render.print_calendar(result, _console())


def _profile(path: Path) -> dict:
    from queries.eligibility import load_profile
    return load_profile(path)


watch_app = typer.Typer(no_args_is_help=True, help="Saved profiles: what is new for a firm since its last check.")
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def watch_add(name: str, profile: Optional[Path] = typer.Option(None, "--profile"),
              question: Optional[str] = typer.Option(None, "--question"), store: str = StoreOpt,
              json_out: bool = JsonOpt):
    """Save a firm profile (or a question) under NAME."""
    from queries import watch as w
    prof = _guard(_profile, profile) if profile else None
    result = _guard(w.add_watch, store, name, prof, question)
    _emit_json(result) if json_out else _console().print(f"saved {result['name']}", highlight=False)


@watch_app.command("list")
def watch_list(store: str = StoreOpt, json_out: bool = JsonOpt):
    """The saved profiles."""
    from queries import watch as w
    result = _guard(w.list_watches, store)
    _emit_json(result) if json_out else cli_render.print_watches(result, _console())


@watch_app.command("remove")
def watch_remove(name: str, store: str = StoreOpt, json_out: bool = JsonOpt):
    """Forget a saved profile."""
    from queries import watch as w
    result = _guard(w.remove_watch, store, name)
    _emit_json(result) if json_out else _console().print(f"removed {name}", highlight=False)


@watch_app.command("check")
def watch_check(store: str = StoreOpt, as_of: Optional[str] = AsOfOpt, json_out: bool = JsonOpt,
                name: Optional[list[str]] = typer.Option(None, "--name", help="only these saved profiles")):
    """Per saved profile, the applicable results new since its last check (the first: all)."""
    from queries import watch as w
    result = _guard(w.check_watches, store, as_of, name or None)
    _emit_json(result) if json_out else cli_render.print_check(result, _console())


@app.command()
def report(profile: Path = typer.Option(..., "--profile", help="firm profile JSON (data/profiles/)"),
           fmt: str = typer.Option("pdf", "--format", help="docx|pdf"),
           output: Path = typer.Option(..., "-o", "--output"), store: str = StoreOpt,
           as_of: Optional[str] = AsOfOpt, json_out: bool = JsonOpt):
    """The firm's eligibility report (profile, measures, amounts, conditions, deadlines, citations)."""
    from app_pages.views_report import report_for_store
    result = _guard(report_for_store, store, _guard(_profile, profile), fmt, output, as_of)
    _emit_json(result) if json_out else _console(stderr=True).print(
        f"wrote {output} ({result['measures']} measures)", highlight=False)


@app.command(name="app")
def run_app(port: int = typer.Option(8501, "--port"), store: str = StoreOpt):
    """Start the Streamlit app (ingests the bundled corpus on first start)."""
    import subprocess
    env = dict(os.environ, POLICYGRAPH_STORE=store)
    from importlib.util import find_spec
    spec = find_spec("app")  # app.py, wherever policygraph is installed (not imported: it is a script)
    if spec is None or spec.origin is None:
        _fail("app.py is not installed with policygraph")
    app_py = spec.origin
    raise typer.Exit(subprocess.call([sys.executable, "-m", "streamlit", "run", str(app_py),
                                      "--server.port", str(port), "--server.headless", "true",
                                      "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", "--client.toolbarMode", "minimal"],
                                     env=env))


def main():
    for stream in (sys.stdout, sys.stderr):  # undecodable argv bytes (lone surrogates) must not crash output
        stream.reconfigure(errors="replace")
    app()


if __name__ == "__main__":
    main()
