"""Demo activities, state-management areas and offers. Runs after the orgs and plans seeds;
idempotent (an activity is looked up by unit, campaign and title; an offer by provider and title).

- Tuyên Quang's 2025 activities from seed 003 (multimedia communication, the learning festival at
  grassroots, AI / Big Data training for officials, location-independent procedures, an online
  contest), reported by the province against the national plan's tasks.
- Thanh Hóa commune and press reports against the cascaded plan (seed 002): some accepted and
  published, one awaiting review, one returned with its reason.
- Offers of seed 001 (2022): e-commerce promotion on Postmart and Vỏ sò 1–10/10, the digital
  signature offer of the National Electronic Authentication Centre; VietNamNet's community
  initiative as an activity; one 2025 offer waiting for moderation.
- Bộ Tài chính with three areas, Bộ Y tế with one (flagged).

Figures are illustrative demo values, not official statistics.

A package of modules since it outgrew one file; every name imports from here as before."""

from __future__ import annotations

from ._common import VN, D, _actor, _assignment, _log, _photo, _report  # noqa: F401
from .sectors_offers import SECTORS, _offers, _sectors  # noqa: F401
from .seeding import seed  # noqa: F401
from .thanh_hoa import _thanh_hoa  # noqa: F401
from .tuyen_quang import _tuyen_quang  # noqa: F401
