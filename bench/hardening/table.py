"""python -m bench.hardening.table [--write]: bench/results-hardening.json as Markdown tables."""

from __future__ import annotations

import json
import sys

from .__main__ import RESULTS

BEGIN, END = "<!-- hardening:begin -->", "<!-- hardening:end -->"


def _yes(ok) -> str:
    return "yes" if ok else "**no**"


def _load(row: dict) -> str:
    return f"load {row['loadavg_start'][0]:.1f} → {row['loadavg_end'][0]:.1f}"


def h1(results: dict) -> list[str]:
    lines = [
        "| handler | endpoint | first 429 | wrong password (median) | locked median / p95 (server median) | p95 ≤ 10 ms | correct during lock | correct after window | run |",  # noqa: E501
        "|---|---|---:|---:|---:|---|---|---|---|",
    ]
    for key in ("h1_redis", "h1_database"):
        row = results.get(key)
        if not row:
            continue
        for e in row["endpoints"].values():
            lk, fail = e["locked_attempts"], e["failed_attempts_before_lock"]
            lines.append(
                f"| {row['handler']} | `{e['endpoint']}` | {e['first_429_attempt']} "
                f"| {fail['median_ms']:.0f} ms | {lk['median_ms']:.1f} / {lk['p95_ms']:.1f} ms "
                f"({e['server_side_locked']['median_ms']:.0f} ms) | {_yes(e['locked_le_10ms'])} "
                f"| {e['correct_password_during_lock_status']} "
                f"| {e['correct_password_after_window_status']} "
                f"({_yes(e['works_after_window'])}) | {row['started'][11:16]} UTC, {_load(row)} |"
            )
    return lines


def h2(results: dict) -> list[str]:
    row = results.get("h2")
    if not row:
        return []
    lines = [
        "| configuration | sessions | seconds | sessions/s | batch p95 per round | cores used by app servers A / B / client per round |",  # noqa: E501
        "|---|---:|---:|---:|---|---|",
    ]
    for label, key, n in (
        ("1 app server", "one_server", "1"),
        ("2 app servers", "two_servers", "2"),
    ):
        t = row[key]
        rounds = row["rounds_detail"][n]
        p95 = ", ".join(f"{r['latency'].get('p95_ms', 0):.0f}" for r in rounds)

        def c(x: float) -> str:  # negative: a worker was replaced (max_requests) mid-round
            return f"{x:.2f}" if x >= 0 else "–"

        cores = ", ".join(
            f"{c(r['cores_busy']['h2-a'])}/{c(r['cores_busy']['h2-b'])}/"
            f"{c(r['cores_busy']['client'])}"
            for r in rounds
            if "cores_busy" in r
        )
        lines.append(
            f"| {label} | {t['sessions']:,} | {t['seconds']:.0f} | {t['sessions_per_s']:.0f} "
            f"| {p95} ms | {cores} |"
        )
    lines.append("")
    lines.append(
        f"Ratio 2 ÷ 1 = **{row['ratio_two_over_one']:.2f}** (goal: not lower than 1: "
        f"{_yes(row['not_lower'])}); run of {row['started'][11:16]} UTC, {_load(row)}."
    )
    return lines


def h3(results: dict) -> list[str]:
    lines = [
        "| max_requests | seconds | requests (per s) | workers seen | RSS first → max → final per worker | max ≤ 150 MB | run |",  # noqa: E501
        "|---|---:|---:|---:|---|---|---|",
    ]
    for key in sorted(k for k in results if k.startswith("h3")):
        row = results[key]
        per = "; ".join(
            f"{w['first_mb']:.0f} → {w['max_mb']:.0f} → {w['last_mb']:.0f} MB"
            for w in row["workers"]
        )
        lines.append(
            f"| {row.get('max_requests', 'gunicorn_conf.py')} | {row['seconds']:.0f} "
            f"| {row['requests']:,} ({row['requests_per_s']:.0f}) | {row['workers_seen']} "
            f"| {per} | {_yes(row['met'])} ({row['max_rss_mb']:.0f} MB) "
            f"| {row['started'][11:16]} UTC, {_load(row)} |"
        )
    return lines


def markdown() -> str:
    results = json.loads(RESULTS.read_text())
    parts = []
    for title, lines in (("H1", h1(results)), ("H2", h2(results)), ("H3", h3(results))):
        parts.append(f"**{title}**\n\n" + "\n".join(lines) + "\n")
    return "\n".join(parts)


def main() -> None:
    """Print the tables; with --write, put them between the markers of bench/README.md."""
    text = markdown()
    if "--write" not in sys.argv:
        print(text)
        return
    readme = RESULTS.parent / "README.md"
    head, rest = readme.read_text().split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{text}{END}{tail}")


if __name__ == "__main__":
    main()
