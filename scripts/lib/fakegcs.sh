# fake-gcs-server (BSD-2-Clause), a stand-in for the Google Cloud Storage JSON API, for the GCS
# tests: built once from the Go module proxy into the cache, run on loopback, stopped by PID.
#   source scripts/lib/fakegcs.sh; fakegcs_build CACHE; fakegcs_start DIR
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
fakegcs_version="v1.56.1"

fakegcs_build() {
  local dir="$1/fake-gcs-server/$fakegcs_version"
  go_install_once "$1" "$dir" "github.com/fsouza/fake-gcs-server@$fakegcs_version" fake-gcs-server || return 1
  fakegcs_bin="$dir/fake-gcs-server"
}

# Sets fakegcs_pid and fakegcs_endpoint (http://127.0.0.1:PORT).
fakegcs_start() {
  local dir="$1" port
  mkdir -p "$dir"
  port="$(free_loopback_port)"
  "$fakegcs_bin" -scheme http -host 127.0.0.1 -port "$port" -backend memory \
    -external-url "http://127.0.0.1:$port" -public-host "127.0.0.1:$port" -log-level warn >"$dir/fake-gcs.log" 2>&1 &
  fakegcs_pid=$!
  fakegcs_endpoint="http://127.0.0.1:$port"
  wait_for_http "$fakegcs_endpoint/storage/v1/b?project=floe" "$fakegcs_pid" "$dir/fake-gcs.log" fake-gcs-server
}

fakegcs_stop() { stop_pid "${fakegcs_pid:-}"; }
