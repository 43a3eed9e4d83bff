#!/usr/bin/env bash
# Make sure PostgreSQL runs and has a superuser role for the OS user and the database $DB_NAME.
# Idempotent: a running cluster, an existing role or database are left as they are.
set -euo pipefail
DB_NAME="${1:-${DB_NAME:-xhht}}"
ME="$(id -un)"
if ! pg_isready -q 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get install -y -q postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || service postgresql start
  for _ in $(seq 50); do pg_isready -q && break; sleep 0.2; done
fi
pg_isready -q
as_postgres() { if [ "$ME" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
as_postgres psql -X -q -v ON_ERROR_STOP=1 -v me="$ME" <<'SQL'
SELECT format('CREATE ROLE %I SUPERUSER LOGIN', :'me')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'me')\gexec
SQL
psql -X -q -d postgres -v ON_ERROR_STOP=1 -v db="$DB_NAME" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')\gexec
SQL
