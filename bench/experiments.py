"""`python -m bench.experiments sqlite:////abs/path.sqlite3 | postgres://…/dxday_bench`

The measured fixes proposed in README.md, run against a database a bench run left behind
(SQLite: var/bench/bench-<size>.sqlite3; PostgreSQL: run the bench with --keep). Nothing in the
application is changed: each experiment computes the same figures another way and compares.

1. report: the door-to-door section grouped by commune_id (no organisation join), with team and
   member counts read raw, and with them assumed to come from a roll-up — each against reading
   the roll-ups (ratio R).
2. dashboards: the national by-topic view from a province × day × topic roll-up (built in a
   scratch table) against `session_totals(by="topic")`.
3. rebuild: time rollups_rebuild() (in a transaction that is rolled back)
   against the result of `rollups_snapshot()`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def setup(url: str) -> None:
    os.environ.update(DJANGO_SETTINGS_MODULE="dxday.settings", DATABASE_URL=url)
    import django

    django.setup()


def report() -> None:
    from django.db.models import Count, Sum

    from dxday.orgs.models import Organisation
    from dxday.outreach.models import (
        CommuneDayTopicStat,
        CommuneStat,
        CommuneTarget,
        CommunityTeam,
        TeamMember,
    )
    from dxday.plans.models import Campaign
    from dxday.reports.selectors import report_figures

    from .measure import paired, rollup_reads

    org = Organisation.objects.get(code="bo-khcn")
    campaign = Campaign.objects.get(year=2025)
    length = len(org.path) + org.steplen

    def section(raw_counts: bool) -> dict:
        bucket = {
            code: path[:length]
            for code, path in Organisation.objects.filter(
                kind=Organisation.Kind.COMMUNE, path__startswith=org.path, commune__isnull=False
            ).values_list("commune_id", "path")
        }
        queries = [
            CommuneStat.objects.filter(campaign=campaign).values_list(
                "commune_id", "sessions", "households_visited", "people_guided",
                "accounts_activated",
            ),
            CommuneDayTopicStat.objects.filter(campaign=campaign)
            .values_list("commune_id", "topic_id")
            .annotate(p=Sum("people_guided"), o=Sum("outcome"))
            .order_by(),
            CommuneTarget.objects.filter(campaign=campaign).values_list(
                "commune_id", "households", "accounts"
            ),
        ]  # fmt: skip
        if raw_counts:
            queries.append(
                CommunityTeam.objects.filter(is_active=True)
                .values_list("commune_id")
                .annotate(n=Count("id"))
                .order_by()
            )
            queries.append(
                TeamMember.objects.filter(is_active=True, team__is_active=True)
                .values_list("team__commune_id")
                .annotate(n=Count("id"))
                .order_by()
            )
        out: dict[str, int] = {}
        for qs in queries:
            for row in qs:
                b = bucket.get(row[0])
                if b:
                    out[b] = out.get(b, 0) + 1
        return out

    reads = lambda: rollup_reads(campaign.pk)  # noqa: E731
    for name, fn in [
        ("current report_figures", lambda: report_figures(org, campaign)),
        ("section by commune_id, team/member counts raw", lambda: section(True)),
        ("section by commune_id, counts from a roll-up", lambda: section(False)),
    ]:
        a, b = paired(fn, reads, 5)
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"report: {name}: {ma * 1000:.0f} ms vs reads {mb * 1000:.0f} ms → {ma / mb:.2f}×")


def dashboards() -> None:
    from django.db import connection

    from dxday.outreach.selectors import session_totals
    from dxday.plans.models import Campaign

    campaign = Campaign.objects.get(year=2025)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_pdts")
        cur.execute(
            "CREATE TABLE bench_pdts AS SELECT campaign_id, province_id, day, topic_id, "
            "SUM(sessions) AS sessions, SUM(people_guided) AS people_guided, "
            "SUM(outcome) AS outcome FROM outreach_communedaytopicstat GROUP BY 1, 2, 3, 4"
        )
        cur.execute("CREATE INDEX bench_pdts_i ON bench_pdts (campaign_id, topic_id)")

    def province_level():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT topic_id, SUM(sessions), SUM(people_guided), SUM(outcome) "
                "FROM bench_pdts WHERE campaign_id = %s GROUP BY topic_id",
                [campaign.pk],
            )
            return cur.fetchall()

    from .measure import paired

    try:
        a, b = paired(lambda: session_totals(campaign=campaign, by="topic"), province_level, 15)
        print(
            f"dashboards: national by topic {statistics.median(a) * 1000:.1f} ms → "
            f"{statistics.median(b) * 1000:.2f} ms from province × day × topic"
        )
    finally:
        with connection.cursor() as cur:
            cur.execute("DROP TABLE bench_pdts")


class _Rollback(Exception):
    pass


def rebuild() -> None:
    """Time `rollups_rebuild()` (the INSERT … SELECT form now in dxday/outreach/rollups.py) in a
    transaction that is rolled back, and check it reproduces the incremental rows."""
    from django.db import transaction

    from dxday.outreach.rollups import rollups_rebuild, rollups_snapshot

    expected = rollups_snapshot()
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            rollups_rebuild()
            elapsed = time.perf_counter() - t0
            same = rollups_snapshot() == expected
            raise _Rollback
    except _Rollback:
        pass
    print(f"rebuild: rollups_rebuild() {elapsed:.1f} s; same rows as incremental: {same}")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    setup(sys.argv[1])
    which = sys.argv[2:] or ["report", "dashboards", "rebuild"]
    for name in which:
        globals()[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
