# Helm (Apache-2.0), to lint and render Floe's chart in the tests: built once from the Go module
# proxy into the cache.
#   source scripts/lib/helm.sh; helm_build CACHE   (sets helm_bin)
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
helm_version="v3.22.0"

helm_build() {
  local dir="$1/helm/$helm_version"
  go_install_once "$1" "$dir" "helm.sh/helm/v3/cmd/helm@$helm_version" helm || return 1
  helm_bin="$dir/helm"
}
