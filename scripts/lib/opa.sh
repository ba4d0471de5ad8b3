# Open Policy Agent (Apache-2.0), the policy engine between Trino and Floe: built once from the Go
# module proxy into the cache, run on loopback with Floe's policy bundle, stopped by PID.
#   source scripts/lib/opa.sh; opa_build CACHE; opa_start DIR BUNDLE_DIR   (sets opa_endpoint)
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
opa_version="v1.22.3"

opa_build() {
  local dir="$1/opa/$opa_version"
  go_install_once "$1" "$dir" "github.com/open-policy-agent/opa@$opa_version" opa || return 1
  opa_bin="$dir/opa"
}

# The environment (FLOE_URI, FLOE_OPA_*) tells the policy where Floe is; see opa/README.md.
opa_start() {
  local dir="$1" bundle="$2" port
  mkdir -p "$dir"
  port="$(free_loopback_port)"
  "$opa_bin" run --server --addr "127.0.0.1:$port" --log-level error "$bundle" >"$dir/opa.log" 2>&1 &
  opa_pid=$!
  opa_endpoint="http://127.0.0.1:$port"
  wait_for_http "$opa_endpoint/health" "$opa_pid" "$dir/opa.log" opa
}

opa_stop() { stop_pid "${opa_pid:-}"; }
