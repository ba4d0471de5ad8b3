# NATS server with JetStream (Apache-2.0), for the event tests: built once from the Go module
# proxy into the cache, run on loopback, stopped by PID.
#   source scripts/lib/nats.sh; nats_build CACHE; nats_start DIR   (sets nats_url)
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
nats_version="v2.15.2"

nats_build() {
  local dir="$1/nats/$nats_version"
  go_install_once "$1" "$dir" "github.com/nats-io/nats-server/v2@$nats_version" nats-server || return 1
  nats_bin="$dir/nats-server"
}

nats_start() {
  local dir="$1" port monitor
  mkdir -p "$dir/jetstream"
  port="$(free_loopback_port)"
  monitor="$(free_loopback_port)"
  "$nats_bin" -a 127.0.0.1 -p "$port" -m "$monitor" -js -sd "$dir/jetstream" >"$dir/nats.log" 2>&1 &
  nats_pid=$!
  nats_url="nats://127.0.0.1:$port"
  wait_for_http "http://127.0.0.1:$monitor/healthz" "$nats_pid" "$dir/nats.log" nats
}

nats_stop() { stop_pid "${nats_pid:-}"; }
