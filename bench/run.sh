#!/usr/bin/env bash
# Floe beside Iceberg's reference REST server, on this machine, in one run:
#   bash bench/run.sh [seconds-per-measurement]
# Prints Markdown tables: start-up time, memory (Floe's JVM, its embedded PostgreSQL apart),
# throughput and p50/p99 latency at 1, 8 and 64 clients, and commit latency as history grows;
# then, for the distribution (built once), bench/footprint.sh (start, idle and peak RSS against an
# external PostgreSQL) and bench/wrk.sh (listing beside the reference server with wrk, pinned).
# FLOE_BENCH_CORE_ONLY=1 stops after the first part.
# Everything listens on 127.0.0.1 and every load loop is bounded in time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
java_home="$(floe_java_home)"
java17_home="$(floe_java17_home)"
seconds="${1:-5}"
work="$(mktemp -d /tmp/floe-bench.XXXXXX)"
chmod 755 "$work"
floe_pid=""; reference_pid=""; sampler_pid=""
cleanup() {
  for pid in "$sampler_pid" "$floe_pid" "$reference_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# PostgreSQL's processes share memory: PSS splits it fairly between them.
pg_pss_mb() {
  local postmaster total=0 pid
  postmaster="$(head -1 "$1/postmaster.pid")"
  for pid in "$postmaster" $(ps -o pid= --ppid "$postmaster"); do
    total=$((total + $(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo $((total / 1024))
}
wait_ready() { # url pid -> milliseconds waited
  local start=$(date +%s%N)
  until curl -sf "$1" >/dev/null 2>&1; do
    kill -0 "$2" 2>/dev/null || { echo "server died" >&2; return 1; }
    sleep 0.02
  done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}
bench() { "$java_home/bin/java" "$root/bench/LoadBench.java" "$@"; }

echo "building Floe and the reference server..." >&2
(cd "$root" && JAVA_HOME="$java_home" mvn -B -q -DskipTests install >&2)
(cd "$root/bench/reference-server" && JAVA_HOME="$java_home" mvn -B -q package >&2 \
  && JAVA_HOME="$java_home" mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2)

# ---- Floe on its embedded default
floe_port="$(free_port)"
export FLOE_PORT="$floe_port" FLOE_DATA_DIR="$work/floe-data"
"$root/bin/floe" serve >"$work/floe-init.log" 2>&1 & floe_pid=$!
wait_ready "http://127.0.0.1:$floe_port/v1/config?warehouse=demo" "$floe_pid" >/dev/null   # initialises the database
kill "$floe_pid"; wait "$floe_pid" 2>/dev/null || true
"$root/bin/floe" serve >"$work/floe.log" 2>&1 & floe_pid=$!
floe_start_ms="$(wait_ready "http://127.0.0.1:$floe_port/v1/config?warehouse=demo" "$floe_pid")"
sleep 5
floe_idle="$(rss_mb "$floe_pid")"; pg_idle="$(pg_pss_mb "$work/floe-data/postgres")"
sample_max_rss "$floe_pid" "$work/floe-max" & sampler_pid=$!
bench --uri "http://127.0.0.1:$floe_port" --warehouse demo --name Floe --seconds "$seconds" > "$work/floe-load.md"
pg_load="$(pg_pss_mb "$work/floe-data/postgres")"
bench --uri "http://127.0.0.1:$floe_port" --warehouse demo --name Floe --history --clients 1 > "$work/floe-history.md"
kill "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
floe_max="$(cat "$work/floe-max")"

# ---- Iceberg's reference server (JDK 17, sqlite in memory)
reference_port="$(free_port)"
classpath="$root/bench/reference-server/target/reference-server-1.jar:$(cat "$root/bench/reference-server/target/classpath.txt")"
start=$(date +%s%N)
CATALOG_URI='jdbc:sqlite:file::memory:?cache=shared' "$java17_home/bin/java" -cp "$classpath" \
  org.apache.iceberg.rest.LoopbackReferenceServer "$reference_port" >"$work/reference.log" 2>&1 & reference_pid=$!
until curl -sf "http://127.0.0.1:$reference_port/v1/config" >/dev/null 2>&1; do sleep 0.02; done
reference_start_ms=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 5
reference_idle="$(rss_mb "$reference_pid")"
sample_max_rss "$reference_pid" "$work/reference-max" & sampler_pid=$!
bench --uri "http://127.0.0.1:$reference_port" --warehouse bench --name reference --seconds "$seconds" > "$work/reference-load.md"
bench --uri "http://127.0.0.1:$reference_port" --warehouse bench --name reference --history --clients 1 > "$work/reference-history.md"
kill "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
reference_max="$(cat "$work/reference-max")"

# ---- loadTable at 8 clients, alternating between the two servers, to even out a noisy machine
for round in 1 2 3; do
  bench --uri "http://127.0.0.1:$floe_port" --warehouse demo --name Floe --seconds "$seconds" --clients 8 --only loadTable \
    | tail -n 1 >> "$work/rounds.md"
  bench --uri "http://127.0.0.1:$reference_port" --warehouse bench --name reference --seconds "$seconds" --clients 8 --only loadTable \
    | tail -n 1 >> "$work/rounds.md"
done

# ---- report
echo "## Run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, ${seconds}s per measurement"
echo
echo "| catalog | start to first served request | JVM RSS idle | JVM RSS max under load | database |"
echo "|---|---:|---:|---:|---|"
echo "| Floe | ${floe_start_ms} ms | ${floe_idle} MB | ${floe_max} MB | embedded PostgreSQL 17, PSS ${pg_idle} MB idle, ${pg_load} MB after load |"
echo "| reference | ${reference_start_ms} ms | ${reference_idle} MB | ${reference_max} MB | sqlite in the JVM |"
echo
cat "$work/floe-load.md"; tail -n +3 "$work/reference-load.md"
echo
cat "$work/floe-history.md"; tail -n +3 "$work/reference-history.md"
echo
echo "loadTable at 8 clients, three alternating rounds (both servers up, one loaded at a time):"
echo
echo "| catalog | operation | clients | ops/s | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|---:|"
cat "$work/rounds.md"
python3 - "$work/rounds.md" <<'PY'
import statistics, sys
rows = [line.split("|") for line in open(sys.argv[1]) if line.startswith("|")]
def median(name):
    return statistics.median(float(row[4]) for row in rows if row[1].strip() == name)
floe, reference = median("Floe"), median("reference")
print(f"\nMedian loadTable throughput at 8 clients: Floe {floe:.0f} ops/s, reference {reference:.0f} ops/s: {floe / reference:.2f}x.")
PY

[[ "${FLOE_BENCH_CORE_ONLY:-}" == 1 ]] && exit 0
for pid in "$floe_pid" "$reference_pid"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done
floe_pid=""; reference_pid=""
unset FLOE_PORT FLOE_DATA_DIR
echo
echo "building the distribution..." >&2
dist="$(FLOE_DIST_SKIP_BUILD=1 bash "$root/scripts/dist/build.sh" "$work/dist" 2>"$work/dist.log")" || { cat "$work/dist.log" >&2; exit 1; }
FLOE_BENCH_DIST="$dist" bash "$root/bench/footprint.sh" "$seconds"
echo
FLOE_BENCH_DIST="$dist" bash "$root/bench/wrk.sh" "$seconds" 3 50 pinned 2>/dev/null
