"""gunicorn for the XHHT portal: `make serve`, the systemd unit and the load tests use this file.

Every value can be overridden from the environment so one file serves one machine and a farm.
"""

from __future__ import annotations

import multiprocessing
import os

# Loopback only: nginx (deploy/nginx/xhht.conf) is the one thing that talks to gunicorn. On an
# app host behind a load balancer, bind the private address instead (XHHT_BIND=10.0.0.11:8000).
bind = os.environ.get("XHHT_BIND", "127.0.0.1:8000")

# Sync workers: pages are short database-bound requests; PDFs and Excel for big exports belong in
# the task worker. 2 × cores + 1 is gunicorn's own rule of thumb.
workers = int(os.environ.get("XHHT_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
# A request that takes longer than this is killed and logged; the killed worker's transaction is
# rolled back by PostgreSQL, so a half-done submission is never stored.
timeout = int(os.environ.get("XHHT_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak in a library never grows without bound.
max_requests = 2000
max_requests_jitter = 200

# Access and error logs to stdout/stderr: journald (or the container runtime) keeps them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("XHHT_GUNICORN_LOGLEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# X-Forwarded-* are trusted from nginx on the same machine only.
forwarded_allow_ips = os.environ.get("XHHT_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "xhht"

# Never load the app before forking: each worker opens its own database connections.
preload_app = False
