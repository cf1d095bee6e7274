"""Where a start and an answer save spend their time: cProfile of 100 of each, in process
(Django test client, no HTTP), on the bench database a `python -m bench.contest` run left.

    .venv/bin/python -m bench.contest.profile   → bench/contest/profile-{start,save}.txt
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from pathlib import Path

from .run import add_people, django_setup

OUT = Path(__file__).parent


def main() -> None:
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dxday.contest.models import Contest, Round

    contest = Contest.objects.first()
    rnd = Round.objects.get(contest=contest, number=1)
    tokens = add_people(contest, 130, offset=10**9 + int(time.time() * 1000) % 10**8)
    client = Client(HTTP_HOST="127.0.0.1")
    started = {}

    def start(ts):
        for t in ts:
            r = client.post(f"/api/v1/contest/rounds/{rnd.pk}/attempts",
                            HTTP_AUTHORIZATION=f"Bearer {t}")  # fmt: skip
            started[t] = r.json()

    def save(ts):
        for t in ts:
            s = started[t]
            q = s["questions"][0]
            client.put(
                f"/api/v1/contest/attempts/{s['attempt']}/answers",
                {"answers": [{"question": q["id"], "options": [q["options"][0]["id"]]}]},
                content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {t}",
            )  # fmt: skip

    start(tokens[:10])
    save(tokens[:10])
    for name, fn in (("start", start), ("save", save)):
        with CaptureQueriesContext(connection) as ctx:
            fn(tokens[10:11])
        pr = cProfile.Profile()
        t0 = time.perf_counter()
        pr.enable()
        fn(tokens[11:111])
        pr.disable()
        per = (time.perf_counter() - t0) * 10
        buf = io.StringIO()
        buf.write(f"{name}: {per:.1f} ms per request (in process), {len(ctx.captured_queries)} "
                  "queries:\n")  # fmt: skip
        for q in ctx.captured_queries:
            buf.write(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:140]}\n")
        stats = pstats.Stats(pr, stream=buf)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
        (OUT / f"profile-{name}.txt").write_text(buf.getvalue())
        print(buf.getvalue()[:3000])


if __name__ == "__main__":
    main()
