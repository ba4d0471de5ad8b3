#!/usr/bin/env bash
# Table creates on S3 at 8 clients, Floe beside Lakekeeper: one PostgreSQL 15 (a database each),
# one S3 server (SeaweedFS, a key prefix each), everything on 127.0.0.1:
#   bash bench/lakekeeper-creates.sh [seconds-per-round] [rounds]
# LAKEKEEPER_BIN is Lakekeeper's server binary (default: the build under ~/.cache/floe/lakekeeper,
# made as docs/benchmarks.md says: Lakekeeper 0.7.3 from source, its git dependencies as path
# dependencies). Floe runs from bin/floe, or from the distribution in FLOE_BENCH_DIST. After a warm-up round on each, rounds alternate between
# the two servers (both up, one loaded at a time); prints a Markdown row per round and the medians.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/scripts/lib/services.sh"
source "$root/scripts/lib/seaweedfs.sh"
source "$root/bench/lib.sh"
java_home="$(floe_java_home)"
seconds="${1:-10}"; rounds="${2:-3}"
home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
cache="${XDG_CACHE_HOME:-$home/.cache}/floe"
lakekeeper="${LAKEKEEPER_BIN:-$cache/lakekeeper/src/target/release/iceberg-catalog}"
[[ -x "$lakekeeper" ]] || { echo "no Lakekeeper binary at $lakekeeper (set LAKEKEEPER_BIN)" >&2; exit 1; }
work="$(mktemp -d /tmp/floe-bench-lakekeeper.XXXXXX)"
chmod 755 "$work"
floe_pid=""; lakekeeper_pid=""
cleanup() {
  set +e
  for pid in "$floe_pid" "$lakekeeper_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null; fi
  done
  seaweedfs_stop
  stop_bench_postgres "$work"
  rm -rf "$work"
}
trap cleanup EXIT

start_bench_postgres "$work"
for database in floe lakekeeper; do
  runuser -u postgres -- psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "create database $database" postgres
done

# SeaweedFS, the bucket "bench", and Floe with its S3 warehouse "bench-s3" (key prefix "lake")
export FLOE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$pg_port/floe?user=postgres"
FLOE_SECRET_KEYS="1:$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')"
export FLOE_SECRET_KEYS
start_s3_bench "$root" "$java_home" "$cache" "$work"

echo "starting Lakekeeper..." >&2
lakekeeper_port="$(free_loopback_port)"
export LAKEKEEPER__PG_DATABASE_URL_WRITE="postgres://postgres@127.0.0.1:$pg_port/lakekeeper"
export LAKEKEEPER__PG_DATABASE_URL_READ="$LAKEKEEPER__PG_DATABASE_URL_WRITE"
export LAKEKEEPER__PG_ENCRYPTION_KEY="bench-only-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export LAKEKEEPER__LISTEN_PORT="$lakekeeper_port" LAKEKEEPER__METRICS_PORT="$(free_loopback_port)"
export LAKEKEEPER__BIND_IP=127.0.0.1 RUST_LOG=warn
"$lakekeeper" migrate >"$work/lakekeeper-migrate.log" 2>&1 || { cat "$work/lakekeeper-migrate.log" >&2; exit 1; }
"$lakekeeper" serve >"$work/lakekeeper.log" 2>&1 & lakekeeper_pid=$!
wait_for_http "http://127.0.0.1:$lakekeeper_port/health" "$lakekeeper_pid" "$work/lakekeeper.log" Lakekeeper
curl -sf -X POST "http://127.0.0.1:$lakekeeper_port/management/v1/bootstrap" -H 'Content-Type: application/json' \
  -d '{"accept-terms-of-use":true}' -o /dev/null || { echo "cannot bootstrap Lakekeeper" >&2; exit 1; }
status="$(curl -s -o "$work/lakekeeper-warehouse.json" -w '%{http_code}' -X POST \
  "http://127.0.0.1:$lakekeeper_port/management/v1/warehouse" -H 'Content-Type: application/json' -d @- <<JSON
{"warehouse-name":"bench-s3",
 "storage-profile":{"type":"s3","bucket":"bench","key-prefix":"lakekeeper","region":"us-east-1",
                    "endpoint":"$seaweedfs_endpoint","path-style-access":true,"flavor":"s3-compat","sts-enabled":false},
 "storage-credential":{"type":"s3","credential-type":"access-key","aws-access-key-id":"$seaweedfs_access_key",
                       "aws-secret-access-key":"$seaweedfs_secret_key"},
 "delete-profile":{"type":"hard"}}
JSON
)"
[[ "$status" == 201 || "$status" == 200 ]] || { echo "cannot create Lakekeeper's warehouse: $status $(cat "$work/lakekeeper-warehouse.json")" >&2; exit 1; }

creates() { # catalog-uri label
  "$java_home/bin/java" "$root/bench/LoadBench.java" --uri "$1" --warehouse bench-s3 \
    --seconds "$seconds" --clients 8 --creates "$2"
}
creates "http://127.0.0.1:$floe_port" warm-up >/dev/null
creates "http://127.0.0.1:$lakekeeper_port/catalog" warm-up >/dev/null
echo "## S3 creates beside Lakekeeper: run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, commit $(cd "$root" && git rev-parse --short HEAD), Lakekeeper $("$lakekeeper" --version 2>/dev/null | tr -d '\n' || echo '?'), $rounds rounds of ${seconds}s"
echo
echo "| catalog | warehouse | clients | creates/s | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
  creates "http://127.0.0.1:$floe_port" "Floe, round $round" | tail -n 1 | sed 's/^| catalog |/| Floe |/'
  creates "http://127.0.0.1:$lakekeeper_port/catalog" "Lakekeeper, round $round" | tail -n 1 | sed 's/^| catalog |/| Lakekeeper |/'
done | tee "$work/rounds.md"
python3 - "$work/rounds.md" <<'PY'
import statistics, sys
rows = [line.split("|") for line in open(sys.argv[1]) if line.startswith("|")]
def median(name):
    return statistics.median(float(row[4]) for row in rows if row[1].strip() == name)
floe, lakekeeper = median("Floe"), median("Lakekeeper")
print(f"\nMedian creates/s at 8 clients: Floe {floe:.0f}, Lakekeeper {lakekeeper:.0f}: {floe / lakekeeper:.2f}x.")
PY
