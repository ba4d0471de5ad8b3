#!/usr/bin/env bash
# Authorization's cost, on this machine, in one run:
#   bash bench/authz.sh [seconds-per-measurement]
# Starts Keycloak and OpenFGA on loopback (built or fetched once into ~/.cache/floe, as the test
# command does), then Floe twice on its embedded default with OpenID Connect on: once with
# allow-all and once with OpenFGA. Prints loadTable throughput at 1 and 8 clients in three
# alternating rounds, the OpenFGA requests per loadTable, and the listings of AuthzBench.java.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/scripts/lib/keycloak.sh"
source "$root/scripts/lib/openfga.sh"
java_home="$(floe_java_home)"
seconds="${1:-5}"
home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
cache="${XDG_CACHE_HOME:-$home/.cache}/floe"
work="$(mktemp -d /tmp/floe-authz-bench.XXXXXX)"
chmod 755 "$work"
allow_pid=""; fga_pid=""
cleanup() {
  set +e
  for pid in "$allow_pid" "$fga_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  keycloak_stop
  openfga_stop
  rm -rf "$work"
}
trap cleanup EXIT
bench() { "$java_home/bin/java" "$root/bench/LoadBench.java" "$@"; }
counter() { curl -sf "$1/metrics" | awk '/^floe_openfga_requests_total/ {print $2}'; }

echo "building Floe, starting Keycloak and OpenFGA..." >&2
(cd "$root" && JAVA_HOME="$java_home" mvn -B -q -DskipTests install >&2)
[[ -x /usr/local/go/bin/go ]] && export PATH="$PATH:/usr/local/go/bin"
keycloak_install "$cache" && keycloak_launch "$work/keycloak" "$java_home"
openfga_build "$cache" && openfga_start "$work/openfga"
keycloak_wait
keycloak_realm bench >/dev/null
keycloak_client bench admin admin-secret floe 3600
keycloak_client bench viewer viewer-secret floe 3600
admin="$(keycloak_token "$keycloak_issuer" admin admin-secret)"
viewer="$(keycloak_token "$keycloak_issuer" viewer viewer-secret)"

start_floe() { # name backend -> sets floe_uri and started_pid
  local port
  port="$(free_loopback_port)"
  FLOE_PORT="$port" FLOE_DATA_DIR="$work/$1" FLOE_OPENID_PROVIDER_URI="$keycloak_issuer" FLOE_OPENID_AUDIENCE=floe \
    FLOE_AUTHZ_BACKEND="$2" FLOE_OPENFGA_ENDPOINT="$openfga_endpoint" FLOE_OPENFGA_STORE="bench-$1" \
    "$root/bin/floe" serve >"$work/$1.log" 2>&1 &
  started_pid=$!
  floe_uri="http://127.0.0.1:$port"
  wait_for_http "$floe_uri/health/ready" "$started_pid" "$work/$1.log" "floe $1"
}
start_floe allow-all allow-all; allow_pid=$started_pid; allow_uri="$floe_uri"
start_floe openfga openfga; fga_pid=$started_pid; fga_uri="$floe_uri"
for uri in "$allow_uri" "$fga_uri"; do
  curl -sf -X POST -H "Authorization: Bearer $admin" "$uri/management/v1/bootstrap" >/dev/null
done
prefix() { curl -sf -H "Authorization: Bearer $admin" "$1/v1/config?warehouse=demo" | python3 -c 'import json,sys; print(json.load(sys.stdin)["overrides"]["prefix"])'; }

echo "## Authorization: run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, ${seconds}s per measurement"
echo
echo "loadTable as the warehouse's owner (a token from Keycloak on every request), three alternating rounds:"
echo
echo "| authorizer | operation | clients | ops/s | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|---:|"
for round in 1 2 3; do
  bench --uri "$allow_uri" --warehouse demo --name allow-all --seconds "$seconds" --clients 1,8 --only loadTable --token "$admin" \
    | tail -n 2 | tee -a "$work/rounds.md"
  before="$(counter "$fga_uri")"
  bench --uri "$fga_uri" --warehouse demo --name openfga --seconds "$seconds" --clients 1,8 --only loadTable --token "$admin" \
    | tail -n 2 | tee -a "$work/rounds.md"
  after="$(counter "$fga_uri")"
  echo "$before $after" >> "$work/fga-calls"
done
python3 - "$work/rounds.md" "$work/fga-calls" "$seconds" <<'PY'
import statistics, sys
rows = [line.split("|") for line in open(sys.argv[1]) if line.startswith("|")]
def median(name, clients):
    return statistics.median(float(r[4]) for r in rows if r[1].strip() == name and r[3].strip() == clients)
for clients in ("1", "8"):
    a, f = median("allow-all", clients), median("openfga", clients)
    print(f"\nMedian loadTable throughput at {clients} client(s): allow-all {a:.0f} ops/s, OpenFGA {f:.0f} ops/s: {f / a:.2f}x.")
ops = sum(float(r[4]) * float(sys.argv[3]) for r in rows if r[1].strip() == "openfga")
calls = sum(float(b) - float(a) for a, b in (line.split() for line in open(sys.argv[2])))
print(f"OpenFGA requests during the OpenFGA loadTable runs: {calls:.0f} for about {ops:.0f} loads ({calls / ops:.5f} per load: decisions are cached).")
PY
echo
viewer_id="$(curl -sf -H "Authorization: Bearer $viewer" "$fga_uri/management/v1/whoami" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
"$java_home/bin/java" "$root/bench/AuthzBench.java" --uri "$fga_uri" --warehouse "$(prefix "$fga_uri")" \
  --admin-token "$admin" --viewer-token "$viewer" --viewer-id "$viewer_id" --cache-seconds 5
