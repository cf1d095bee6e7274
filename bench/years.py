"""`python -m bench.years [--db sqlite|postgres] [--sessions N]` — P5 of issue 11.

The year-over-year page of the nation over four campaigns (2022–2025) against the national
report of one campaign, measured alternately in one process on the same database:

- the world of `bench.run` (9,976 reporting units, 80,000 teams) with N sessions in 2025;
- the three earlier campaigns get a copy of 2025's roll-up rows and commune targets (the only
  rows the report reads for the door-to-door section), so each campaign weighs as much as
  2025: the worst case for the page, which costs one report per campaign;
- a = `GET /reports/don-vi/bo-khcn/qua-cac-nam/` through Django's whole stack (middleware,
  the selector, one SVG chart per figure, the template) as the national coordinator;
  b = `reports.selectors.report_figures(bo-khcn, 2025)`; also the selector alone
  (`reports.years.report_years`) against b.

Goal: a ÷ b ≤ 4. Writes bench/results-years-<db>-<size>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from . import db
from .run import log, plan

HERE = Path(__file__).resolve().parent
EARLIER = (2022, 2023, 2024)


def copy_campaign(source_id: int, year: int) -> int:
    """A campaign of `year` whose roll-ups and targets are a copy of the source campaign's."""
    from django.apps import apps
    from django.db import connection, transaction

    from dxday.plans.models import Campaign, CampaignWindow

    campaign = Campaign.objects.create(year=year, theme=f"Chuyển đổi số năm {year}")
    CampaignWindow.objects.create(campaign=campaign, kind=CampaignWindow.Kind.DOOR_TO_DOOR,
                                  name=f"Đi từng ngõ {year}", starts_on=f"{year}-10-01",
                                  ends_on=f"{year}-10-10")  # fmt: skip
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model in apps.get_app_config("outreach").get_models():
            fields = [f for f in model._meta.concrete_fields if not f.primary_key]
            if "campaign_id" not in {f.column for f in fields}:
                continue
            if model.__name__ in {"GuidanceSession", "SessionTopic"}:
                continue  # the report never reads raw sessions
            cols = [f.column for f in fields]
            select = ", ".join("%s" if c == "campaign_id" else c for c in cols)
            table = model._meta.db_table
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM {table} "
                "WHERE campaign_id = %s",
                [campaign.pk, source_id],
            )
            rows += cursor.rowcount
    return rows


def measure(reps: int) -> dict:
    from django.core.management import call_command
    from django.test import Client

    from dxday.orgs.models import Organisation, User
    from dxday.plans.models import Campaign
    from dxday.reports.selectors import report_figures
    from dxday.reports.years import report_years

    call_command("collectstatic", interactive=False, verbosity=0)  # the page's static manifest
    national = Organisation.objects.get(code="bo-khcn")
    campaign = Campaign.objects.get(year=2025)
    user = User.objects.create_superuser("bench-years", password=None)
    client = Client()
    client.force_login(user)
    url = f"/reports/don-vi/{national.code}/qua-cac-nam/"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    def report():
        report_figures(national, campaign)

    def selector():
        report_years(national)

    # The three in turn, the order rotating every round, so the machine's drift hits each; the
    # ratio is the median of the per-round ratios (a slow round slows both sides of it).
    for fn in (page, report, selector):
        fn()
    times: dict[str, list[float]] = {"page": [], "report": [], "selector": []}
    order = [("page", page), ("report", report), ("selector", selector)]
    for i in range(reps):
        for name, fn in order[i % 3 :] + order[: i % 3]:
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    per_round = [p / r for p, r in zip(times["page"], times["report"], strict=True)]
    per_round_sel = [s / r for s, r in zip(times["selector"], times["report"], strict=True)]
    return {
        "campaigns": list(Campaign.objects.order_by("year").values_list("year", flat=True)),
        "page_s": statistics.median(times["page"]),
        "report_s": statistics.median(times["report"]),
        "selector_s": statistics.median(times["selector"]),
        "ratio_page_vs_report": statistics.median(per_round),
        "ratio_selector_vs_report": statistics.median(per_round_sel),
        "ratios_per_round": per_round,
        "page_bytes": len(client.get(url).content),
        "reps": reps,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.years")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args(argv)
    p = plan(argparse.Namespace(sessions=args.sessions, full=False))
    size = f"years-{p['name']}"
    if args.db == "postgres" and db.postgres_reachable():
        print("PostgreSQL unreachable: skipped.")
        return 0
    db.create_database(args.db, size)
    db.django_setup(args.db, size)
    from . import gen
    from . import world as world_mod

    t0 = time.perf_counter()
    world = world_mod.build(log=log)
    sampler = gen.Sampler(world, seed=1)
    rollups = gen.Rollups(world)
    gen.generate(world, args.sessions, sampler, rollups, log=log)
    counts = rollups.write()
    copied = {year: copy_campaign(world.campaign_id, year) for year in EARLIER}
    db.analyze()
    log(f"  world and {args.sessions:,} sessions in {time.perf_counter() - t0:.0f} s; "
        f"roll-up rows {counts}; copied per earlier campaign {copied}")  # fmt: skip
    result = {"db": args.db, "sessions": args.sessions, "copied_rows": copied,
              **measure(args.reps)}  # fmt: skip
    result["goal"] = "<= 4"
    result["met"] = result["ratio_page_vs_report"] <= 4
    out = HERE / f"results-years-{args.db}-{p['name']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"\nP5 {args.db} {args.sessions:,} sessions, campaigns {result['campaigns']}: "
        f"page {result['page_s'] * 1000:.0f} ms ÷ report {result['report_s'] * 1000:.0f} ms = "
        f"{result['ratio_page_vs_report']:.2f} (goal ≤ 4, {'met' if result['met'] else 'NOT met'})"
        f"; selector alone {result['ratio_selector_vs_report']:.2f}"
    )
    from django.db import connections

    connections.close_all()
    if args.db == "postgres":
        db.drop_database(args.db, size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
