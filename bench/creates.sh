#!/usr/bin/env bash
# Table creates as a warehouse grows: creates per second at 8 clients in an empty warehouse, then
# in the same warehouse holding 100,000 tables, and the ratio of the two.
#   bash bench/creates.sh [seconds-per-measurement] [tables]
# The tables are written straight into the database (rows only: creates never read other tables'
# metadata), so that filling a warehouse takes seconds. PostgreSQL 15 from Debian's packages and
# Floe listen on 127.0.0.1; every load loop is bounded in time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
java_home="$(floe_java_home)"
seconds="${1:-10}"
tables="${2:-100000}"
clients="${FLOE_BENCH_CLIENTS:-8}"
work="$(mktemp -d /tmp/floe-bench-creates.XXXXXX)"
chmod 755 "$work"
floe_pid=""
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  if [[ -n "$floe_pid" ]] && kill -0 "$floe_pid" 2>/dev/null; then kill "$floe_pid"; wait "$floe_pid" 2>/dev/null || true; fi
  if [[ -f "$work/postgres/postmaster.pid" ]]; then
    as_pg /usr/lib/postgresql/15/bin/pg_ctl -D "$work/postgres" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
bench() { "$java_home/bin/java" "$root/bench/LoadBench.java" "$@"; }

[[ -x /usr/lib/postgresql/15/bin/initdb ]] || { echo "needs PostgreSQL 15 (apt-get install postgresql-15)" >&2; exit 1; }
mkdir -p "$work/postgres"
[[ "$(id -u)" == 0 ]] && chown postgres:postgres "$work/postgres"
as_pg /usr/lib/postgresql/15/bin/initdb -D "$work/postgres" -U postgres -A trust -E UTF8 --locale=C >/dev/null
pg_port="$(free_port)"
as_pg /usr/lib/postgresql/15/bin/pg_ctl -D "$work/postgres" -l "$work/postgres/server.log" -w \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null
psql_url="postgresql://postgres@127.0.0.1:$pg_port/postgres"

echo "building Floe..." >&2
(cd "$root" && JAVA_HOME="$java_home" mvn -B -q -DskipTests install >&2)
floe_port="$(free_port)"
FLOE_PORT="$floe_port" FLOE_DATA_DIR="$work/floe-data" \
FLOE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres?user=postgres" \
  "$root/bin/floe" serve >"$work/floe.log" 2>&1 & floe_pid=$!
until curl -sf "http://127.0.0.1:$floe_port/v1/config?warehouse=demo" >/dev/null 2>&1; do
  kill -0 "$floe_pid" 2>/dev/null || { cat "$work/floe.log"; exit 1; }
  sleep 0.1
done
uri="http://127.0.0.1:$floe_port"

echo "warming up..." >&2
bench --uri "$uri" --warehouse demo --name floe --creates warm-up --clients "$clients" --seconds 5
as_pg /usr/lib/postgresql/15/bin/psql "$psql_url" -qc "analyze" # as autovacuum would have by now
bench --uri "$uri" --warehouse demo --name floe --creates "empty" --clients "$clients" --seconds "$seconds" | tee "$work/empty.md"

echo "writing $tables tables into the warehouse..." >&2
start=$(date +%s)
as_pg /usr/lib/postgresql/15/bin/psql "$psql_url" -q -v ON_ERROR_STOP=1 -v tables="$tables" <<'SQL'
create temp table source as
  select t.warehouse_id, regexp_replace(t.location, '/[^/]+/[^/]+$', '') as root, t.metadata
  from tabular t join warehouse w on w.id = t.warehouse_id where w.name = 'demo' and t.kind = 'table' limit 1;
insert into namespace (id, warehouse_id, name, parent_name, properties)
  select gen_random_uuid(), s.warehouse_id, array['bulk_' || i], '{}', '{}'
  from source s, generate_series(1, 100) i;
insert into tabular (id, warehouse_id, namespace_id, name, kind, metadata_location, location, location_key, metadata)
  select t.id, s.warehouse_id, n.id, 't' || t.g, 'table',
         s.root || '/' || n.id || '/' || t.id || '/metadata/00000-bulk.metadata.json',
         s.root || '/' || n.id || '/' || t.id,
         regexp_replace(s.root || '/' || n.id || '/' || t.id, '^file:///', 'file:/') || '/',
         s.metadata
  from source s,
       (select gen_random_uuid() as id, g from generate_series(1, :tables) g) t
       join namespace n on n.name = array['bulk_' || (t.g % 100 + 1)]
  where n.warehouse_id = s.warehouse_id;
analyze tabular;
SQL
echo "  done in $(( $(date +%s) - start )) s; the warehouse holds $(as_pg /usr/lib/postgresql/15/bin/psql "$psql_url" -tAc "select count(*) from tabular where kind = 'table'") tables" >&2
bench --uri "$uri" --warehouse demo --name floe --creates "$tables tables" --clients "$clients" --seconds "$seconds" | tee "$work/full.md"

empty_rate="$(awk -F'|' 'NR==3 {gsub(/ /,"",$5); print $5}' "$work/empty.md")"
full_rate="$(awk -F'|' 'NR==3 {gsub(/ /,"",$5); print $5}' "$work/full.md")"
python3 -c "print(f'creates/s at $clients clients: empty {float($empty_rate):.0f}, with $tables tables {float($full_rate):.0f}; ratio (empty / full) {float($empty_rate)/float($full_rate):.2f}')"
