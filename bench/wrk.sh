#!/usr/bin/env bash
# Server-bound throughput of reads, Floe beside Iceberg's reference REST server, with wrk (a
# light C load generator: one thread, 8 connections) so that the client does not eat the CPU it
# measures:
#   bash bench/wrk.sh [seconds] [rounds] [tables] [pinned|shared]
# pinned (the default): each server runs on CPU 0 alone and wrk (with PostgreSQL, which stands for
# a database host of its own) on CPU 1, so that neither the generator nor the database takes CPU
# from the server measured; shared: everything on every CPU.
# Floe runs from its distribution (FLOE_BENCH_DIST=dir, else built) against a PostgreSQL 15 of its
# own on loopback; the reference server (JDK 17) keeps its catalog in an in-memory SQLite. Both get
# the same catalog: one namespace of TABLES tables (default 50) beside 20 other namespaces. Each
# round measures listNamespaces, listTables and loadTable on both servers, in rotating order after
# a warm-up; the report gives each round and the median requests/s, and wrk's own CPU share.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/scripts/lib/services.sh"
source "$root/bench/lib.sh"
java_home="$(floe_java_home)"
java17_home="$(floe_java17_home)"
seconds="${1:-10}"; rounds="${2:-3}"; tables="${3:-50}"; mode="${4:-pinned}"
if [[ "$mode" == pinned ]]; then
  (( $(nproc) >= 2 )) || { echo "pinned needs two CPUs" >&2; exit 1; }
  server_cpus=(taskset -c 0); client_cpus=(taskset -c 1)
else
  server_cpus=(); client_cpus=()
fi
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
work="$(mktemp -d /tmp/floe-wrk.XXXXXX)"
chmod 755 "$work"
floe_pid=""; reference_pid=""
cleanup() {
  set +e
  for pid in "$floe_pid" "$reference_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null; fi
  done
  stop_bench_postgres "$work"
  rm -rf "$work"
}
trap cleanup EXIT

dist="${FLOE_BENCH_DIST:-}"
if [[ -z "$dist" ]]; then
  echo "building the distribution..." >&2
  dist="$(bash "$root/scripts/dist/build.sh" "$work/out" 2>"$work/dist.log")" || { cat "$work/dist.log" >&2; exit 1; }
fi
(cd "$root/bench/reference-server" && [[ -f target/classpath.txt ]] || { JAVA_HOME="$java_home" mvn -B -q package >&2 \
  && JAVA_HOME="$java_home" mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2; })

start_bench_postgres "$work" "${client_cpus[@]}"

floe_port="$(free_loopback_port)"
FLOE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres?user=postgres" FLOE_DATA_DIR="$work/data" \
  FLOE_PORT="$floe_port" "${server_cpus[@]}" "$dist/bin/floe" serve >"$work/floe.log" 2>&1 & floe_pid=$!
reference_port="$(free_loopback_port)"
classpath="$root/bench/reference-server/target/reference-server-1.jar:$(cat "$root/bench/reference-server/target/classpath.txt")"
CATALOG_URI='jdbc:sqlite:file::memory:?cache=shared' "${server_cpus[@]}" "$java17_home/bin/java" -cp "$classpath" \
  org.apache.iceberg.rest.LoopbackReferenceServer "$reference_port" >"$work/reference.log" 2>&1 & reference_pid=$!
wait_for_http "http://127.0.0.1:$floe_port/health/ready" "$floe_pid" "$work/floe.log" Floe
wait_for_http "http://127.0.0.1:$reference_port/v1/config" "$reference_pid" "$work/reference.log" reference

