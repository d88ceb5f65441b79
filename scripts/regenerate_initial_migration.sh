#!/usr/bin/env bash
# Regenerates the single initial migration from the models. Only valid until the first
# production install: afterwards every schema change is a new `flask db migrate` revision.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f migrations/versions/*.py
DATABASE_URL="sqlite:///$tmp/migrate.db" FLASK_APP=run.py .venv/bin/flask db migrate -m "initial schema" >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
file=$(ls migrations/versions/*.py)
.venv/bin/python scripts/patch_initial_migration.py "$file"
rm -rf "$tmp"
echo "$file"
