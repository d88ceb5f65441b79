#!/usr/bin/env bash
# Load test (issue 7): gunicorn on the given PostgreSQL database, then Locust headless on
# loopback with USERS simulated officials for DURATION; prints Locust's table and the
# p50/p95 of every request kind. Needs: .venv/bin/pip install -r bench/requirements-load.txt
# and a database holding the bench data (bench/report_forms.py or bench/lookup_latency.py
# build one). Usage: bench/load_test.sh postgresql://postgres@127.0.0.1:5432/donthu_bench
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?database URL}
users=${USERS:-50}
duration=${DURATION:-3m}
workers=${WORKERS:-5}
port=$(.venv/bin/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
out=$(mktemp -d)
# A server that has run for a while holds the lists' tables in its cache: load them into
# PostgreSQL's shared buffers first (contrib's pg_prewarm), so the run measures that state.
psql "$url" -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SELECT pg_prewarm(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')
  AND c.relname ~ '^(ix_)?(petition|citizen|task|assignment_document|complaint_dossier|agency)';
SQL
# Every simulated official signs in from 127.0.0.1: the per-address login limit is off for
# the run (the account lockout stays on).
DATABASE_URL=$url PORT=$port WEB_CONCURRENCY=$workers RATELIMIT_ENABLED=0 \
  SECRET_KEY=$(.venv/bin/python -c "import secrets; print(secrets.token_hex(32))") \
  .venv/bin/gunicorn -c gunicorn.conf.py run:app >"$out/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/login/" && break
  sleep 1
done
# STEADY=1: statistics restart once every simulated official has started (the sign-ins
# of the first seconds, 50 password checks at once, left out of the figures).
steady=()
[ "${STEADY:-0}" = 1 ] && steady=(--reset-stats)
LOAD_DATABASE_URL=$url .venv/bin/locust -f bench/locustfile.py --headless "${steady[@]}" \
  -u "$users" -r 5 -t "$duration" --host "http://127.0.0.1:$port" \
  --csv "$out/load" --only-summary 2>&1 | grep -v "^\[" || true
echo "== $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $workers gunicorn workers; $users users for $duration"
column -s, -t < "$out/load_stats.csv" | cut -c1-200
grep -c " 500 " "$out/gunicorn.log" | sed 's/^/HTTP 500 lines in the access log: /' || true