# the same catalog on both; prints the server's base path (/v1 plus its prefix)
populate() { # uri warehouse
  python3 - "$1" "$2" "$tables" <<'PY'
import json, sys, urllib.request
uri, warehouse, tables = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(method, path, body=None):
    request = urllib.request.Request(uri + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return json.loads(text) if text else None
config = call("GET", f"/v1/config?warehouse={warehouse}")
prefix = config.get("overrides", {}).get("prefix")
base = "/v1" + (f"/{prefix}" if prefix else "")
schema = {"type": "struct", "schema-id": 0, "fields": [
    {"id": i, "name": f"c{i}", "required": False, "type": "long"} for i in range(1, 11)]}
for n in range(20):
    call("POST", f"{base}/namespaces", {"namespace": [f"other_{n}"]})
call("POST", f"{base}/namespaces", {"namespace": ["wrk"]})
for n in range(tables):
    call("POST", f"{base}/namespaces/wrk/tables", {"name": f"t{n:04d}", "schema": schema})
print(base)
PY
}
echo "creating 21 namespaces and $tables tables on each server..." >&2
floe_base="$(populate "http://127.0.0.1:$floe_port" demo)"
reference_base="$(populate "http://127.0.0.1:$reference_port" bench)"

# prints "requests/s cpu": wrk's requests per second, and its CPU time (user+system) over the
# run's wall clock, in cores
run_wrk() { # url seconds
  local out times
  out="$( { TIMEFORMAT='%U %S %R'; time "${client_cpus[@]}" wrk -t1 -c8 -d"$2"s "$1"; } 2>"$work/wrk.time" )"
  if grep -q "Non-2xx or 3xx responses" <<<"$out"; then echo "errors from $1: $out" >&2; exit 1; fi
  times="$(tail -n 1 "$work/wrk.time")"
  echo "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out") $(awk '{printf "%.2f", ($1 + $2) / $3}' <<<"$times")"
}
declare -A paths=(
  [listNamespaces]="namespaces"
  [listTables]="namespaces/wrk/tables"
  [loadTable]="namespaces/wrk/tables/t0007"
)
operations=(listNamespaces listTables loadTable)
echo "warming up..." >&2
for op in "${operations[@]}"; do
  run_wrk "http://127.0.0.1:$floe_port$floe_base/${paths[$op]}" 10 >/dev/null
  run_wrk "http://127.0.0.1:$reference_port$reference_base/${paths[$op]}" 10 >/dev/null
done
: >"$work/rounds.tsv"
for round in $(seq 1 "$rounds"); do
  for op in "${operations[@]}"; do
    if (( round % 2 )); then order=(floe reference); else order=(reference floe); fi
    for server in "${order[@]}"; do
      if [[ "$server" == floe ]]; then url="http://127.0.0.1:$floe_port$floe_base/${paths[$op]}"
      else url="http://127.0.0.1:$reference_port$reference_base/${paths[$op]}"; fi
      read -r rps cpu <<<"$(run_wrk "$url" "$seconds")"
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$op" "$server" "$rps" "$cpu" >>"$work/rounds.tsv"
      echo "round $round $op $server: $rps requests/s (wrk used $cpu cores)" >&2
    done
  done
done

echo "## wrk ($mode): run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $rounds rounds of ${seconds}s, $tables tables in the listed namespace"
echo
python3 - "$work/rounds.tsv" <<'PY'
import collections, statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
by = collections.defaultdict(list)
cpu = []
for round_, op, server, rps, cores in rows:
    by[(op, server)].append(float(rps))
    cpu.append(float(cores))
print("| operation | Floe requests/s (rounds) | reference requests/s (rounds) | Floe median | reference median | ratio |")
print("|---|---|---|---:|---:|---:|")
for op in ("listNamespaces", "listTables", "loadTable"):
    f, r = by[(op, "floe")], by[(op, "reference")]
    fm, rm = statistics.median(f), statistics.median(r)
    print(f"| {op} | {', '.join(f'{x:,.0f}' for x in f)} | {', '.join(f'{x:,.0f}' for x in r)} | {fm:,.0f} | {rm:,.0f} | {fm / rm:.2f}x |")
print(f"\nwrk itself used {statistics.median(cpu):.2f} of the {__import__('os').cpu_count()} cores (median; at most {max(cpu):.2f}).")
PY
