#!/usr/bin/env bash
# Table creates on an S3 warehouse at 8 clients, in rounds:
#   bash bench/s3-creates.sh [seconds-per-round] [rounds]
# Starts SeaweedFS (the S3 server the tests use) and Floe on its embedded default, both on
# 127.0.0.1, creates an S3 warehouse, warms up for one round, then prints a Markdown row per round
# (creates/s, p50 and p99 latency) and the median. Each create writes its first metadata file to
# the bucket and commits one transaction.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/scripts/lib/seaweedfs.sh"
java_home="$(floe_java_home)"
seconds="${1:-10}"; rounds="${2:-3}"
home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
cache="${XDG_CACHE_HOME:-$home/.cache}/floe"
work="$(mktemp -d /tmp/floe-bench-s3-creates.XXXXXX)"
chmod 755 "$work"
floe_pid=""
cleanup() {
  if [[ -n "$floe_pid" ]] && kill -0 "$floe_pid" 2>/dev/null; then kill "$floe_pid"; wait "$floe_pid" 2>/dev/null || true; fi
  seaweedfs_stop
  rm -rf "$work"
}
trap cleanup EXIT

[[ -x /usr/local/go/bin/go ]] && export PATH="$PATH:/usr/local/go/bin"
weed="$(seaweedfs_build "$cache")"
seaweedfs_start "$weed" "$work/seaweedfs"
curl -sf -X PUT "$seaweedfs_endpoint/bench" -o /dev/null --aws-sigv4 "aws:amz:us-east-1:s3" \
  --user "$seaweedfs_access_key:$seaweedfs_secret_key"

echo "building Floe..." >&2
(cd "$root" && JAVA_HOME="$java_home" mvn -B -q -DskipTests install >&2)
floe_port="$(free_loopback_port)"
FLOE_PORT="$floe_port" FLOE_DATA_DIR="$work/floe-data" "$root/bin/floe" serve >"$work/floe.log" 2>&1 & floe_pid=$!
wait_for_http "http://127.0.0.1:$floe_port/health/ready" "$floe_pid" "$work/floe.log" Floe
status="$(curl -s -o "$work/warehouse.json" -w '%{http_code}' -X POST \
  "http://127.0.0.1:$floe_port/management/v1/projects/default/warehouses" -H 'Content-Type: application/json' -d @- <<JSON
{"name":"bench-s3",
 "storage-profile":{"type":"s3","bucket":"bench","key-prefix":"lake","region":"us-east-1",
                    "endpoint":"$seaweedfs_endpoint","path-style-access":true,"role-arn":"$seaweedfs_role_arn"},
 "storage-credential":{"type":"s3-access-key","access-key-id":"$seaweedfs_access_key",
                       "secret-access-key":"$seaweedfs_secret_key"}}
JSON
)"
[[ "$status" == 201 ]] || { echo "cannot create the S3 warehouse: $status $(cat "$work/warehouse.json")"; exit 1; }
creates() { "$java_home/bin/java" "$root/bench/LoadBench.java" --uri "http://127.0.0.1:$floe_port" --warehouse bench-s3 \
  --seconds "$1" --clients 8 --creates "$2"; }
creates "$seconds" warm-up >/dev/null
echo "## S3 creates: run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, commit $(cd "$root" && git rev-parse --short HEAD), $rounds rounds of ${seconds}s"
echo
echo "| catalog | warehouse | clients | creates/s | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
  creates "$seconds" "s3 round $round" | tail -n 1
done | tee "$work/rounds.md"
python3 - "$work/rounds.md" <<'PY'
import statistics, sys
rows = [line.split("|") for line in open(sys.argv[1]) if line.startswith("|")]
print(f"\nMedian: {statistics.median(float(row[4]) for row in rows):.0f} creates/s at 8 clients.")
PY
