# Keycloak (Apache-2.0), a real OpenID provider for the identity tests: its Quarkus distribution
# comes from Maven Central (org.keycloak:keycloak-quarkus-dist) into the cache once, runs in dev
# mode (an in-memory H2 database) on loopback, and is stopped by PID.
#   source scripts/lib/keycloak.sh; keycloak_install CACHE; keycloak_start DIR JAVA_HOME
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
keycloak_version="26.7.3"

keycloak_install() {
  local dir="$1/keycloak/$keycloak_version"
  if [[ ! -x "$dir/bin/kc.sh" ]]; then
    echo "keycloak: fetching keycloak-quarkus-dist $keycloak_version from Maven Central (first run only)" >&2
    mkdir -p "$dir.download" || return 1
    mvn -B -q dependency:copy "-Dartifact=org.keycloak:keycloak-quarkus-dist:$keycloak_version:tar.gz" \
      "-DoutputDirectory=$dir.download" >&2 || return 1
    tar -xzf "$dir.download/keycloak-quarkus-dist-$keycloak_version.tar.gz" -C "$dir.download" || return 1
    rm -rf "$dir" && mv "$dir.download/keycloak-$keycloak_version" "$dir" && rm -rf "$dir.download" || return 1
  fi
  keycloak_home="$dir"
}

# Starts Keycloak without waiting for it; sets keycloak_pid and keycloak_url (http://127.0.0.1:PORT).
# The admin user is admin / admin.   keycloak_launch DIR JAVA_HOME
keycloak_launch() {
  local dir="$1" java="$2" port
  mkdir -p "$dir"
  port="$(free_loopback_port)"
  # dev mode keeps its H2 database under the distribution: give each run a copy of its own
  cp -r "$keycloak_home" "$dir/keycloak" || return 1
  JAVA_HOME="$java" JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    "$dir/keycloak/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$port" \
    --http-management-port="$(free_loopback_port)" >"$dir/keycloak.log" 2>&1 &
  keycloak_pid=$!
  keycloak_url="http://127.0.0.1:$port"
  keycloak_log="$dir/keycloak.log"
}

# Waits until the launched Keycloak serves discovery (it takes about 25 s).
keycloak_wait() {
  local i
  for i in $(seq 1 300); do
    curl -sf "$keycloak_url/realms/master/.well-known/openid-configuration" >/dev/null 2>&1 && return 0
    kill -0 "$keycloak_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "keycloak: did not start; its log:" >&2
  tail -40 "$keycloak_log" >&2
  return 1
}

keycloak_start() { keycloak_launch "$1" "$2" && keycloak_wait; }

keycloak_stop() { stop_pid "${keycloak_pid:-}"; }

keycloak_admin_token() {
  curl -sf -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin \
    "$keycloak_url/realms/master/protocol/openid-connect/token" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# Makes a realm; sets keycloak_issuer.   keycloak_realm NAME
keycloak_realm() {
  local token
  token="$(keycloak_admin_token)" || return 1
  curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"realm\":\"$1\",\"enabled\":true}" "$keycloak_url/admin/realms" || return 1
  keycloak_issuer="$keycloak_url/realms/$1"
}

# A confidential client with a service account whose tokens name AUDIENCE and live LIFETIME
# seconds (the realm's 5 minutes when not given).
#   keycloak_client REALM CLIENT_ID SECRET AUDIENCE [LIFETIME]
keycloak_client() {
  local token
  token="$(keycloak_admin_token)" || return 1
  curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"clientId\":\"$2\",\"secret\":\"$3\",\"serviceAccountsEnabled\":true,\"publicClient\":false,
         \"attributes\":{\"access.token.lifespan\":\"${5:-300}\"},
         \"standardFlowEnabled\":false,\"protocolMappers\":[{\"name\":\"audience\",\"protocol\":\"openid-connect\",
         \"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.custom.audience\":\"$4\",
         \"access.token.claim\":\"true\"}}]}" \
    "$keycloak_url/admin/realms/$1/clients"
}

# Prints an access token of a client (client credentials).   keycloak_token ISSUER CLIENT_ID SECRET
keycloak_token() {
  curl -sf -d grant_type=client_credentials -d "client_id=$2" -d "client_secret=$3" "$1/protocol/openid-connect/token" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
