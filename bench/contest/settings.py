"""dxday's settings plus one bare JSON view (the C1/C3 baseline), for the contest bench only."""

from dxday.settings import *  # noqa: F403

ROOT_URLCONF = "bench.contest.urls"
