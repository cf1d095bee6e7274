"""gunicorn settings for `make serve` and deploy/ (`gunicorn -c python:dxday.gunicorn_conf`).

The access log names the path only: query strings and the Referer carry what people typed into
search boxes (a phone number, a name), and citizens' personal data never reaches the logs.
"""

import os

bind = os.environ.get("DXDAY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("DXDAY_THREADS", "4"))
worker_class = "gthread"
timeout = 60
# A worker is replaced after this many requests (with jitter), so a slow leak never grows
# a worker's memory without bound in a 10-day campaign.
max_requests = 50000
max_requests_jitter = 5000
accesslog = "-"
# %(U)s is the path without the query string; no %(r)s (request line), no %(f)s (Referer).
access_log_format = '%(h)s - %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
