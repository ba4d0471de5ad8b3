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
source "$root/bench/lib.sh"
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

start_s3_bench "$root" "$java_home" "$cache" "$work"
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
