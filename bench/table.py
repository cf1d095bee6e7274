"""`python -m bench.table`: the results-*.json of bench/ as Markdown tables (for README.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def fmt(v: float) -> str:
    return f"{v:.2f}" if v < 100 else f"{v:.0f}"


def render(r: dict) -> str:
    i, ro, rep = r["ingest_http"], r["ingest_rollups"], r["report"]
    lb, lg = r["latency_base"], r["latency_big"]
    d = r["dashboards"]
    detail = {
        "1": f"{i['batch_sessions_per_s']:.0f} vs {i['raw_sessions_per_s']:.0f} sessions/s",
        "2": f"{i['batch_sessions_per_s']:.0f} vs {i['single_sessions_per_s']:.1f} sessions/s",
        "3": f"{d['national_naive_s'] * 1000:.0f} ms vs {d['national_rollup_s'] * 1000:.1f} ms",
        "4": f"{lg['http_p95_s'] * 1000:.0f} ms at {r['sessions']:,} vs "
        f"{lb['http_p95_s'] * 1000:.0f} ms at {r['p95_base_sessions']:,}",
        "5": f"{ro['on_sessions_per_s']:.0f} vs {ro['off_sessions_per_s']:.0f} sessions/s",
        "R": f"{rep['report_s'] * 1000:.0f} ms vs {rep['rollup_reads_s'] * 1000:.0f} ms",
        "R′": f"{rep['report_s'] * 1000:.0f} ms vs {rep.get('table_reads_s', 0) * 1000:.0f} ms",
    }
    lines = [
        f"**{r['db']}, {r['sessions']:,} sessions** (run of {r['started']}, {r['total_s']:.0f} s)",
        "",
        "| # | measure | ratio | goal | met | figures |",
        "|---|---|---:|---|---|---|",
    ]
    for k, v in r["ratios"].items():
        lines.append(
            f"| {k} | {v['measure']} | {fmt(v['value'])} | {v['goal']} | "
            f"{'yes' if v['met'] else '**no**'} | {detail[k]} |"
        )
    lines += [
        "",
        "| dashboard query | roll-up | naive GROUP BY | × faster |",
        "|---|---:|---:|---:|",
    ]
    for q in d["queries"]:
        lines.append(
            f"| {q['query']} | {q['rollup_s'] * 1000:.1f} ms | {q['naive_s'] * 1000:.0f} ms | "
            f"{fmt(q['speedup'])} |"
        )
    return "\n".join(lines) + "\n"


def summary(results: list[dict]) -> str:
    keys = ["1", "2", "3", "4", "5", "R", "R′"]
    goals = next(r["ratios"] for r in reversed(results) if "R′" in r["ratios"])
    lines = [
        "| database | sessions | " + " | ".join(f"#{k} ({goals[k]['goal']})" for k in keys) + " |",
        "|---|---:|" + "---:|" * len(keys),
    ]
    for r in results:
        cells = []
        for k in keys:
            v = r["ratios"].get(k)
            if v is None:
                cells.append("–")
                continue
            op, goal = goals[k]["goal"].split()  # today's goal, also for older runs
            met = v["value"] >= float(goal) if op == ">=" else v["value"] <= float(goal)
            cells.append(fmt(v["value"]) if met else f"**{fmt(v['value'])}** ✗")
        lines.append(f"| {r['db']} | {r['sessions']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Print the tables; with --readme, write them between the markers of bench/README.md."""
    args = sys.argv[1:]
    readme = "--readme" in args
    names = [a for a in args if a != "--readme"] or sorted(
        p.name for p in HERE.glob("results-*.json")
    )
    loaded = (json.loads((HERE / n).read_text()) for n in names)
    results = sorted(
        (r for r in loaded if "db" in r and "ratios" in r),  # not hardening / portal
        key=lambda r: (r["db"], r["sessions"]),
    )
    text = summary(results) + "\n" + "\n".join(render(r) for r in results)
    if not readme:
        print(text)
        return 0
    path = HERE / "README.md"
    doc = path.read_text()
    begin, end = "<!-- results:begin -->\n", "<!-- results:end -->"
    head, _, rest = doc.partition(begin)
    _, _, tail = rest.partition(end)
    path.write_text(head + begin + text + end + tail)
    return 0


if __name__ == "__main__":
    sys.exit(main())
