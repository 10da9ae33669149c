"""The `policygraph` command's readable output: rich tables and trees of what ``queries``,
``ingest.parsing`` and ``graph.ingesting`` return (``--json`` prints those results as they are).

Nothing here computes an answer; each ``print_*`` only lays one result out on a rich Console.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from app_pages.views_calendar import window_text
from queries.money import yuan_text

if TYPE_CHECKING:  # types only: the renderers import nothing heavy at start-up
    from rich.console import Console

    from graph.ingesting import IngestSummary
    from ingest.contract import ParseResult
    from queries.contract import AskReport, EligibilityReport, OverlapsReport, StatusReport


# ---- parse and ingest ----------------------------------------------------------------------------

def print_tree(result: ParseResult, console: Console) -> None:
    """A readable outline: documents with their metadata, then the provision tree."""
    from rich.tree import Tree
    for f in result["files"]:
        if f.get("error"):
            console.print(f"[red]✗ {f['error']}[/red]", highlight=False, soft_wrap=True)
            continue
        root = Tree(f"[bold]{f['source']}[/bold] ({f['format']}, {len(f['documents'])} documents)")
        for d in f["documents"]:
            eff = d["effective"]
            node = root.add(f"[cyan]{d['title'] or '(无标题)'}[/cyan]  {d['doc_type'] or ''} "
                            f"{d['doc_number'] or ''} {d['issue_date'] or ''} "
                            f"施行 {eff['start'] or '?'}–{eff['end'] or ''}  L{d['line_start']}-{d['line_end']}")
            for win in d.get("application_windows", ()):
                node.add(f"[magenta]申报 {window_text(win)}[/magenta] [dim]L{win['line']}[/dim]")
            add_provisions(node, d["provisions"])
        console.print(root)
        for w in f["warnings"]:
            console.print(f"[yellow]warning:[/yellow] {w}", highlight=False)


def add_provisions(node, provisions) -> None:
    for p in provisions:
        head = p.get("heading") or p["text"][:40]
        extra = "".join(f" [green]{a['text']}[/green]" for a in p.get("amounts", ())[:3])
        child = node.add(f"{p['label'] or p['kind']} {head} [dim]L{p['line_start']}[/dim]{extra}")
        add_provisions(child, p["children"])


class IngestProgress:
    """A rich progress bar on stderr (or nothing) for ``graph.ingesting.ingest_paths``: pass
    ``update`` as its ``on_file`` callback inside ``with IngestProgress(enabled):``."""

    def __init__(self, enabled: bool):
        self.enabled, self.bar, self.task = enabled, None, None

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            self.bar = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), TextColumn("{task.description}"),
                                console=Console(stderr=True), transient=True)
            self.bar.start()
        return self

    def update(self, done: int, total: int, name: str) -> None:
        if self.bar:
            if self.task is None:
                self.task = self.bar.add_task("", total=total)
            self.bar.update(self.task, completed=done, description=Path(name).name)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()


def print_summary(summary: IngestSummary, console: Console) -> None:
    """A short human-readable report of an ingest run."""
    console.print(f"[bold]{summary['files']}[/bold] files → [bold]{summary['documents']}[/bold] documents, "
                  f"{summary['provisions']} provisions, {summary['triples']} triples "
                  f"in {summary.get('seconds', 0):.1f} s", highlight=False)
    console.print(f"store {summary.get('store')}: {summary.get('graphs')} source graphs, "
                  f"{summary.get('store_triples')} triples", highlight=False)
    for e in summary["errors"]:
        console.print(f"[red]✗[/red] {e['error'] if e['file'] in e['error'] else e['file'] + ': ' + e['error']}",
                      highlight=False)
    for d in summary.get("same_content", ()):
        console.print(f"[yellow]=[/yellow] {d['file']}: same content as {d['same_as']} (not stored twice)",
                      highlight=False)
    if summary["warnings"]:
        console.print(f"[yellow]{len(summary['warnings'])} warnings[/yellow] (see --json)")


# ---- answers ------------------------------------------------------------------------------------

def print_results(result: EligibilityReport, console: Console) -> None:
    from rich.table import Table
    t = Table(title=f"可申请政策 as of {result['as_of']}", show_lines=True)
    for col in ("verdict", "最高", "文件 / 条款", "条件", "责任单位"):
        t.add_column(col, overflow="fold")
    colour = {"eligible": "green", "possible": "yellow", "ineligible": "red"}
    for r in result["results"]:
        conds = "\n".join(f"{ {'met': '✓', 'unmet': '✗', 'unknown': '?'}[c['state']] } {c['text'][:40]}"
                          for c in r["conditions"])
        where = (f"{r['document']['title']}\n{r['provision']['label'] or r['provision']['id']} "
                 f"L{r['provision']['line_start']}-{r['provision']['line_end']}"
                 + ("" if r["applicable"] else f"  [red]({r['status']})[/red]")
                 + "".join(f"\n申报 {window_text(w)}" for w in r.get("application_windows", ())[:2]))
        v = r["verdict"] + (f"\n待定: {', '.join(r['deciding_fields'])}" if r["deciding_fields"] else "")
        t.add_row(f"[{colour[r['verdict']]}]{v}[/]", yuan_text(r["benefit"]["max_yuan"]) +
                  (f"\n{r['benefit']['formula']}" if r["benefit"]["formula"] else ""), where, conds,
                  "、".join(a["name"] for a in r["agencies"][:4]))
    console.print(t)
    c = result.get("combined") or {}
    console.print(f"合计最高：确定 {yuan_text(c.get('eligible_max_yuan'))}；若待定条件满足，上限 {yuan_text(c.get('possible_max_yuan'))}"
                  "（分档取所在档，不重复/就高取最高，重复表述只计一次）", highlight=False)
    d = c.get("discretionary") or {}
    if d.get("count"):
        console.print(f"另有 {d['count']} 项以申报指南/评审为准，单项最高 {yuan_text(d.get('best_single_yuan'))}（不合计）",
                      highlight=False)
    for rule in c.get("no_stacking", []):
        console.print(f"  {rule['document']}: 「{rule['rule']['text'][:50]}」→ 取最高 {yuan_text(rule['combined_yuan'])}"
                      f"（而非合计 {yuan_text(rule['sum_yuan'])}）", highlight=False)
    if result.get("related_reading"):
        console.print(f"相关报道/解读 {len(result['related_reading'])} 处转述了政策措施（非政策文件，未计入）：" + "、".join(
            dict.fromkeys(r["document"]["title"] or r["document"]["id"] for r in result["related_reading"])), highlight=False)


def print_answer(result: AskReport, console: Console) -> None:
    console.print(f"[bold]问题[/bold] {result['question']}", highlight=False)
    notes = "；".join(f"{n['field'] or '?'} = {n['value']}（“{n['text']}”）" for n in result["understood"])
    console.print(f"[bold]理解为[/bold] {notes or '（未识别出企业信息）'}", highlight=False)
    print_results(result, console)


STATUS_COLOURS = {"in_force": "green", "expired": "red", "superseded": "magenta", "repealed": "red", "partly_superseded": "yellow",
            "not_yet_effective": "cyan", "unknown": "dim"}


def print_status(result: StatusReport, console: Console) -> None:
    from rich.table import Table
    t = Table(title=f"状态 as of {result['as_of']}", show_lines=False)
    for col in ("id", "title", "status", "effective", "lineage / evidence"):
        t.add_column(col, overflow="fold")
    for d in result["documents"]:
        c = STATUS_COLOURS.get(d["status"], "white")
        lin = []
        if d["superseded_by"]:
            lin.append("被替代: " + ", ".join(d["superseded_by"]))
        if d["supersedes"]:
            lin.append("替代: " + ", ".join(d["supersedes"]))
        if d.get("same_work"):
            lin.append("同一文件: " + ", ".join(d["same_work"]))
        lin += [f"L{e['line']}: {e['text'][:60]}" if e.get("line") else e["text"][:60] for e in d["evidence"][:2]]
        t.add_row(d["id"], d["title"] or "(无标题)", f"[{c}]{d['status']}[/{c}]",
                  f"{d['effective_start'] or '?'} – {d['effective_end'] or ''}", "\n".join(lin))
    console.print(t)


def print_diff(result: dict[str, Any], console: Console) -> None:
    console.print(f"[bold]A[/bold] {result['a']['id']} {result['a']['title']}\n"
                  f"[bold]B[/bold] {result['b']['id']} {result['b']['title']}\n{result['summary']}", highlight=False)
    for c in result["clauses"]:
        if c["change"] == "same":
            continue
        a, b = c["a"] or {}, c["b"] or {}
        head = f"[{ {'added': 'green', 'removed': 'red'}.get(c['change'], 'yellow') }]{c['change']}[/]"
        console.print(f"{head} A:{a.get('label') or a.get('id', '-')} L{a.get('line_start', '-')}  "
                      f"B:{b.get('label') or b.get('id', '-')} L{b.get('line_start', '-')}", highlight=False)
        if c["change"] == "changed":
            for d in c["differences"][:8]:
                console.print(f"   [red]-{d['a_text']}[/red] [green]+{d['b_text']}[/green]", highlight=False)
        else:
            console.print("   " + ((a or b).get("text") or "")[:100], highlight=False)


def print_overlaps(result: OverlapsReport, console: Console) -> None:
    from rich.table import Table
    t = Table(title="重复/相近文件")
    for col in ("a", "b", "relation", "similarity", "differences"):
        t.add_column(col, overflow="fold")
    for d in result["documents"]:
        diffs = "\n".join(f"L{x['a_line']}「{x['a_text']}」→ L{x['b_line']}「{x['b_text']}」" for x in d["differences"][:6])
        t.add_row(d["a"], d["b"], d["relation"], f"{d['similarity']:.3f}", diffs)
    console.print(t)
    total = result.get("total") or {}
    console.print(f"近似条款 {len(result['provisions'])} 对（共 {total.get('provisions', len(result['provisions']))} 对，"
                  f"出现在 {result.get('template_documents')} 份以上文件中的模板条款不计）；"
                  f"相近文件 {total.get('overlaps', '?')} 对，自第 {result.get('offset', 0) + 1} 对起显示；"
                  f"冲突 {len(result['conflicts'])} 处", highlight=False)
    for c in result["conflicts"][:20]:
        console.print(f"[yellow]冲突[/yellow] {c['a']['document']} {c['a']['label'] or ''} L{c['a']['line_start']} ↔ "
                      f"{c['b']['document']} {c['b']['label'] or ''} L{c['b']['line_start']}: {c['reason']}"
                      + (f"  ({c['resolution']})" if c.get("resolution") else ""), highlight=False)


def print_hits(result: dict[str, Any], console: Console) -> None:
    from rich.table import Table
    t = Table(title=f"「{result['query']}」 {result['total']} 条")
    for c in ("score", "文件", "条款", "摘录"):
        t.add_column(c, overflow="fold")
    for h in result["hits"]:
        p = h["provision"]
        t.add_row(f"{h['score']:.2f}", f"{h['document']['title']}\n{h['document']['id']}",
                  f"{p['label'] or p['id']} L{p['line_start']}-{p['line_end']}", h["snippet"])
    console.print(t)


def print_stats(result: dict[str, Any], console: Console) -> None:
    from rich.table import Table
    c = result["counts"]
    console.print(f"[bold]{result['store']}[/bold]: " + ", ".join(f"{v} {k}" for k, v in c.items()), highlight=False)
    t = Table(title="Agencies by measures and money")
    for col in ("agency", "provisions", "measures", "money (max per beneficiary)"):
        t.add_column(col, justify="left" if col == "agency" else "right")
    for r in result["agencies"]:
        t.add_row(r["agency"], str(r["provisions"]), str(r["measures"]), yuan_text(r["money_yuan"]))
    console.print(t)
    if result["programmes"]:
        p = Table(title="Programmes across documents")
        p.add_column("programme")
        p.add_column("documents", justify="right")
        p.add_column("provisions", justify="right")
        for r in result["programmes"]:
            p.add_row(r["programme"], str(len(r["documents"])), str(r["provisions"]))
        console.print(p)
    if result["components"]:
        console.print("[bold]Linked document groups[/bold] (same work, citation, lineage):")
        for comp in result["components"]:
            console.print("  " + " · ".join(comp), highlight=False)


# ---- calendar and saved profiles ------------------------------------------------------------------

def print_calendar(cal: dict, console) -> None:
    from rich.table import Table
    t = Table(title=f"政策月历 {cal['from']} – {cal['to']}（截至 {cal['as_of']}）", show_lines=True)
    for c in ("截止", "还剩", "申报期", "文件", "原文"):
        t.add_column(c, overflow="fold")
    for e in cal["events"]:
        left = f"{e['days_left']} 天" if e["days_left"] >= 0 else "[dim]已截止[/dim]"
        span = f"{e['opens'] or '—'} 至 {e['closes']}" if e["kind"] != "deadline" else "—"
        doc = e["document"]
        t.add_row(e["closes"] + (f" {e['time_end']}" if e["time_end"] else ""), left, span,
                  f"{doc['title'] or doc['id']}\n{doc['source']} 第{e['window']['line']}行"
                  + "".join(f"\n· {m['text'][:40]} {yuan_text(m['max_yuan'])}" for m in e["measures"][:3]),
                  e["window"]["text"][:80] + ("（逾期不予受理）" if e["late_refused"] else ""))
    console.print(t)
    for r in cal["rolling"]:
        console.print(f"常年受理：{r['document']['title']} — {r['window']['text'][:60]}", highlight=False)
    if not cal["events"] and not cal["rolling"]:
        console.print("该时段没有申报截止。", highlight=False)


def print_watches(res: dict, console) -> None:
    for w in res["watches"]:
        what = f"问题「{w['question']}」" if w["kind"] == "question" else "企业信息"
        console.print(f"[bold]{w['name']}[/bold] {what} · 上次检查 {w['last_check'] or '从未'} · 已报告 {w['seen']} 项",
                      highlight=False)
    if not res["watches"]:
        console.print("没有保存的企业信息。用 policygraph watch add NAME --profile F 添加。", highlight=False)


def print_check(res: dict, console) -> None:
    for w in res["watches"]:
        since = "首次检查：全部适用结果" if w["first_check"] else f"自 {w['last_check']} 以来新增"
        console.print(f"[bold]{w['name']}[/bold] — {since} {len(w['new'])} 项（共适用 {w['applicable']} 项）", highlight=False)
        for r in w["new"]:
            windows = "；".join(x["text"][:30] for x in r["application_windows"][:2])
            console.print(f"  {r['verdict']:<8} {yuan_text(r['benefit']['max_yuan']):>8}  {r['measure']['text'][:50]}"
                          f" — {r['document']['title']} {r['provision']['label'] or r['provision']['id']}"
                          + (f"  [申报：{windows}]" if windows else ""), highlight=False)
