"""Hardening bench (issue 9): login throttling under brute force (H1), ingest with 1 vs 2 app
servers behind nginx (H2), app worker memory under mixed traffic (H3). `python -m
bench.hardening --help`; results in bench/results-hardening.json."""
