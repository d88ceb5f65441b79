"""Gunicorn settings for serving Đơn thư in production: ``gunicorn -c gunicorn.conf.py run:app``.

Environment: PORT (default 8080), WEB_CONCURRENCY (number of workers). Any setting can be
overridden on the command line or in GUNICORN_CMD_ARGS (see docs/deployment.md).
"""

import multiprocessing
import os

# Local address only: nginx in front terminates TLS and forwards here.
bind = f"127.0.0.1:{os.environ.get('PORT', '8080')}"
# Several synchronous workers: 2 × CPU + 1, at most 8, unless WEB_CONCURRENCY says otherwise.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
# Each worker imports run.py and builds its own app (own database pool, own production check).
preload_app = False
# A request running longer than this (seconds) gets its worker restarted.
timeout = 120
# Time given to in-flight requests on a restart or shutdown (seconds).
graceful_timeout = 30
# Seconds an idle keep-alive connection from nginx is held.
keepalive = 5
# Recycle workers now and then so that a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
# Access log to stdout, errors to stderr: the service manager (systemd) keeps them.
accesslog = "-"
errorlog = "-"
# Client address as nginx saw it, and the worker's pid, on every access line.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(p)s "%(r)s" %(s)s %(b)s %(D)sus'
# Trust X-Forwarded-Proto (https) only from nginx on this machine.
forwarded_allow_ips = "127.0.0.1,::1"
# Gunicorn 27's control socket is not used; it would be shared by every instance of a user.
control_socket_disable = True
