"""gunicorn settings of `make run` (Procfile web:): threaded workers, sized by env (WEB_WORKERS, WEB_THREADS)."""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
# One pool per worker process, as large as its threads: set before Django reads its settings.
os.environ.setdefault("DATABASE_POOL_MAX_SIZE", str(threads))
