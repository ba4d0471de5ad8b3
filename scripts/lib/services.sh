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

# Stops a process this script started, by its PID, and waits for it.
stop_pid() {
  if [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; then
    kill "$1"
    wait "$1" 2>/dev/null
  fi
  return 0
}
