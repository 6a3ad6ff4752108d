#!/usr/bin/env bash
# Start the local PostgreSQL cluster and create ChangeProg's role and database. Safe to run again.
# Needs root (or the postgres user) on a Debian-style machine with PostgreSQL installed.
#   PGROLE / PGPASSWORD_APP / PGDATABASE_APP name what to create (defaults: changeprog / changeprog / changeprog).
set -euo pipefail

role=${PGROLE:-changeprog}
password=${PGPASSWORD_APP:-changeprog}
database=${PGDATABASE_APP:-changeprog}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi
}

# Start the first cluster if it is not running (pg_lsclusters lists version, name, port, status).
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
if [ -z "${version:-}" ]; then
  echo "No PostgreSQL cluster found; install the postgresql package first." >&2
  exit 1
fi
if [ "$status" != online ]; then
  pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
fi
for _ in $(seq 1 30); do
  as_postgres pg_isready -q && break
  sleep 1
done

as_postgres psql -v ON_ERROR_STOP=1 --quiet <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
    CREATE ROLE ${role} LOGIN PASSWORD '${password}' CREATEDB;
  ELSE
    ALTER ROLE ${role} LOGIN PASSWORD '${password}' CREATEDB;
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE ${database} OWNER ${role}'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${database}') \gexec
SQL
echo "PostgreSQL $version/$cluster is running; DATABASE_URL=postgres://${role}:${password}@127.0.0.1:${port}/${database}"
