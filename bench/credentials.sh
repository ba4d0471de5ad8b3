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
source "$root/bench/lib.sh"
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

SEAWEEDFS_MAX_SESSION=1h start_s3_bench "$root" "$java_home" "$cache" "$work"
"$java_home/bin/java" "$root/bench/LoadBench.java" --uri "http://127.0.0.1:$floe_port" --warehouse bench-s3 \
  --name Floe --seconds "$seconds" --clients 8 --credentials
