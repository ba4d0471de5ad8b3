# OpenFGA (Apache-2.0), the authorization server for the permission tests: built once from the
# Go module proxy into the cache, run on loopback with its in-memory store, stopped by PID.
#   source scripts/lib/openfga.sh; openfga_build CACHE; openfga_start DIR
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
openfga_version="v1.22.1"

openfga_build() {
  local dir="$1/openfga/$openfga_version"
  go_install_once "$1" "$dir" "github.com/openfga/openfga/cmd/openfga@$openfga_version" openfga || return 1
  openfga_bin="$dir/openfga"
}

# Sets openfga_pid and openfga_endpoint (http://127.0.0.1:PORT).
openfga_start() {
  local dir="$1" port grpc
  mkdir -p "$dir"
  port="$(free_loopback_port)"
  grpc="$(free_loopback_port)"
  "$openfga_bin" run --datastore-engine memory --http-addr "127.0.0.1:$port" --grpc-addr "127.0.0.1:$grpc" \
    --playground-enabled=false --metrics-enabled=false --log-level warn >"$dir/openfga.log" 2>&1 &
  openfga_pid=$!
  openfga_endpoint="http://127.0.0.1:$port"
  wait_for_http "$openfga_endpoint/healthz" "$openfga_pid" "$dir/openfga.log" openfga
}

openfga_stop() { stop_pid "${openfga_pid:-}"; }
