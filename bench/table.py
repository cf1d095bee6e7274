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


def main() -> int:
    names = sys.argv[1:] or sorted(p.name for p in HERE.glob("results-*.json"))
    for name in names:
        print(render(json.loads((HERE / name).read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
