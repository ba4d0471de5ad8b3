# Azurite, the Azure Storage emulator from npm, for the ADLS tests: blob endpoint only, on
# loopback, with one account whose key the tests know. Installed once into the cache.
#   source scripts/lib/azurite.sh; azurite_install CACHE; azurite_start DIR
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
azurite_version="3.35.0"   # the newest that runs on Debian's Node 20

azurite_install() {
  local dir="$1/azurite/$azurite_version"
  if [[ ! -x "$dir/node_modules/.bin/azurite-blob" ]]; then
    command -v npm >/dev/null || { echo "azurite: npm is needed (apt-get install npm)" >&2; return 1; }
    echo "azurite: installing azurite@$azurite_version from npm (first run only)" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "azurite@$azurite_version" >&2 || return 1
  fi
  azurite_bin="$dir/node_modules/.bin/azurite-blob"
}

# Sets azurite_pid, azurite_endpoint (http://127.0.0.1:PORT/ACCOUNT), azurite_account, azurite_key.
azurite_start() {
  local dir="$1"
  mkdir -p "$dir"
  local port
  port="$(free_loopback_port)"
  azurite_account="floeadls"
  azurite_key="$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(64)).decode())')"
  AZURITE_ACCOUNTS="$azurite_account:$azurite_key" "$azurite_bin" --blobHost 127.0.0.1 --blobPort "$port" \
    --location "$dir" --skipApiVersionCheck --disableProductStyleUrl >"$dir/azurite.log" 2>&1 &
  azurite_pid=$!
  azurite_endpoint="http://127.0.0.1:$port/$azurite_account"
  wait_for_http "http://127.0.0.1:$port/" "$azurite_pid" "$dir/azurite.log" azurite
}

azurite_stop() { stop_pid "${azurite_pid:-}"; }

# A second Azurite on HTTPS with OAuth ("basic": it checks a bearer token's issuer, audience and
# lifetime, not its signature), for identities and user-delegation SAS. Needs a certificate for
# 127.0.0.1 (tls_make_certificate). Sets azurite_oauth_pid and azurite_oauth_endpoint.
azurite_start_oauth() {
  local dir="$1" cert="$2" key="$3" port
  mkdir -p "$dir"
  port="$(free_loopback_port)"
  AZURITE_ACCOUNTS="$azurite_account:$azurite_key" "$azurite_bin" --blobHost 127.0.0.1 --blobPort "$port" \
    --location "$dir" --skipApiVersionCheck --disableProductStyleUrl --oauth basic --cert "$cert" --key "$key" \
    >"$dir/azurite.log" 2>&1 &
  azurite_oauth_pid=$!
  azurite_oauth_endpoint="https://127.0.0.1:$port/$azurite_account"
  local i
  for i in $(seq 1 150); do
    if [[ "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/" 2>/dev/null)" != 000 ]]; then return 0; fi
    kill -0 "$azurite_oauth_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "azurite (oauth): did not start; its log:" >&2
  tail -40 "$dir/azurite.log" >&2
  return 1
}

azurite_stop_oauth() { stop_pid "${azurite_oauth_pid:-}"; }
