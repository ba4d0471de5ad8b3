#!/usr/bin/env bash
# Floe's distribution against an external PostgreSQL, in one run:
#   bash bench/footprint.sh [seconds-per-measurement]
# Builds the distribution (bin/floe dist; FLOE_BENCH_DIST=dir uses one already built), starts a PostgreSQL 15 of its own on loopback, then
# prints: start to first served request (five starts, the database already initialised), idle
# RSS ten seconds after start, peak RSS under load at 64 clients, and loadTable and commit
# throughput at 8 clients, with the distribution's JVM flags and with those bin/floe used before
# (Serial GC, -Xms64m, no AOT cache; the heap capped at the 128 MB the distribution had before
# 2026-11-30), so that the memory the flags save is seen not to cost speed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/scripts/lib/services.sh"
source "$root/bench/lib.sh"
java_home="$(floe_java_home)"
seconds="${1:-10}"
work="$(mktemp -d /tmp/floe-footprint.XXXXXX)"
chmod 755 "$work"
floe_pid=""; sampler_pid=""
cleanup() {
  set +e
  for pid in "$sampler_pid" "$floe_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; stopped "$pid"; fi
  done
  stop_bench_postgres "$work"
  rm -rf "$work"
}
trap cleanup EXIT
stopped() { while kill -0 "$1" 2>/dev/null; do sleep 0.05; done; } # not our child: wait cannot

dist="${FLOE_BENCH_DIST:-}"
if [[ -z "$dist" ]]; then
  echo "building the distribution..." >&2
  dist="$(bash "$root/scripts/dist/build.sh" "$work/out" 2>"$work/dist.log")" || { cat "$work/dist.log" >&2; exit 1; }
  size_line="$(tail -n 1 "$work/dist.log")"
else
  size_line="dist: $dist (unpacked $(du -sm "$dist" | cut -f1) MB: runtime $(du -sm "$dist/runtime" | cut -f1) MB, AOT cache $(du -m "$dist/lib/floe.aot" | cut -f1) MB)"
fi

start_bench_postgres "$work"
export FLOE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres?user=postgres" FLOE_DATA_DIR="$work/data"
"$dist/bin/floe" migrate >/dev/null 2>&1

# start to first served request, as a client sees it: from exec to the first 200 of /v1/config
first_request_ms() { # command... (sets floe_pid)
  python3 - "$@" <<'PY'
import http.client, os, socket, subprocess, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
start = time.monotonic()
process = subprocess.Popen(sys.argv[1:], env=dict(os.environ, FLOE_PORT=str(port)),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/v1/config?warehouse=demo")
        r = c.getresponse(); r.read()
        if r.status == 200:
            break
    except OSError:
        pass
    if process.poll() is not None:
        sys.exit("floe exited")
    time.sleep(0.002)
print(round((time.monotonic() - start) * 1000), process.pid, port)
PY
}

declare -A flags=(
  [distribution]=""
  [before]="-XX:AOTMode=off -Xms64m -Xmx128m -XX:-UseCompactObjectHeaders -XX:TrimNativeHeapInterval=0")
echo "## Footprint: run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, commit $(git -C "$root" rev-parse --short HEAD)"
echo
echo "$size_line"
echo
echo "| JVM flags | start to first request (5 starts) | idle RSS | peak RSS at 64 clients | loadTable ops/s at 8 clients | commit ops/s at 8 clients |"
echo "|---|---|---:|---:|---:|---:|"
for name in distribution before; do
  starts=()
  for i in 1 2 3 4 5; do
    read -r ms pid port < <(FLOE_JAVA_OPTS="${flags[$name]}" first_request_ms "$dist/bin/floe" serve)
    starts+=("$ms")
    if ((i < 5)); then kill "$pid"; stopped "$pid"; fi
  done
  floe_pid="$pid"
  sleep 10
  idle="$(rss_mb "$floe_pid")"
  echo 0 >"$work/max"
  sample_max_rss "$floe_pid" "$work/max" & sampler_pid=$!
  uri="http://127.0.0.1:$port"
  bench() { "$java_home/bin/java" "$root/bench/LoadBench.java" --uri "$uri" --warehouse demo --name "$name" "$@"; }
  bench --seconds "$seconds" --clients 64 >/dev/null
  peak="$(cat "$work/max")"
  load="$(bench --warmup 20 --seconds "$seconds" --clients 8 --only loadTable | tail -n 1 | awk -F'|' '{print $5}')"
  commit="$(bench --warmup 10 --seconds "$seconds" --clients 8 --only "commit (own table)" | tail -n 1 | awk -F'|' '{print $5}')"
  kill "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
  kill "$floe_pid"; stopped "$floe_pid"; floe_pid=""
  echo "| $name | $(IFS=/; echo "${starts[*]}") ms | $idle MB | $peak MB | ${load// /} | ${commit// /} |"
done
