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
