"""Bench-only settings: the app as deployed, plus a bare JSON view (the baseline) and no vote
limit per client address (wrk sends everything from 127.0.0.1)."""

from dxday.settings import *  # noqa: F403

ROOT_URLCONF = "bench.awards.urls"
AWARDS_VOTES_PER_ADDRESS = (10**9, 60)
