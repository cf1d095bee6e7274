"""dxday benchmarks: `python -m bench.run` (small, ~100k sessions) or `--full` (10M sessions).

Every figure is a ratio measured in one run against a baseline measured beside it, because the
machine is shared. See bench/README.md.
"""
