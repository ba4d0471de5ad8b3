#!/usr/bin/env bash
# The cost of events, on this machine, in one run:
#   bash bench/events.sh [seconds-per-measurement] [rounds] [warm-up-seconds]
# Commit throughput at 8 clients (each on its own table, and all on one table) of three Floes on
# their embedded default: the build before events existed (commit 62d737b, "events off"), this
# build with the outbox alone, and this build publishing to NATS JetStream (built once from the Go
# module proxy into ~/.cache/floe, on loopback). The three run side by side, each warmed up first
# (with less warm-up, the JIT compiler's work in the measured seconds decides the result), and are
# measured in turn over many short rounds, the order rotating each round: this machine's speed
# drifts by up to 1.5x over minutes, and short interleaved rounds spread the drift evenly. The
# broker shares the machine's two cores with the Floes, their PostgreSQL servers and the load
# generator. Afterwards, each NATS event's lag (from its change to the stream storing it) is read
# from the stream.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/scripts/lib/nats.sh"
java_home="$(floe_java_home)"
seconds="${1:-6}"
rounds="${2:-12}"
warmup="${3:-30}"
baseline_commit="62d737b"
home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
cache="${XDG_CACHE_HOME:-$home/.cache}/floe"
work="$(mktemp -d /tmp/floe-events-bench.XXXXXX)"
chmod 755 "$work"
declare -A floe_pids floe_uris
cleanup() {
  set +e
  for pid in "${floe_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null; fi
  done
  nats_stop
  git -C "$root" worktree remove --force "$work/baseline" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
bench() { "$java_home/bin/java" "$root/bench/LoadBench.java" "$@"; }

echo "building this Floe and the one before events ($baseline_commit), building NATS..." >&2
(cd "$root" && JAVA_HOME="$java_home" mvn -B -q -DskipTests install >&2)
git -C "$root" worktree add --detach "$work/baseline" "$baseline_commit" >/dev/null 2>&1
# package only: the baseline must not replace this build's artifacts in ~/.m2
(cd "$work/baseline" && JAVA_HOME="$java_home" mvn -B -q -o -DskipTests package >&2)
[[ -x /usr/local/go/bin/go ]] && export PATH="$PATH:/usr/local/go/bin"
nats_build "$cache" >&2
nats_start "$work/nats"
jnats="$(ls "$home"/.m2/repository/io/nats/jnats/*/jnats-*.jar | grep -v sources | tail -1)"
# compiled once, so that no compilation runs beside a measurement
mkdir -p "$work/classes"
"$java_home/bin/javac" -d "$work/classes" -cp "$jnats" "$root/bench/EventLag.java"

start_floe() { # name tree [extra env...]
  local name="$1" tree="$2" port
  shift 2
  port="$(free_loopback_port)"
  env FLOE_PORT="$port" FLOE_DATA_DIR="$work/data-$name" "$@" \
    "$java_home/bin/java" -XX:+UseSerialGC -Xss512k -Xms64m -Xmx1g \
    -cp "$tree/floe-server/target/floe-server-0.1.0-SNAPSHOT.jar:$tree/floe-server/target/lib/*" io.floe.server.Main serve \
    >"$work/$name.log" 2>&1 &
  floe_pids[$name]=$!
  floe_uris[$name]="http://127.0.0.1:$port"
  wait_for_http "${floe_uris[$name]}/health/ready" "${floe_pids[$name]}" "$work/$name.log" "floe $name"
}
operations=("commit (own table)" "commit (one table)")
names=("events off" "outbox" "outbox + NATS")
declare -A keys=(["events off"]=off [outbox]=outbox ["outbox + NATS"]=nats)

start_floe off "$work/baseline"
start_floe outbox "$root"
start_floe nats "$root" FLOE_EVENTS_NATS_URL="$nats_url"
echo "warming up each Floe for ${warmup}s per operation..." >&2
for name in "${names[@]}"; do
  for operation in "${operations[@]}"; do
    bench --uri "${floe_uris[${keys[$name]}]}" --warehouse demo --name warm --warmup "$warmup" --seconds 1 --clients 8 \
      --only "$operation" >/dev/null
  done
done

echo "## Events: run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $rounds rounds of ${seconds}s per measurement after ${warmup}s of warm-up"
echo
echo "| Floe | operation | clients | ops/s | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|---:|"
for ((round = 0; round < rounds; round++)); do
  for ((i = 0; i < 3; i++)); do
    name="${names[$(((round + i) % 3))]}"
    for operation in "${operations[@]}"; do
      bench --uri "${floe_uris[${keys[$name]}]}" --warehouse demo --name "$name" --warmup 2 --seconds "$seconds" --clients 8 \
        --only "$operation" | tail -n 1 | tee -a "$work/rounds.md"
    done
  done
done
# the lag is read from the stream afterwards, so that no consumer competes for the CPU meanwhile
"$java_home/bin/java" -cp "$jnats:$work/classes" EventLag --nats "$nats_url" >"$work/lag.txt"
echo
python3 - "$work/rounds.md" "$work/lag.txt" <<'PY'
import statistics, sys
rows = [[c.strip() for c in line.split("|")] for line in open(sys.argv[1]) if line.startswith("|")]
for operation in ("commit (own table)", "commit (one table)"):
    med = {name: statistics.median(float(r[4]) for r in rows if r[1] == name and r[2] == operation)
           for name in ("events off", "outbox", "outbox + NATS")}
    print(f"Median {operation} throughput at 8 clients: events off {med['events off']:.0f} ops/s, outbox {med['outbox']:.0f} "
          f"({med['outbox'] / med['events off']:.2f}x), outbox + NATS {med['outbox + NATS']:.0f} "
          f"({med['outbox + NATS'] / med['events off']:.2f}x).")
for lag in (line.split() for line in open(sys.argv[2]) if line.startswith("events")):
    if len(lag) > 2:
        print(f"NATS delivery lag (change to stored in the stream) over {lag[1]} events, warm-up included: "
              f"p50 {lag[3]} ms, p99 {lag[5]} ms, max {lag[7]} ms.")
PY
