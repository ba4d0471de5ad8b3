# Shared by the test services' scripts: free ports, readiness, and stopping by PID.

# Prints a free TCP port on 127.0.0.1.
free_loopback_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until URL answers with any HTTP status while PID lives; on failure prints NAME's LOG.
#   wait_for_http URL PID LOG NAME
wait_for_http() {
  local url="$1" pid="$2" log="$3" name="$4" i
  for i in $(seq 1 150); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" != 000 ]]; then return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "$name: did not start; its log:" >&2
  tail -40 "$log" >&2
  return 1
}

# Installs a Go command from the Go module proxy into DIR, once, with the build caches under CACHE.
#   go_install_once CACHE DIR MODULE@VERSION NAME [BUILD-TAGS]
go_install_once() {
  local cache="$1" dir="$2" module="$3" name="$4" tags="${5:-}"
  [[ -x "$dir/$name" ]] && return 0
  command -v go >/dev/null || { echo "$name: Go is needed to build it" >&2; return 1; }
  echo "$name: building $module from the Go module proxy (first run only)" >&2
  mkdir -p "$dir"
  (cd "$dir" && GOFLAGS="-mod=mod${tags:+ -tags=$tags}" GOPATH="$cache/go" GOCACHE="$cache/go-build" GOBIN="$dir" go install "$module" >&2)
}

# Stops a process this script started, by its PID, and waits for it.
stop_pid() {
  if [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; then
    kill "$1"
    wait "$1" 2>/dev/null
  fi
  return 0
}

# A self-signed certificate for 127.0.0.1 in DIR: cert.pem and key.pem for servers, server.p12
# (the same pair) for Java servers, and trust.p12, a trust store holding only this certificate.
#   tls_make_certificate DIR   (password of both stores: floe-test)
tls_make_certificate() {
  local dir="$1"
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null || return 1
  openssl pkcs12 -export -in "$dir/cert.pem" -inkey "$dir/key.pem" -name floe-test \
    -out "$dir/server.p12" -passout pass:floe-test || return 1
  "${KEYTOOL:-keytool}" -importcert -noprompt -alias floe-test -file "$dir/cert.pem" -keystore "$dir/trust.p12" \
    -storetype PKCS12 -storepass floe-test >/dev/null 2>&1 || return 1
}
