# promtool (Apache-2.0), Prometheus's rule checker, to check and unit-test the alert rules in
# deploy/monitoring: built once from the Go module proxy into the cache, without the service
# discovery plugins (cloud SDKs that promtool's rule commands never use: they triple the build).
#   source scripts/lib/promtool.sh; promtool_build CACHE   (sets promtool_bin)
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
promtool_version="v0.316.0"

promtool_build() {
  local dir="$1/promtool/$promtool_version"
  go_install_once "$1" "$dir" "github.com/prometheus/prometheus/cmd/promtool@$promtool_version" promtool remove_all_sd || return 1
  promtool_bin="$dir/promtool"
}
