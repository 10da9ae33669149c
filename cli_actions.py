"""Readable output of the action commands (calendar, watch, report) for cli.py; --json prints the data."""
from __future__ import annotations

from queries.views import yuan_text as _yuan


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
                  + "".join(f"\n· {m['text'][:40]} {_yuan(m['max_yuan'])}" for m in e["measures"][:3]),
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
            console.print(f"  {r['verdict']:<8} {_yuan(r['benefit']['max_yuan']):>8}  {r['measure']['text'][:50]}"
                          f" — {r['document']['title']} {r['provision']['label'] or r['provision']['id']}"
                          + (f"  [申报：{windows}]" if windows else ""), highlight=False)
