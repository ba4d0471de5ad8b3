#!/usr/bin/env bash
# loadTable with and without vended credentials on an S3 warehouse, in one run:
#   bash bench/credentials.sh [seconds-per-measurement]
# Starts SeaweedFS (the S3 server with STS that the tests use; sessions of up to an hour here) and
# Floe on its embedded default, both on 127.0.0.1, creates an S3 warehouse and prints Markdown
# tables: throughput at 8 clients with and without credentials, the credential cache's hit rate,
# and the cold path (a first load, which waits for one STS round trip) against the warm one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/scripts/lib/seaweedfs.sh"
java_home="$(floe_java_home)"
seconds="${1:-5}"
home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
cache="${XDG_CACHE_HOME:-$home/.cache}/floe"
work="$(mktemp -d /tmp/floe-bench-credentials.XXXXXX)"
chmod 755 "$work"
floe_pid=""
cleanup() {
  if [[ -n "$floe_pid" ]] && kill -0 "$floe_pid" 2>/dev/null; then kill "$floe_pid"; wait "$floe_pid" 2>/dev/null || true; fi
  seaweedfs_stop
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

[[ -x /usr/local/go/bin/go ]] && export PATH="$PATH:/usr/local/go/bin"
weed="$(seaweedfs_build "$cache")"
SEAWEEDFS_MAX_SESSION=1h seaweedfs_start "$weed" "$work/seaweedfs"
curl -sf -X PUT "$seaweedfs_endpoint/bench" -o /dev/null --aws-sigv4 "aws:amz:us-east-1:s3" \
  --user "$seaweedfs_access_key:$seaweedfs_secret_key"

echo "building Floe..." >&2
(cd "$root" && JAVA_HOME="$java_home" mvn -B -q -DskipTests install >&2)
floe_port="$(free_port)"
FLOE_PORT="$floe_port" FLOE_DATA_DIR="$work/floe-data" "$root/bin/floe" serve >"$work/floe.log" 2>&1 & floe_pid=$!
until curl -sf "http://127.0.0.1:$floe_port/health/ready" >/dev/null 2>&1; do
  kill -0 "$floe_pid" 2>/dev/null || { cat "$work/floe.log"; exit 1; }
  sleep 0.1
done
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
"$java_home/bin/java" "$root/bench/LoadBench.java" --uri "http://127.0.0.1:$floe_port" --warehouse bench-s3 \
  --name Floe --seconds "$seconds" --clients 8 --credentials
